// Package holdoutcron is robfig/cron's Cron (v3.0.1, cron.go): a run
// loop that serves add, remove and snapshot requests, stopped by a
// signal sent under runningMu, the lock its senders hold while they
// check that it runs.
package holdoutcron

import (
	"sync"
	"time"
)

type EntryID int

type Entry struct {
	ID   EntryID
	Next time.Time
}

type Cron struct {
	entries   []*Entry
	add       chan *Entry
	remove    chan EntryID
	snapshot  chan chan []Entry
	stop      chan struct{}
	running   bool
	runningMu sync.Mutex
}

func New() *Cron {
	return &Cron{
		add:      make(chan *Entry),
		remove:   make(chan EntryID),
		snapshot: make(chan chan []Entry),
		stop:     make(chan struct{}),
	}
}

func (c *Cron) Start() {
	c.runningMu.Lock()
	defer c.runningMu.Unlock()
	if c.running {
		return
	}
	c.running = true
	go c.run()
}

func (c *Cron) run() {
	for {
		timer := time.NewTimer(time.Hour)
		for {
			select {
			case <-timer.C:
			case e := <-c.add:
				timer.Stop()
				c.entries = append(c.entries, e)
			case replyChan := <-c.snapshot:
				replyChan <- c.entrySnapshot() // made with capacity 1 by Entries
				continue
			case <-c.stop:
				timer.Stop()
				return
			case id := <-c.remove:
				timer.Stop()
				c.removeEntry(id)
			}
			break
		}
	}
}

func (c *Cron) entrySnapshot() []Entry {
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, *e)
	}
	return out
}

func (c *Cron) removeEntry(id EntryID) {
	var kept []*Entry
	for _, e := range c.entries {
		if e.ID != id {
			kept = append(kept, e)
		}
	}
	c.entries = kept
}

// Remove sends to the run loop only while runningMu says it runs.
func (c *Cron) Remove(id EntryID) { // want Remove:`served\(locks= needs=\)`
	c.runningMu.Lock()
	defer c.runningMu.Unlock()
	if c.running {
		c.remove <- id
	} else {
		c.removeEntry(id)
	}
}

// Entries asks the run loop for a snapshot.
func (c *Cron) Entries() []Entry {
	c.runningMu.Lock()
	defer c.runningMu.Unlock()
	if c.running {
		replyChan := make(chan []Entry, 1)
		c.snapshot <- replyChan
		return <-replyChan
	}
	return c.entrySnapshot()
}

// RemoveUnchecked sends without the lock that says the loop runs.
func (c *Cron) RemoveUnchecked(id EntryID) { // want RemoveUnchecked:`served\(locks= needs=loopblock/holdoutcron.Cron.runningMu\)`
	c.remove <- id
}

func (c *Cron) Stop() {
	c.runningMu.Lock()
	defer c.runningMu.Unlock()
	if c.running {
		c.stop <- struct{}{}
		c.running = false
	}
}
