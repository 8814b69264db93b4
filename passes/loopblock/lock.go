package loopblock

import (
	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// lockRegions returns the regions of fn's body where a mutex is held
// (see locks.Model.Regions).
func lockRegions(pass *analysis.Pass, fn *function) []locks.Region {
	return report.HelperResult[*blocking.Result](pass, blocking.Analyzer).Locks().Regions(fn.body)
}

// heldAt returns the lock region that holds op, if any. sync.Cond.Wait
// releases its lock while it waits, writes on a connection under a lock
// are how writes are serialised, and an operation after an Unlock of the
// region's mutex (here, or of some mutex in the callee, which may be the
// caller's) runs without the lock, so none of them counts. An Unlock of
// another mutex here does not release the region's.
func heldAt(regions []locks.Region, op blocking.Op) (locks.Region, bool) {
	if op.Kind == blocking.KindConn || op.Entry != nil && op.Entry.Func == "(*sync.Cond).Wait" {
		return locks.Region{}, false
	}
	if op.Unlocked && op.Released == "" {
		return locks.Region{}, false // the callee released a mutex
	}
	for _, r := range regions {
		if r.Holds(op.Pos()) && op.Released != r.Lock.Mutex.Text {
			return r, true
		}
	}
	return locks.Region{}, false
}
