// Package holdoutserve holds sends, under a lock or in an event loop, to
// serving loops of another package (asynq's Scheduler over robfig/cron),
// beside look-alikes whose loop can be gone.
package holdoutserve

import (
	"sync"

	"loopblock/holdoutcron"
)

// Scheduler is asynq's Scheduler.
type Scheduler struct {
	mu  sync.Mutex
	cr  *holdoutcron.Cron
	ids map[string]holdoutcron.EntryID
}

// ok: Cron.Remove sends to the run loop only while its runningMu says
// the loop runs, and the loop takes no lock of ours (asynq
// scheduler.go:242).
func (s *Scheduler) Unregister(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cr.Remove(s.ids[id]) // ok: served by cron's run loop
	delete(s.ids, id)
}

// The look-alike: the loop may have been stopped, and nothing we hold
// says otherwise.
func (s *Scheduler) UnregisterUnchecked(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cr.RemoveUnchecked(s.ids[id]) // want `call of holdoutcron.Cron.RemoveUnchecked can block without bound`
}
