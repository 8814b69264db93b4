// Package chanotify holds notification channels that the package
// offers its importers behind a switch (if cfg.NotifyX { c.XChan <- ev }):
// the user who turns the switch on reads the exported channel by
// contract. Beside them, look-alikes that stay reported: a channel of
// the package's own, a switch that is not a plain flag, a nil check
// (hashicorp/serf's EventCh, whose consumer must keep up), and an
// exported channel that the package reads itself.
package chanotify

import "sync"

type Options struct {
	NotifyDisconnect bool
	Verbose          bool
	Quiet            bool
}

type Client struct {
	mu   sync.Mutex
	opts Options
	// DisconnectChan receives the cause of each lost connection when
	// Options.NotifyDisconnect is set; the user must read it.
	DisconnectChan chan error
	// EventCh receives events when set.
	EventCh chan string
	errs    chan error
}

func NewClient(opts Options) *Client {
	return &Client{opts: opts, DisconnectChan: make(chan error), errs: make(chan error)}
}

func (c *Client) lost(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.opts.NotifyDisconnect {
		c.DisconnectChan <- err // ok: the user turned the notification on and reads it
	}
	if c.opts.NotifyDisconnect && err != nil {
		c.DisconnectChan <- err // ok: the same switch, with a condition more
	}
	if c.opts.Verbose {
		c.errs <- err // want `channel send on c.errs can block without bound while c.mu is held`
	}
	if !c.opts.Quiet {
		c.DisconnectChan <- err // want `channel send on c.DisconnectChan can block without bound while c.mu is held`
	}
	if c.EventCh != nil {
		c.EventCh <- "lost" // want `channel send on c.EventCh can block without bound while c.mu is held`
	}
}

// Hub's Updates is exported, but the package reads it itself: it is
// the package's queue, not a notification.
type Hub struct {
	mu      sync.Mutex
	Notify  bool
	Updates chan int
}

func (h *Hub) push(v int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.Notify {
		h.Updates <- v // want `channel send on h.Updates can block without bound while h.mu is held`
	}
}

func (h *Hub) run() {
	for v := range h.Updates {
		_ = v
	}
}
