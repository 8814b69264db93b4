package loopblock

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/chanflow"
)

// servedUnderLock reports whether op, made while the mutex of lock is
// held, is a plain send (or a call of a function whose only blocking
// operations are plain sends) on a channel that serving loops receive
// from, and those loops neither take that mutex nor depend on it to keep
// running: the send then waits for one turn of a loop at most.
// Deadlocks through other mutexes are out of reach; the loops' own
// blocking under a lock is reported where it is.
func servedUnderLock(pass *analysis.Pass, op blocking.Op, lock lockRegion) bool {
	serving, ok := pass.ResultOf[chanflow.ServeAnalyzer].(*chanflow.Serving)
	if !ok {
		return false
	}
	var sv chanflow.Served
	switch {
	case op.Callee != nil:
		if op.CalleeReason.Kind != blocking.KindChan || op.CalleeReason.Via != "" {
			return false // the callee blocks otherwise, or in a function it calls.
		}
		sv, ok = serving.Func(op.Callee)
	default:
		send, isSend := op.Node.(*ast.SendStmt)
		if !isSend {
			return false
		}
		sv, ok = serving.Send(send)
	}
	return ok && sv.Bounded(chanflow.MutexKey(pass.TypesInfo, lock.lock))
}
