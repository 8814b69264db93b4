package loopblock

// This file follows callbacks into the loops that run them. A dispatcher
// keeps functions in a field (a func, or a slice or map of funcs) that
// registration code stores into, often through a method that takes the
// function as a parameter (AddEventHandler(kind, fn)), and its event loop
// calls them: d.onEvent(ev), d.handlers[kind](ev), or for _, h := range
// d.handlers { h(ev) }. Each registered function then runs on the loop,
// and a network, database or process call inside it stalls every event
// behind it (callback-io). The functions followed are the package's own:
// literals and functions or method values stored or registered in it.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// A callback is a function registered in a callback field.
type callback struct {
	body *ast.BlockStmt
	at   token.Pos // where it is stored or registered
}

// callbacks indexes the package's callback fields.
type callbacks struct {
	pass   *analysis.Pass
	funcs  *index.Index
	fields map[*types.Var][]callback
	// registrars are the functions that store their parameter (by
	// index) into a callback field: AddEventHandler(kind, fn).
	registrars map[*types.Var][]registrar
}

// A registrar is a function that stores its parameter param into a
// callback field.
type registrar struct {
	fn    *types.Func
	param int
}

// RunsOnLoop is the fact of a function that stores its parameter Param
// (a function) into a field that an event loop of its package calls:
// a function passed there, from any package, runs on that loop.
type RunsOnLoop struct {
	Param int
	Loop  string // how messages name the loop: "the for-select loop in Dispatcher.run"
}

func (*RunsOnLoop) AFact() {}

func (f *RunsOnLoop) String() string { return fmt.Sprintf("runsOnLoop(%d)", f.Param) }

// isCallbackType reports whether t is a func, or a slice or map of funcs
// (or of slices of funcs).
func isCallbackType(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Signature:
		return true
	case *types.Slice:
		return isCallbackType(t.Elem())
	case *types.Map:
		return isCallbackType(t.Elem())
	}
	return false
}

// findCallbacks collects the functions stored into the package's
// callback fields, directly or through a parameter of the function that
// stores them.
func findCallbacks(pass *analysis.Pass) *callbacks {
	cb := &callbacks{pass: pass, funcs: report.HelperResult[*index.Index](pass, index.Analyzer),
		fields: make(map[*types.Var][]callback), registrars: make(map[*types.Var][]registrar)}
	info := pass.TypesInfo
	for _, d := range cb.funcs.Decls() {
		ast.Inspect(d.Decl.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, lhs := range as.Lhs {
				f := callbackField(info, lhs)
				if f == nil {
					continue
				}
				for _, v := range storedFuncs(info, as.Rhs[i]) {
					cb.add(f, d, v)
				}
			}
			return true
		})
	}
	return cb
}

// callbackField returns the callback field that e stores into: x.f or
// x.f[k], or nil.
func callbackField(info *types.Info, e ast.Expr) *types.Var {
	if ix, ok := ast.Unparen(e).(*ast.IndexExpr); ok {
		e = ix.X
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	if !ok || !v.IsField() || !isCallbackType(v.Type()) {
		return nil
	}
	return v.Origin()
}

// storedFuncs returns the function values rhs stores: itself, or the
// values an append adds.
func storedFuncs(info *types.Info, rhs ast.Expr) []ast.Expr {
	if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok {
		if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok && b.Name() == "append" && len(call.Args) > 1 {
			return call.Args[1:]
		}
	}
	if _, ok := info.TypeOf(rhs).Underlying().(*types.Signature); ok {
		return []ast.Expr{rhs}
	}
	return nil
}

// add records the callbacks that the value v, stored into f by the
// declaration d, stands for.
func (cb *callbacks) add(f *types.Var, d index.Decl, v ast.Expr) {
	if body := cb.bodyOf(v); body != nil {
		cb.fields[f] = append(cb.fields[f], callback{body, v.Pos()})
		return
	}
	// A parameter of the registering function: follow its call sites.
	id := code.IdentOf(v)
	if id == nil {
		return
	}
	param, ok := cb.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return
	}
	sig := d.Fn.Signature()
	idx := -1
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == param {
			idx = i
		}
	}
	if idx < 0 || sig.Variadic() && idx == sig.Params().Len()-1 {
		return
	}
	cb.registrars[f] = append(cb.registrars[f], registrar{d.Fn, idx})
	for _, caller := range cb.funcs.Decls() {
		ast.Inspect(caller.Decl.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || idx >= len(call.Args) {
				return true
			}
			if fn := typeutil.StaticCallee(cb.pass.TypesInfo, call); fn == nil || fn.Origin() != d.Fn {
				return true
			}
			if body := cb.bodyOf(call.Args[idx]); body != nil {
				cb.fields[f] = append(cb.fields[f], callback{body, call.Args[idx].Pos()})
			}
			return true
		})
	}
}

