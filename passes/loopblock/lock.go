package loopblock

import (
	"go/ast"
	"go/token"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/report"

	"golang.org/x/tools/go/analysis"

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
	res := report.HelperResult[*blocking.Result](pass, blocking.Analyzer)
	var regions []lockRegion
	code.ForEachStmtList(body, func(list []ast.Stmt, end token.Pos) {
		for i, stmt := range list {
			es, ok := stmt.(*ast.ExprStmt)
			if !ok {
				continue
			}
			call, mutex, ok := blocking.MutexCall(pass.TypesInfo, es.X, "Lock", "RLock")
			if !ok {
				continue
			}
			regions = append(regions, lockRegion{call, mutex, call.End(), regionEnd(pass, res, body, list[i+1:], mutex, call.End(), end)})
		}
	})
	return regions
}

// regionEnd returns where the lock of mutex taken at pos is released: at
// a call of its Unlock, or of a func value that calls it (see
// blocking.Result.UnlockCall).
func regionEnd(pass *analysis.Pass, res *blocking.Result, body *ast.BlockStmt, rest []ast.Stmt, mutex string, pos, blockEnd token.Pos) token.Pos {
	for _, stmt := range rest {
		switch stmt := stmt.(type) {
		case *ast.DeferStmt:
			if _, m, ok := res.UnlockCall(pass.TypesInfo, stmt.Call); ok && m == mutex {
				return body.End()
			}
		case *ast.ExprStmt:
			if call, m, ok := res.UnlockCall(pass.TypesInfo, stmt.X); ok && m == mutex {
				return call.Pos() // a defer after it belongs to a later Lock.
			}
		}
	}
	end := token.NoPos
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || end.IsValid() {
			return false
		}
		if e, ok := n.(ast.Expr); ok && n.Pos() > pos {
			if call, m, ok := res.UnlockCall(pass.TypesInfo, e); ok && m == mutex {
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

// heldAt returns the lock region that holds op, if any. sync.Cond.Wait
// releases its lock while it waits, writes on a connection under a lock
// are how writes are serialised, and an operation after an Unlock of the
// region's mutex (here, or of some mutex in the callee, which may be the
// caller's) runs without the lock, so none of them counts. An Unlock of
// another mutex here does not release the region's.
func heldAt(regions []lockRegion, op blocking.Op) (lockRegion, bool) {
	if op.Kind == blocking.KindConn || op.Entry != nil && op.Entry.Func == "(*sync.Cond).Wait" {
		return lockRegion{}, false
	}
	if op.Unlocked && op.Released == "" {
		return lockRegion{}, false // the callee released a mutex
	}
	for _, r := range regions {
		if op.Pos() >= r.pos && op.Pos() < r.end && op.Released != r.mutex {
			return r, true
		}
	}
	return lockRegion{}, false
}
