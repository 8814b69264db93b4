// Package closes is a helper analyzer: it records, for every function
// it analyses, which parameters the function takes ownership of, that
// is, closes (or commits, rolls back, releases) or hands on to someone
// who will: stores in a field, global, map or slice, sends on a channel,
// returns, wraps, or passes to another function that does. The unclosed
// check asks it whether passing a resource to a call releases it.
//
// The property is "may take ownership": a function that closes its
// argument on only some paths still counts, since asynclint errs on the
// side of silence. It is computed on syntax, not SSA, because it runs on
// every dependency; standard-library functions get no facts (some
// drivers skip them) and are assumed not to take ownership.
package closes

import (
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/report"
	"github.com/asynclint/asynclint/passes/internal/resources"
)

var Analyzer = &analysis.Analyzer{
	Name:       "closes",
	Doc:        "record which parameters a function closes or takes ownership of",
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	Run:        report.WrapRun(run),
	FactTypes:  []analysis.Fact{new(Fact)},
	ResultType: reflect.TypeFor[*report.Result[*Result]](),
}

// Fact marks a function that takes ownership of some of its parameters
// (Params) or returns a resource that it keeps or has emptied (Keeps):
// one also stored in a field, map or global (squirrel's StmtCache), read
// from one, or a response whose body it replaced (minio-go's
// executeMethod reads an error body into memory). Each is a bit set over indices (the receiver excluded);
// indices past 63 are not tracked.
type Fact struct{ Params, Keeps uint64 }

func (*Fact) AFact() {}

// String lists the indices: "closes(0,2)", "keeps(0)".
func (f *Fact) String() string {
	var parts []string
	if f.Params != 0 {
		parts = append(parts, "closes("+indices(f.Params)+")")
	}
	if f.Keeps != 0 {
		parts = append(parts, "keeps("+indices(f.Keeps)+")")
	}
	return strings.Join(parts, " ")
}

func indices(bits uint64) string {
	var idx []string
	for i := range 64 {
		if bits&(1<<i) != 0 {
			idx = append(idx, strconv.Itoa(i))
		}
	}
	return strings.Join(idx, ",")
}

// Result answers whether a function takes ownership of a parameter.
type Result struct {
	pkg      *types.Package
	local    map[*types.Func]uint64 // Params of this package's functions
	keeps    map[*types.Func]uint64 // Keeps of this package's functions
	imported map[*types.Func]*Fact  // the facts of the functions of other packages the package refers to
}

// Closes reports whether fn takes ownership of its parameter i (the
// receiver excluded). It knows fn when fn is declared in the package
// under analysis or in an analysed dependency.
func (r *Result) Closes(fn *types.Func, i int) bool {
	if fn == nil || i < 0 || i >= 64 {
		return false
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pkg {
		return r.local[fn]&(1<<i) != 0
	}
	f, ok := r.imported[fn]
	return ok && f.Params&(1<<i) != 0
}

// Keeps reports whether fn's result i is a resource that fn keeps (or
// has emptied), so the caller is not to release it.
func (r *Result) Keeps(fn *types.Func, i int) bool {
	if fn == nil || i < 0 || i >= 64 {
		return false
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pkg {
		return r.keeps[fn]&(1<<i) != 0
	}
	f, ok := r.imported[fn]
	return ok && f.Keeps&(1<<i) != 0
}

func run(pass *analysis.Pass) (*Result, error) {
	res := &Result{pkg: pass.Pkg, local: make(map[*types.Func]uint64), keeps: make(map[*types.Func]uint64),
		imported: code.ImportFuncFacts[Fact](pass)}
	// The standard library is analysed too, although go vet never hands
	// it to us and resources' tables carry what user code needs of it:
	// without its own facts, analysing std itself (asynclint std) took
	// net/http's newConn(rwc) and fcgi's newChild(rw) for leaks.
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	var decls []*ast.FuncDecl
	for n := range inspect.PreorderSeq((*ast.FuncDecl)(nil)) {
		if decl := n.(*ast.FuncDecl); decl.Body != nil {
			decls = append(decls, decl)
		}
	}
	// Iterate to a fixed point: a function that passes its parameter to
	// one that closes it closes it too, in any order of declaration.
	for changed := true; changed; {
		changed = false
		for _, decl := range decls {
			fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if !ok {
				continue // missing type information.
			}
			if bits := ownedParams(pass, res, fn, decl); bits != res.local[fn] {
				res.local[fn] = bits
				changed = true
			}
		}
	}
	for _, decl := range decls {
		fn, _ := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if fn == nil {
			continue
		}
		res.keeps[fn] = keptResults(pass, res, fn, decl)
		if f := (Fact{Params: res.local[fn], Keeps: res.keeps[fn]}); f != (Fact{}) {
			pass.ExportObjectFact(fn, &f)
		}
	}
	return res, nil
}

// ownedParams returns the bit set of the parameters of fn that decl's
// body takes ownership of.
func ownedParams(pass *analysis.Pass, res *Result, fn *types.Func, decl *ast.FuncDecl) uint64 {
	sig := fn.Signature()
	params := make(map[types.Object]int)
	for i := range min(sig.Params().Len(), 64) {
		p := sig.Params().At(i)
		if Closable(p.Type()) {
			params[p] = i
		}
	}
	if len(params) == 0 {
		return 0
	}
	var bits uint64
	var stack []ast.Node
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		i, ok := params[pass.TypesInfo.Uses[id]]
		if ok && bits&(1<<i) == 0 && takesOwnership(pass, res, stack) {
			bits |= 1 << i
		}
		return true
	})
	return bits
}

