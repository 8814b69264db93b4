package halfupdate

import (
	"github.com/asynclint/asynclint/passes/internal/locks"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// A fieldWrite is an assignment, increment or delete that changes one
// field (or an element of one) of shared state: s.byID[id] = u,
// s.count++, delete(s.byName, n).
type fieldWrite struct {
	stmt  ast.Stmt
	base  types.Object // s: a pointer receiver or parameter, or a package variable
	field string       // "s.byID"
}

// checkMemory reports, in a function that takes a lock, a return on
// cancellation (ctx.Err(), <-ctx.Done(), or the error of a call taking
// ctx) that sits between a write to one field of shared state and a
// write to another field of the same state: the invariant that ties the
// two (two indexes, a counter, a state flag) is left half updated.
func checkMemory(sc *scope, fn *function) {
	if !sc.locks(fn) || sc.defersWrite(fn) {
		return // no lock: no shared invariant we can see; a deferred write may restore it.
	}
	for _, list := range stmtLists(fn.body) {
		var writes []fieldWrite
		type pending struct {
			at     ast.Node // the if, or the select case, that returns
			what   string
			before []fieldWrite
		}
		var points []pending
		for i, stmt := range list {
			if at, what := sc.cancelReturn(list, i); at != nil && len(writes) > 0 {
				points = append(points, pending{at, what, writes})
				continue
			}
			for _, w := range sc.fieldWrites(stmt) {
				for j := 0; j < len(points); j++ {
					p := points[j]
					if first, ok := halfWritten(p.before, w); ok {
						reportMemory(sc, p.at, p.what, first, w)
						points = append(points[:j], points[j+1:]...)
						j--
					}
				}
				writes = append(writes, w)
			}
		}
	}
}

// halfWritten returns the write among before to the same state as w but
// to another field, when before does not already write w's field.
func halfWritten(before []fieldWrite, w fieldWrite) (fieldWrite, bool) {
	var first fieldWrite
	found := false
	for _, b := range before {
		if b.base != w.base {
			continue
		}
		if b.field == w.field {
			return fieldWrite{}, false // w redoes a write done before the return.
		}
		if !found {
			first, found = b, true
		}
	}
	return first, found
}

func reportMemory(sc *scope, at ast.Node, what string, first, second fieldWrite) {
	end := at.End()
	switch at := at.(type) {
	case *ast.IfStmt:
		end = at.Cond.End()
	case *ast.CommClause:
		end = at.Comm.End()
	}
	sc.pass.Report(analysis.Diagnostic{
		Category: "memory",
		Pos:      at.Pos(), End: end,
		Message: "return on " + what + " leaves " + first.field + " updated but not " + second.field +
			": the in-memory update is half applied; check for cancellation before the first write, or undo " +
			first.field + " on this path",
		Related: []analysis.RelatedInformation{
			{Pos: first.stmt.Pos(), End: first.stmt.End(), Message: first.field + " is written here"},
			{Pos: second.stmt.Pos(), End: second.stmt.End(), Message: second.field + " is written here, after the return"},
		},
	})
}

// locks reports whether fn takes a write lock of a mutex.
func (sc *scope) locks(fn *function) bool {
	found := false
	inspectBody(fn.body, func(n ast.Node) {
		if c, ok := locks.Takes(sc.pass.TypesInfo, n); ok && c.Op == locks.Lock {
			found = true
		}
	})
	return found
}

// defersWrite reports whether fn defers a function literal that writes
// a field: a deferred restore.
func (sc *scope) defersWrite(fn *function) bool {
	found := false
	inspectBody(fn.body, func(n ast.Node) {
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return
		}
		lit, ok := d.Call.Fun.(*ast.FuncLit)
		if !ok {
			return
		}
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if stmt, ok := n.(ast.Stmt); ok && len(sc.fieldWrites(stmt)) > 0 {
				found = true
			}
			return !found
		})
	})
	return found
}

