package loopblock

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/blocking"
)

// A lockRegion is a stretch of a function body during which a
// sync.Mutex or sync.RWMutex is held.
type lockRegion struct {
	lock     *ast.CallExpr // the Lock or RLock call
	mutex    string        // the receiver as written: "s.mu"
	pos, end token.Pos
}

// lockRegions returns the regions of body (not of its func literals)
// where a mutex is held: from a Lock call to the first Unlock of the same
// mutex after it, or to the end of the body when the Unlock is deferred.
// A lock whose Unlock is nowhere in the body holds to the end of its
// block. Errs toward short regions: an Unlock on any path ends it.
func lockRegions(pass *analysis.Pass, body *ast.BlockStmt) []lockRegion {
	var regions []lockRegion
	ast.Inspect(body, func(n ast.Node) bool {
		var list []ast.Stmt
		var end token.Pos
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			list, end = n.List, n.End()
		case *ast.CaseClause:
			list, end = n.Body, n.End()
		case *ast.CommClause:
			list, end = n.Body, n.End()
		default:
			return true
		}
		for i, stmt := range list {
			es, ok := stmt.(*ast.ExprStmt)
			if !ok {
				continue
			}
			call, mutex, ok := mutexCall(pass, es.X, "Lock", "RLock")
			if !ok {
				continue
			}
			regions = append(regions, lockRegion{call, mutex, call.End(), regionEnd(pass, body, list[i+1:], mutex, call.End(), end)})
		}
		return true
	})
	return regions
}

// regionEnd returns where the lock of mutex taken at pos is released.
func regionEnd(pass *analysis.Pass, body *ast.BlockStmt, rest []ast.Stmt, mutex string, pos, blockEnd token.Pos) token.Pos {
	for _, stmt := range rest {
		if d, ok := stmt.(*ast.DeferStmt); ok {
			if _, m, ok := mutexCall(pass, d.Call, "Unlock", "RUnlock"); ok && m == mutex {
				return body.End()
			}
		}
	}
	end := token.NoPos
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || end.IsValid() {
			return false
		}
		if e, ok := n.(ast.Expr); ok && n.Pos() > pos {
			if call, m, ok := mutexCall(pass, e, "Unlock", "RUnlock"); ok && m == mutex {
				end = call.Pos()
				return false
			}
		}
		return true
	})
	if end.IsValid() {
		return end
	}
	return blockEnd
}

// mutexCall reports whether e calls one of the named methods of a
// sync.Mutex or sync.RWMutex (also promoted through embedding), and
// returns the call and its receiver as written.
func mutexCall(pass *analysis.Pass, e ast.Expr, names ...string) (*ast.CallExpr, string, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil, "", false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, "", false
	}
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok {
		return nil, "", false
	}
	recv := fn.Signature().Recv()
	if recv == nil || !(isSync(recv.Type(), "Mutex") || isSync(recv.Type(), "RWMutex")) {
		return nil, "", false
	}
	for _, name := range names {
		if fn.Name() == name {
			return call, types.ExprString(sel.X), true
		}
	}
	return nil, "", false
}

func isSync(t types.Type, name string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync"
}

// heldAt returns the lock region that holds op, if any. sync.Cond.Wait
// releases its lock while it waits, and writes on a connection under a
// lock are how writes are serialised, so neither counts.
func heldAt(regions []lockRegion, op blocking.Op) (lockRegion, bool) {
	if op.Kind == blocking.KindConn || op.Entry != nil && op.Entry.Func == "(*sync.Cond).Wait" {
		return lockRegion{}, false
	}
	for _, r := range regions {
		if op.Pos() >= r.pos && op.Pos() < r.end {
			return r, true
		}
	}
	return lockRegion{}, false
}
