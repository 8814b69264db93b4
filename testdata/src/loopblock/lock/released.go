package lock

import (
	"sync"
	"time"
)

// twoLocks has a start lock and a stop lock, as controller-runtime's
// runnableGroup does.
type twoLocks struct {
	start, stop sync2
	started     bool
	ch          chan int
}

type sync2 struct{ mu sync.Mutex }

// StartThenSend releases the start lock, then sends holding the stop
// lock: the Unlock of another mutex does not release stop.
func (g *twoLocks) StartThenSend() {
	g.start.mu.Lock()
	g.started = true
	g.start.mu.Unlock()
	g.stop.mu.Lock()
	g.ch <- 1 // want `channel send on g.ch can block without bound while g.stop.mu is held`
	g.stop.mu.Unlock()
}

// PauseUnlocked releases the lock it holds around the sleep.
func (g *twoLocks) PauseUnlocked() {
	g.stop.mu.Lock()
	if g.started {
		g.stop.mu.Unlock()
		time.Sleep(time.Second) // ok: g.stop.mu was released just before
		g.stop.mu.Lock()
	}
	g.stop.mu.Unlock()
}
