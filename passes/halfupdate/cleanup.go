package halfupdate

import (
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/mutation"
)

// checkCleanups reports compensations that reuse the context that just
// failed: on the error path of a call that took a cancellable context,
// or in a deferred cleanup. When that context is cancelled, the
// compensation fails exactly when it is needed.
func checkCleanups(sc *scope, fn *function) {
	walkLists(fn.body, func(list []ast.Stmt, prior stmtPath) {
		for i, stmt := range list {
			for _, call := range callsIn(unconditional(stmt)...) {
				_, root := sc.ctxArg(call)
				if root == nil {
					continue
				}
				body := errorPath(sc, list, i, call)
				if body == nil {
					continue
				}
				// Something must have been updated for the cleanup to undo:
				// the failed call itself, or an update before it.
				if mutation.IsUpdate(sc.callee(call)) || sc.updatesBefore(prior.stmts(list[:i]...), root) {
					checkErrorPath(sc, body, call, root)
				}
			}
			if d, ok := stmt.(*ast.DeferStmt); ok {
				if k, arg := sc.compensation(d.Call); k != nil {
					reportCleanup(sc, k, arg, "deferred "+callName(k)+" reuses "+types.ExprString(arg)+
						": when "+types.ExprString(arg)+" is cancelled this cleanup fails too and the update it undoes stays applied")
				}
			}
		}
	})
	if fn.deferred {
		inspectBody(fn.body, func(n ast.Node) {
			if call, ok := n.(*ast.CallExpr); ok {
				if k, arg := sc.compensation(call); k != nil && !sc.guardedByOuterResult(fn, call) {
					reportCleanup(sc, k, arg, callName(k)+" in a deferred cleanup reuses "+types.ExprString(arg)+
						": when "+types.ExprString(arg)+" is cancelled the cleanup fails too and the update it undoes stays applied")
				}
			}
		})
	}
}

// checkErrorPath reports compensations in body, the error path of
// failed, that reuse failed's context root.
func checkErrorPath(sc *scope, body *ast.BlockStmt, failed *ast.CallExpr, root types.Object) {
	narrowed := sentinelPaths(sc, body)
	inspectBody(body, func(n ast.Node) {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return
		}
		for _, r := range narrowed {
			if r[0] <= call.Pos() && call.End() <= r[1] {
				return // runs only for an error no cancellation causes
			}
		}
		k, arg := sc.compensation(call)
		if k == nil || sc.cancellable(arg) != root {
			return
		}
		ctx := types.ExprString(arg)
		reportCleanup(sc, k, arg, callName(k)+" on the error path of "+callName(failed)+" reuses "+ctx+
			", which may be why "+callName(failed)+" failed: once "+ctx+" is cancelled the compensation fails too and the update stays applied")
	})
}

// sentinelPaths returns the stretches of the error path body that run
// only when the error is a particular sentinel other than a context's:
// the statements after `if !errors.Is(err, errX) { return ... }` (or
// err != errX), and the body of `if errors.Is(err, errX)` (or err ==
// errX). A compensation there does not run because the context was
// cancelled, so the claim that it may fail for the same reason is void
// (oras-go's restoreDuplicates after errSkipUnnamed).
func sentinelPaths(sc *scope, body *ast.BlockStmt) [][2]token.Pos {
	var out [][2]token.Pos
	for i, stmt := range body.List {
		ifs, ok := stmt.(*ast.IfStmt)
		if !ok || ifs.Init != nil {
			continue
		}
		switch sentinelTest(sc, ifs.Cond) {
		case token.EQL:
			out = append(out, [2]token.Pos{ifs.Body.Pos(), ifs.Body.End()})
		case token.NEQ:
			if n := len(ifs.Body.List); n > 0 && ifs.Else == nil {
				if _, ret := ifs.Body.List[n-1].(*ast.ReturnStmt); ret && i+1 < len(body.List) {
					out = append(out, [2]token.Pos{body.List[i+1].Pos(), body.End()})
				}
			}
		}
	}
	return out
}