// bodyOf returns the body of the function value v when the package
// declares it: a literal, a function or a method value.
func (cb *callbacks) bodyOf(v ast.Expr) *ast.BlockStmt {
	switch v := ast.Unparen(v).(type) {
	case *ast.FuncLit:
		return v.Body
	case *ast.Ident, *ast.SelectorExpr:
		id, ok := v.(*ast.Ident)
		if sel, isSel := v.(*ast.SelectorExpr); isSel {
			id, ok = sel.Sel, true
		}
		if !ok {
			return nil
		}
		if fn, ok := cb.pass.TypesInfo.Uses[id].(*types.Func); ok {
			if d := cb.funcs.Decl(fn); d != nil {
				return d.Body
			}
		}
	}
	return nil
}

// calledIn returns the callback fields whose functions the stretch of
// body between pos and end calls: d.f(ev), d.f[k](ev), or h(ev) for h
// ranging over d.f or d.f[k].
func (cb *callbacks) calledIn(body *ast.BlockStmt, pos, end token.Pos) map[*types.Var]token.Pos {
	info := cb.pass.TypesInfo
	ranged := make(map[types.Object]*types.Var) // h in for _, h := range d.f
	called := make(map[*types.Var]token.Pos)
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() >= end || n.End() <= pos {
			return n == nil || n.Pos() < end && n.End() > pos
		}
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false // another function, or a goroutine of its own.
		case *ast.RangeStmt:
			if f := callbackField(info, n.X); f != nil {
				if id, ok := n.Value.(*ast.Ident); ok && id != nil {
					if obj := info.Defs[id]; obj != nil {
						ranged[obj] = f
					}
				}
			}
		case *ast.CallExpr:
			var f *types.Var
			if id := code.IdentOf(n.Fun); id != nil {
				f = ranged[info.Uses[id]]
			} else {
				f = callbackField(info, n.Fun)
			}
			if f != nil && (len(cb.fields[f]) > 0 || len(cb.registrars[f]) > 0) {
				if _, seen := called[f]; !seen {
					called[f] = n.Pos()
				}
			}
		}
		return true
	})
	return called
}

// checkCallbacks reports the network, database and process calls of the
// callbacks that fn's event loops run.
func checkCallbacks(pass *analysis.Pass, res *blocking.Result, cb *callbacks, fn *function, reported map[token.Pos]bool) {
	for _, ec := range eventContexts(pass, fn) {
		if ec.kind != loopContext && ec.kind != dispatchContext {
			continue
		}
		for f, callAt := range cb.calledIn(fn.body, ec.pos, ec.end) {
			for _, r := range cb.registrars[f] {
				if r.fn.Exported() && r.fn.Pkg() == pass.Pkg {
					pass.ExportObjectFact(r.fn, &RunsOnLoop{Param: r.param, Loop: ec.name})
				}
			}
			for _, c := range cb.fields[f] {
				for _, op := range res.Ops(pass.TypesInfo, c.body) {
					if reported[op.Pos()] || rule("callback", op) != "callback-io" || op.Kind == blocking.KindConn || len(op.Params) > 0 {
						continue
					}
					reported[op.Pos()] = true
					pass.Report(analysis.Diagnostic{Pos: op.Pos(), End: op.Node.End(), Category: "callback-io",
						Message: fmt.Sprintf("%s in a callback that %s runs (through the field %s): every event behind it waits; %s",
							blocks(op, 0, false), ec.name, f.Name(), cure(op)),
						Related: []analysis.RelatedInformation{
							{Pos: c.at, Message: "the callback is registered here"},
							{Pos: callAt, Message: "the loop calls it here"},
						}})
				}
			}
		}
	}
}

// checkRegistered reports the network, database and process calls of
// the functions that the package passes to another package's registrar
// (a function with a RunsOnLoop fact): they run on that package's loop.
func checkRegistered(pass *analysis.Pass, res *blocking.Result, cb *callbacks, reported map[token.Pos]bool) {
	info := pass.TypesInfo
	for _, d := range cb.funcs.Decls() {
		if code.IsTestFile(pass, d.Decl) {
			continue
		}
		ast.Inspect(d.Decl.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := typeutil.Callee(info, call)
			f, ok := fn.(*types.Func)
			if !ok || f.Pkg() == pass.Pkg {
				return true
			}
			var fact RunsOnLoop
			if !pass.ImportObjectFact(f.Origin(), &fact) || fact.Param >= len(call.Args) {
				return true
			}
			body := cb.bodyOf(call.Args[fact.Param])
			if body == nil {
				return true
			}
			for _, op := range res.Ops(info, body) {
				if reported[op.Pos()] || rule("callback", op) != "callback-io" || op.Kind == blocking.KindConn || len(op.Params) > 0 {
					continue
				}
				reported[op.Pos()] = true
				pass.Report(analysis.Diagnostic{Pos: op.Pos(), End: op.Node.End(), Category: "callback-io",
					Message: fmt.Sprintf("%s in a callback that %s runs (registered with %s): every event behind it waits; %s",
						blocks(op, 0, false), fact.Loop, types.ExprString(call.Fun), cure(op)),
					Related: []analysis.RelatedInformation{{Pos: call.Pos(), End: call.End(), Message: "the callback is registered here"}}})
			}
			return true
		})
	}
}