// Closable reports whether values of type t can be released: t has a
// method named in resources.ReleaseNames, or a Body field that has one
// (*http.Response).
func Closable(t types.Type) bool {
	if hasReleaseMethod(t) {
		return true
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Body")
	v, ok := obj.(*types.Var)
	return ok && v.IsField() && hasReleaseMethod(v.Type())
}

func hasReleaseMethod(t types.Type) bool {
	for _, name := range resources.ReleaseNames {
		if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name); obj != nil {
			if _, ok := obj.(*types.Func); ok {
				return true
			}
		}
	}
	return false
}

// takesOwnership reports whether the use of a parameter at the top of
// stack (the path from the body to the identifier) releases it or hands
// it on.
func takesOwnership(pass *analysis.Pass, res *Result, stack []ast.Node) bool {
	n := len(stack) - 1
	cur, ok := stack[n].(ast.Expr)
	if !ok {
		return false
	}
	// p.Body stands for p when p is a response.
	if n > 0 {
		if sel, ok := stack[n-1].(*ast.SelectorExpr); ok && sel.X == cur && sel.Sel.Name == "Body" {
			n--
			cur = sel
		}
	}
	if n == 0 {
		return false
	}
	switch parent := stack[n-1].(type) {
	case *ast.SelectorExpr: // p.Close(), or for p.Next() {...}: rows read to the end close themselves
		if n < 2 {
			return false
		}
		call, ok := stack[n-2].(*ast.CallExpr)
		if !ok || call.Fun != parent {
			return false
		}
		if slices.Contains(resources.ReleaseNames, parent.Sel.Name) {
			return true
		}
		if n >= 3 && parent.Sel.Name == "Next" {
			loop, ok := stack[n-3].(*ast.ForStmt)
			return ok && loop.Cond == call
		}
	case *ast.CallExpr:
		return argTakesOwnership(pass, res, parent, cur, n >= 2 && isGoStmt(stack[n-2]))
	case *ast.ReturnStmt, *ast.SendStmt, *ast.CompositeLit, *ast.KeyValueExpr:
		return true
	case *ast.AssignStmt:
		// Stored in a field, map, slice element or global, or copied to
		// another variable that this syntactic pass does not follow.
		return slices.Contains(parent.Rhs, cur)
	case *ast.ValueSpec:
		return slices.Contains(parent.Values, cur)
	}
	return false
}

func isGoStmt(n ast.Node) bool {
	_, ok := n.(*ast.GoStmt)
	return ok
}

// argTakesOwnership reports whether passing arg to call hands it on.
func argTakesOwnership(pass *analysis.Pass, res *Result, call *ast.CallExpr, arg ast.Expr, inGo bool) bool {
	idx := slices.Index(call.Args, arg)
	if idx < 0 {
		return false // arg is the callee
	}
	if inGo {
		return true // the goroutine owns it now
	}
	if b, ok := pass.TypesInfo.Uses[calleeIdent(call.Fun)].(*types.Builtin); ok {
		return b.Name() == "append"
	}
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok {
		return !isConversion(pass, call) // a function value: assume it may close
	}
	if res.Closes(fn, paramIndex(fn.Signature(), idx)) {
		return true
	}
	return Wraps(fn.Signature())
}

func calleeIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}