// sentinelTest reports whether cond tests an error against a sentinel
// other than context.Canceled or context.DeadlineExceeded: token.EQL for
// errors.Is(err, errX) or err == errX, token.NEQ for their negations,
// token.ILLEGAL otherwise.
func sentinelTest(sc *scope, cond ast.Expr) token.Token {
	info := sc.pass.TypesInfo
	negate := func(t token.Token) token.Token {
		switch t {
		case token.EQL:
			return token.NEQ
		case token.NEQ:
			return token.EQL
		}
		return t
	}
	sentinel := func(e ast.Expr) bool {
		id := code.IdentOf(e)
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
			id = sel.Sel // pkg.ErrX
		}
		if id == nil {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.Parent() != v.Pkg().Scope() || !isError(v.Type()) {
			return false // a package-level error variable
		}
		name := types.ExprString(e)
		return name != "context.Canceled" && name != "context.DeadlineExceeded"
	}
	switch c := ast.Unparen(cond).(type) {
	case *ast.UnaryExpr:
		if c.Op == token.NOT {
			return negate(sentinelTest(sc, c.X))
		}
	case *ast.CallExpr:
		if code.IsCallTo(info, c, "errors.Is") && len(c.Args) == 2 && sentinel(c.Args[1]) {
			return token.EQL
		}
	case *ast.BinaryExpr:
		if (c.Op == token.EQL || c.Op == token.NEQ) && (sentinel(c.X) || sentinel(c.Y)) {
			return c.Op
		}
	}
	return token.ILLEGAL
}

// compensation returns call and its context argument when call is a
// compensation (rollback, undo, refund, delete...) that takes a
// cancellable context by name. A transaction's own Rollback is not one,
// whether called on the transaction or given it (a rollback helper):
// database/sql and pgx abort the transaction when its context ends. A
// helper that detaches the context itself is not one either, whether its
// name says so (RollbackWithoutCancel, river v0.51.2) or its body does
// (certmagic v0.25.6's releaseLock), nor is a callee that never observes
// the context's cancellation and so cannot fail because of it (go-redis
// v9.23.0's releaseConn and pool.Pooler.Remove; see
// passes/internal/mutation/detach).
func (sc *scope) compensation(call *ast.CallExpr) (*ast.CallExpr, *ast.Ident) {
	fn := sc.callee(call)
	if !mutation.IsCompensation(fn) || sc.txLikeReceiver(call) || sc.txLikeArg(call) || isLevelTriggered(fn) ||
		slices.Contains(mutation.Words(fn.Name()), "without") || !sc.detach.Observes(fn) {
		return nil, nil
	}
	arg, root := sc.ctxArg(call)
	id, ok := arg.(*ast.Ident)
	if root == nil || !ok {
		return nil, nil
	}
	return call, id
}

// reportCleanup reports the context argument arg of compensation k and
// offers context.WithoutCancel (Go 1.21+) when the file imports context.
func reportCleanup(sc *scope, k *ast.CallExpr, arg *ast.Ident, what string) {
	if sc.reported[k] {
		return
	}
	sc.reported[k] = true
	d := analysis.Diagnostic{
		Category: "cleanup",
		Pos:      arg.Pos(), End: arg.End(),
		Message: what + "; pass context.WithoutCancel(" + arg.Name + "), with a timeout if needed",
	}
	if name := contextImportName(sc.pass, arg); name != "" {
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message: "Use context.WithoutCancel(" + arg.Name + ") for the compensation",
			TextEdits: []analysis.TextEdit{{
				Pos: arg.Pos(), End: arg.End(),
				NewText: []byte(name + ".WithoutCancel(" + arg.Name + ")"),
			}},
		}}
	}
	sc.pass.Report(d)
}

