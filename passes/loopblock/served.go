package loopblock

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/chanflow"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// servedUnderLock reports whether op, made in fn while a mutex is held,
// is a plain send (or a call of a function whose only blocking
// operations are plain sends) on a channel that serving loops receive
// from, and those loops neither take any mutex fn holds there nor depend
// on one it does not hold to keep running: the send then waits for one
// turn of a loop at most. Mutexes held by fn's callers, and deadlocks
// through other goroutines, are out of reach; the loops' own blocking
// under a lock is reported where it is.
func servedUnderLock(pass *analysis.Pass, fn *function, op blocking.Op) bool {
	sv, ok := servedBy(pass, fn.body, op)
	if !ok {
		return false
	}
	var held []string
	for _, r := range lockRegions(pass, fn) {
		if r.Holds(op.Pos()) {
			held = append(held, r.Lock.Mutex.Key)
		}
	}
	return sv.Bounded(held...)
}

// servedInContext reports whether op, made in an event context with no
// lock held, is a plain send (or a call of a function whose only
// blocking operations are plain sends) on a channel that serving loops
// receive from and that they stop receiving only when it is closed or
// delivers: the send waits for one turn of a loop that itself waits for
// nothing (sarama's brokerProducer.run hands retries to retryHandler).
func servedInContext(pass *analysis.Pass, fn *function, op blocking.Op) bool {
	sv, ok := servedBy(pass, fn.body, op)
	return ok && len(sv.Needs) == 0
}

// servedBy returns the serving loops that the send op, or the sends of
// the function op calls, go to.
func servedBy(pass *analysis.Pass, body *ast.BlockStmt, op blocking.Op) (chanflow.Served, bool) {
	serving := report.HelperResult[*chanflow.Serving](pass, chanflow.ServeAnalyzer)
	if op.Callee != nil {
		if op.CalleeReason.Kind != blocking.KindChan || op.CalleeReason.Via != "" {
			return chanflow.Served{}, false // the callee blocks otherwise, or in a function it calls.
		}
		return serving.Func(op.Callee)
	}
	switch n := op.Node.(type) {
	case *ast.SendStmt:
		if serving.ReplySend(body, n) {
			return chanflow.Served{}, true // the requester waits for it: bounded under any lock.
		}
		return serving.Send(n)
	case *ast.UnaryExpr:
		return serving.Reply(body, n) // the reply to a request sent before
	}
	return chanflow.Served{}, false
}
