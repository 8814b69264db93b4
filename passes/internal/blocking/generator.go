package blocking

import (
	"go/ast"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// Generator is the fact exported on a function that returns a channel
// it makes and closes after a bounded number of sends, itself or in a
// goroutine it starts: ranging over the channel it returns ends without
// waiting for anyone else. Result is the index of that result.
type Generator struct{ Result int }

func (*Generator) AFact() {}

func (f *Generator) String() string { return "generator of result " + strconv.Itoa(f.Result) }

// importGenerator records the Generator fact of fn, a function of another
// package that this package calls.
func importGenerator(pass *analysis.Pass, r *Result, fn *types.Func) {
	if _, done := r.generators[fn]; done {
		return
	}
	var fact Generator
	if pass.ImportObjectFact(fn, &fact) {
		r.generators[fn] = fact.Result
	}
}

// computeGenerators finds the package's generators and exports their
// facts.
func computeGenerators(pass *analysis.Pass, r *Result, decls []decl) {
	for _, d := range decls {
		if i, ok := generatedResult(pass.TypesInfo, d.fn, d.body); ok {
			r.generators[d.fn] = i
			pass.ExportObjectFact(d.fn, &Generator{Result: i})
		}
	}
}

// generatedResult returns the index of the result of fn that is a
// generated channel: a variable of the body made by make, returned by
// every return statement, closed in the body or in a goroutine started
// there, and otherwise only sent on, outside loops other than ranges
// over a slice, array, map, string or integer.
func generatedResult(info *types.Info, fn *types.Func, body *ast.BlockStmt) (int, bool) {
	results := fn.Signature().Results()
	index := -1
	for i := range results.Len() {
		if isChan(results.At(i).Type()) {
			if index >= 0 {
				return 0, false // two channels: keep it simple.
			}
			index = i
		}
	}
	if index < 0 {
		return 0, false
	}
	var ch types.Object
	ok, closed := true, false
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		if !ok {
			return false
		}
		ret, isReturn := n.(*ast.ReturnStmt)
		switch {
		case !isReturn || inLiteral(stack):
		case len(ret.Results) == results.Len():
			id, isID := ast.Unparen(ret.Results[index]).(*ast.Ident)
			if !isID || (ch != nil && info.Uses[id] != ch) {
				ok = false
				return false
			}
			ch = info.Uses[id]
		default:
			ok = false // a bare return of named results.
		}
		return true
	})
	v, isVar := ch.(*types.Var)
	if !ok || !isVar || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return 0, false
	}
	made := false
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		if !ok {
			return false
		}
		id, isID := n.(*ast.Ident)
		if !isID || info.ObjectOf(id) != v {
			return true
		}
		parent := stack[len(stack)-1]
		switch p := parent.(type) {
		case *ast.ReturnStmt:
		case *ast.AssignStmt, *ast.ValueSpec:
			if info.Defs[id] != v || !isMake(info, parent) {
				ok = false
			}
			made = true
		case *ast.SendStmt:
			if p.Chan != ast.Expr(id) || !boundedLoops(info, stack) {
				ok = false
			}
		case *ast.CallExpr:
			if b, isB := typeutil.Callee(info, p).(*types.Builtin); isB && b.Name() == "close" {
				closed = true
			} else if !isB || (b.Name() != "len" && b.Name() != "cap") {
				ok = false // handed on: someone else may send.
			}
		default:
			ok = false
		}
		return true
	})
	return index, ok && made && closed
}

// inLiteral reports whether a node whose ancestors are stack lies in a
// func literal.
func inLiteral(stack []ast.Node) bool {
	for _, n := range stack {
		if _, ok := n.(*ast.FuncLit); ok {
			return true
		}
	}
	return false
}

// isMake reports whether the assignment or spec n is a single make.
func isMake(info *types.Info, n ast.Node) bool {
	var rhs []ast.Expr
	switch n := n.(type) {
	case *ast.AssignStmt:
		rhs = n.Rhs
	case *ast.ValueSpec:
		rhs = n.Values
	}
	if len(rhs) != 1 {
		return false
	}
	call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
	if !ok {
		return false
	}
	b, ok := typeutil.Callee(info, call).(*types.Builtin)
	return ok && b.Name() == "make"
}

// boundedLoops reports whether every loop in stack, the ancestors of a
// node, is a range over something other than a channel or a function.
func boundedLoops(info *types.Info, stack []ast.Node) bool {
	for _, n := range stack {
		switch n := n.(type) {
		case *ast.ForStmt:
			return false
		case *ast.RangeStmt:
			t := info.TypeOf(n.X)
			if t == nil {
				return false
			}
			switch t.Underlying().(type) {
			case *types.Chan, *types.Signature:
				return false
			}
		}
	}
	return true
}

// generated reports whether the channel ch comes from a generator, directly
// or through a local variable.
func (s *scanner) generated(ch ast.Expr) bool {
	e := ast.Unparen(ch)
	if id, ok := e.(*ast.Ident); ok {
		e = ast.Unparen(s.def(id))
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := typeutil.StaticCallee(s.info, call)
	if fn == nil {
		return false
	}
	i, ok := s.r.generators[fn.Origin()]
	return ok && i == 0
}