// contextImportName returns the name under which the file holding n
// imports "context", or "" when it does not or is older than Go 1.21
// (context.WithoutCancel's release).
func contextImportName(pass *analysis.Pass, n ast.Node) string {
	for _, f := range pass.Files {
		if f.FileStart > n.Pos() || n.Pos() > f.FileEnd {
			continue
		}
		if v := pass.TypesInfo.FileVersions[f]; v != "" && version.Compare(v, "go1.21") < 0 {
			return ""
		}
		for _, imp := range f.Imports {
			if path, err := strconv.Unquote(imp.Path.Value); err != nil || path != "context" {
				continue
			}
			if imp.Name == nil {
				return "context"
			}
			if imp.Name.Name == "_" || imp.Name.Name == "." {
				return ""
			}
			return imp.Name.Name
		}
	}
	return ""
}

// guardedByOuterResult reports whether call, in the deferred literal fn,
// runs only when a named result of a function enclosing the one that
// defers fn is not nil:
//
//	func (s *S) Start(ctx context.Context) (err error) {
//		go func() {
//			defer func() {
//				if err != nil { s.Delete(ctx, id) } // Start's err, not the goroutine's
//			}()
//			...
//		}()
//		return nil
//	}
//
// The goroutine (or callback handed to a call) that defers fn is
// started while that result is still unset, and nothing it does sets it: the guard does not follow
// the goroutine's own outcome, and is nil whenever the goroutine ends
// before the outer function returns, so this is not a compensation of
// anything the goroutine did. A guard on the deferring function's own
// result (the usual deferred compensation) is reported as before.
func (sc *scope) guardedByOuterResult(fn *function, call *ast.CallExpr) bool {
	deferrer := fn.parent
	if deferrer == nil || (!deferrer.spawned && deferrer.caller == nil) {
		return false // deferred by the declaration, or by a literal run in place, after the result may be set.
	}
	var stack []ast.Node
	guarded := false
	ast.Inspect(fn.body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		if guarded {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok && n != fn.node {
			return false
		}
		if n == call {
			for i, outer := range stack {
				ifs, ok := outer.(*ast.IfStmt)
				if !ok || i+1 >= len(stack) || stack[i+1] != ifs.Body {
					continue // only the then-branch is guarded by the condition.
				}
				if owner, res := sc.nilTested(ifs.Cond); owner != nil && owner != deferrer && owner != fn && encloses(owner, deferrer) &&
					!sc.assignedIn(res, deferrer.node) {
					guarded = true
				}
			}
			return false
		}
		stack = append(stack, n)
		return true
	})
	return guarded
}

// nilTested returns the named result that cond tests against nil
// (err != nil) and the function that declares it, or nil.
func (sc *scope) nilTested(cond ast.Expr) (*function, types.Object) {
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return nil, nil
	}
	if bin.Op == token.LAND {
		if f, res := sc.nilTested(bin.X); f != nil {
			return f, res
		}
		return sc.nilTested(bin.Y)
	}
	if bin.Op != token.NEQ {
		return nil, nil
	}
	x, y := ast.Unparen(bin.X), ast.Unparen(bin.Y)
	if isNil(sc, x) {
		x, y = y, x
	}
	id, ok := x.(*ast.Ident)
	if !ok || !isNil(sc, y) {
		return nil, nil
	}
	obj := sc.pass.TypesInfo.Uses[id]
	if f := sc.results[obj]; f != nil {
		return f, obj
	}
	return nil, nil
}

// assignedIn reports whether v is assigned inside node.
func (sc *scope) assignedIn(v types.Object, node ast.Node) bool {
	for _, a := range sc.assigns[v] {
		if node.Pos() <= a.stmt.Pos() && a.stmt.End() <= node.End() {
			return true
		}
	}
	return false
}

// encloses reports whether outer is inner or one of its parents.
func encloses(outer, inner *function) bool {
	for f := inner; f != nil; f = f.parent {
		if f == outer {
			return true
		}
	}
	return false
}