func isConversion(pass *analysis.Pass, call *ast.CallExpr) bool {
	tv, ok := pass.TypesInfo.Types[call.Fun]
	return ok && tv.IsType()
}

// paramIndex maps argument index i to its parameter index, folding the
// arguments of a variadic call onto the last parameter.
func paramIndex(sig *types.Signature, i int) int {
	if sig.Variadic() && i >= sig.Params().Len()-1 {
		return sig.Params().Len() - 1
	}
	return i
}

// Wraps reports whether a function of signature sig may wrap a resource
// passed to it in a result whose own release method releases it, as
// tls.Client(conn, cfg) or bufio-free wrappers do: some result is
// closable.
func Wraps(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if Closable(v.Type()) {
			return true
		}
	}
	return false
}

// keptResults returns the bit set of the results of fn that are a
// local variable which decl also stores in a field, map or global, reads
// from one, whose Body it assigns (resp.Body = io.NopCloser(buf)), or
// that it releases itself in a deferred call (defer resp.Body.Close(),
// a deferred literal that does, or a function that closes its argument):
// the caller gets a response whose body is already read and closed
// (prometheus' api.Client.Do), and has nothing to release.
func keptResults(pass *analysis.Pass, res *Result, fn *types.Func, decl *ast.FuncDecl) uint64 {
	kept := make(map[types.Object]bool)
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok {
			for _, x := range deferredReleases(pass, res, d.Call) {
				kept[x] = true
			}
			return true
		}
		assign, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, lhs := range assign.Lhs {
			if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Body" {
				kept[identObj(pass, sel.X)] = true // the body was replaced
			}
			rhs := assign.Rhs[0]
			if len(assign.Rhs) == len(assign.Lhs) {
				rhs = assign.Rhs[i]
			} else if i > 0 {
				continue // v, ok := m[k]: only v is the element
			}
			if isStructured(pass, lhs) {
				kept[identObj(pass, rhs)] = true // stored: sc.cache[q] = stmt
			}
			if isStructured(pass, rhs) {
				kept[identObj(pass, lhs)] = true // read back: stmt, ok := sc.cache[q]
			}
		}
		return true
	})
	delete(kept, nil)
	if len(kept) == 0 {
		return 0
	}
	results := fn.Signature().Results()
	var bits uint64
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are not fn's
		case *ast.ReturnStmt:
			if len(n.Results) == 0 { // bare return of named results
				for i := range min(results.Len(), 64) {
					if kept[results.At(i)] {
						bits |= 1 << i
					}
				}
			}
			for i, e := range n.Results {
				if i < 64 && kept[identObj(pass, e)] {
					bits |= 1 << i
				}
			}
		}
		return true
	})
	return bits
}

// deferredReleases returns the variables that the deferred call
// releases: x in x.Close() or x.Body.Close(), such calls in a deferred
// literal, and the arguments of a function that closes them.
func deferredReleases(pass *analysis.Pass, res *Result, call *ast.CallExpr) []types.Object {
	var out []types.Object
	closeOf := func(call *ast.CallExpr) {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Close" || len(call.Args) != 0 {
			return
		}
		x := sel.X
		if body, ok := ast.Unparen(x).(*ast.SelectorExpr); ok && body.Sel.Name == "Body" {
			x = body.X
		}
		if obj := identObj(pass, x); obj != nil {
			out = append(out, obj)
		}
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				closeOf(c)
			}
			return true
		})
		return out
	}
	closeOf(call)
	if fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func); ok {
		for i, arg := range call.Args {
			if res.Closes(fn, paramIndex(fn.Signature(), i)) {
				if obj := identObj(pass, arg); obj != nil {
					out = append(out, obj)
				}
			}
		}
	}
	return out
}

// identObj returns the object e names, if e is an identifier.
func identObj(pass *analysis.Pass, e ast.Expr) types.Object {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	return pass.TypesInfo.ObjectOf(id)
}

// isStructured reports whether e is a location inside a structure or a
// global: a field selection, an index expression, a dereference or a
// package-level variable.
func isStructured(pass *analysis.Pass, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.IndexExpr, *ast.StarExpr:
		return true
	case *ast.SelectorExpr:
		_, ok := pass.TypesInfo.ObjectOf(e.Sel).(*types.Var)
		return ok // a field, or a package-level variable of another package
	case *ast.Ident:
		v, ok := pass.TypesInfo.ObjectOf(e).(*types.Var)
		return ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
	}
	return false
}
