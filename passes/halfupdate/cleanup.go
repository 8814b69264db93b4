package halfupdate

import (
	"go/ast"
	"go/types"
	"go/version"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"

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
				if k, arg := sc.compensation(call); k != nil {
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
	inspectBody(body, func(n ast.Node) {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return
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