// fieldWrites returns the writes to shared state stmt makes itself.
func (sc *scope) fieldWrites(stmt ast.Stmt) []fieldWrite {
	var targets []ast.Expr
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE {
			targets = s.Lhs
		}
	case *ast.IncDecStmt:
		targets = []ast.Expr{s.X}
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && len(call.Args) > 0 {
			if b, ok := sc.pass.TypesInfo.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") {
				targets = call.Args[:1]
			}
		}
	}
	var ws []fieldWrite
	for _, t := range targets {
		if base, field := sc.sharedField(t); base != nil {
			ws = append(ws, fieldWrite{stmt: stmt, base: base, field: field})
		}
	}
	return ws
}

// sharedField returns the base object and the field path ("s.byID") of
// e when e is a field of shared state, or an element of one: s.f,
// s.f[k], s.f.g; s a pointer receiver or parameter, or a package variable.
func (sc *scope) sharedField(e ast.Expr) (types.Object, string) {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.IndexExpr:
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		}
		break
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	id := code.RootIdent(sel)
	if id == nil {
		return nil, ""
	}
	obj, ok := sc.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil, ""
	}
	_, isPtr := obj.Type().Underlying().(*types.Pointer)
	shared := (sc.params[obj] && isPtr) || (obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope())
	if !shared {
		return nil, "" // a local value or a copy: nobody else sees it.
	}
	return obj, types.ExprString(sel)
}

// cancelReturn returns the node and description of the cancellation
// point when list[i] returns on
// cancellation: `if ctx.Err() != nil { return }`, a select whose
// <-ctx.Done() case returns, or `if err != nil { return }` on the error
// of a call taking a cancellable context. It returns nil otherwise, and
// for returns that write the state back.
func (sc *scope) cancelReturn(list []ast.Stmt, i int) (ast.Node, string) {
	switch s := list[i].(type) {
	case *ast.IfStmt:
		if !terminates(s.Body) || sc.writesAny(s.Body) {
			return nil, ""
		}
		for _, call := range callsIn(unconditional(s)...) {
			if sc.isCtxErr(call) {
				return s, types.ExprString(call)
			}
			if _, root := sc.ctxArg(call); root != nil && errorPath(sc, list, i, call) == s.Body {
				return s, "the error of " + callName(call)
			}
		}
		if i > 0 {
			for _, call := range callsIn(unconditional(list[i-1])...) {
				if _, root := sc.ctxArg(call); root != nil && errorPath(sc, list, i-1, call) == s.Body {
					return s, "the error of " + callName(call)
				}
			}
		}
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			if cc.Comm == nil || !sc.isDoneRecv(cc.Comm) {
				continue
			}
			body := &ast.BlockStmt{List: cc.Body}
			if terminates(body) && !sc.writesAny(body) {
				return cc, "<-" + types.ExprString(doneCall(cc.Comm))
			}
		}
	}
	return nil, ""
}

// isCtxErr reports whether call is ctx.Err() on a cancellable context.
func (sc *scope) isCtxErr(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Err" && code.IsCallTo(sc.pass.TypesInfo, call, "(context.Context).Err") &&
		sc.cancellable(sel.X) != nil
}

// isDoneRecv reports whether comm receives from ctx.Done() of a
// cancellable context.
func (sc *scope) isDoneRecv(comm ast.Stmt) bool {
	call := doneCall(comm)
	if call == nil || !code.IsCallTo(sc.pass.TypesInfo, call, "(context.Context).Done") {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sc.cancellable(sel.X) != nil
}

// doneCall returns the call received from in comm (<-ctx.Done()).
func doneCall(comm ast.Stmt) *ast.CallExpr {
	call, _ := ast.Unparen(code.CommRecv(comm)).(*ast.CallExpr)
	return call
}

// writesAny reports whether block writes shared state anywhere, or
// calls a method of the shared value itself (s.undo(id)), which may.
func (sc *scope) writesAny(block *ast.BlockStmt) bool {
	found := false
	inspectBody(block, func(n ast.Node) {
		switch n := n.(type) {
		case ast.Stmt:
			if len(sc.fieldWrites(n)) > 0 {
				found = true
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
					if base, _ := sc.sharedField(&ast.SelectorExpr{X: id, Sel: sel.Sel}); base != nil && sc.pass.TypesInfo.Selections[sel] != nil {
						found = true
					}
				}
			}
		}
	})
	return found
}
