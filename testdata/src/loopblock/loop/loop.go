// Package loop holds event loops (for-select loops that multiplex events,
// for-range loops that dispatch them) that block, beside workers and
// poll loops that may.
package loop

import (
	"context"
	"net"
	"os"
	"os/exec"
	"time"
)

type Event struct {
	Kind string
	Data []byte
}

type Dispatcher struct {
	in     chan Event
	out    chan Event
	ticker *time.Ticker
	conn   net.Conn
	jobs   chan func()
	quit   chan struct{}
	pause  time.Duration // configuration: no bound in the source
}

func (d *Dispatcher) Run(ctx context.Context) {
	for {
		select {
		case ev := <-d.in:
			d.out <- ev                           // want `channel send on d.out can block without bound in the for-select loop in Dispatcher.Run: every event behind it waits`
			exec.Command("notify", ev.Kind).Run() // want `exec.Cmd.Run of a command made by exec.Command can block without bound in the for-select loop in Dispatcher.Run`
		case <-d.ticker.C:
			d.flush()                    // want `call of loop.Dispatcher.flush sleeps \(it reaches time.Sleep at loop.go:\d+\) in the for-select loop in Dispatcher.Run`
			d.conn.Write([]byte("ping")) // want `net.Conn.Write with no deadline can block without bound in the for-select loop in Dispatcher.Run`
		case <-ctx.Done():
			return
		}
	}
}

func (d *Dispatcher) flush() {
	time.Sleep(d.pause)
}

// Dispatch hands each event to the code for its kind.
func (d *Dispatcher) Dispatch() {
	for ev := range d.in {
		switch ev.Kind {
		case "sleep":
			time.Sleep(d.pause) // want `time.Sleep blocks in the dispatch loop over d.in in Dispatcher.Dispatch`
		case "wait":
			<-d.out // want `channel receive from d.out can block without bound in the dispatch loop over d.in in Dispatcher.Dispatch`
		}
	}
}

// A loop literal started as a goroutine is an event loop too.
func (d *Dispatcher) Start() {
	go func() {
		for {
			select {
			case ev := <-d.in:
				d.out <- ev // want `channel send on d.out can block without bound in the for-select loop in a func literal in Dispatcher.Start`
			case <-d.ticker.C:
			}
		}
	}()
}

// ok: the case that stops the loop drains what is left: it is the
// loop's shutdown, not an event it serves (paho's output redirector).
func (d *Dispatcher) Redirect() {
	for {
		select {
		case ev := <-d.in:
			d.out <- ev // want `channel send on d.out can block without bound in the for-select loop in Dispatcher.Redirect`
		case <-d.ticker.C:
		case <-d.quit:
			for ev := range d.in {
				d.out <- ev
			}
			close(d.out)
			return
		}
	}
}

// ok: the loop reports on a channel made with room for the report in
// the enclosing function (nats-server's Server.processStreamRestore).
func (d *Dispatcher) Restore() chan error {
	doneCh := make(chan error, 1)
	go func() {
		for {
			select {
			case ev := <-d.in:
				_ = ev
			case <-d.ticker.C:
				doneCh <- nil
				return
			case <-d.quit:
				return
			}
		}
	}()
	return doneCh
}

// ok: the loop body's own work is bounded, and the blocking send sits
// in a select with a way out.
func (d *Dispatcher) Bounded(ctx context.Context) {
	for {
		select {
		case ev := <-d.in:
			select {
			case d.out <- ev:
			case <-ctx.Done():
				return
			}
		case <-d.ticker.C:
			d.conn.SetWriteDeadline(time.Now().Add(time.Second))
			d.conn.Write([]byte("ping"))
			cmd := exec.CommandContext(ctx, "notify")
			cmd.Run()
		case <-ctx.Done():
			return
		}
	}
}

// ok: a worker pool goroutine blocks on its own queue and on its jobs;
// it serves one queue, so it is not an event loop.
func (d *Dispatcher) Worker() {
	for {
		select {
		case job := <-d.jobs:
			job()
			time.Sleep(time.Millisecond)
		case <-d.quit:
			return
		}
	}
}

// ok: a worker draining its queue treats every value alike.
func (d *Dispatcher) Drain() {
	for ev := range d.in {
		d.out <- ev
		time.Sleep(time.Millisecond)
	}
}

// ok: a poll loop whose sleep is the point: no select, no events.
func (d *Dispatcher) Poll() {
	for {
		d.flush()
		time.Sleep(time.Second)
	}
}

// ok: a ticker loop with a quit case is a poll loop with a timer.
func (d *Dispatcher) Tick() {
	for {
		select {
		case <-d.ticker.C:
			d.flush()
		case <-d.quit:
			return
		}
	}
}

// ok: work handed to a goroutine does not stall the loop.
func (d *Dispatcher) Spawn(ctx context.Context) {
	for {
		select {
		case ev := <-d.in:
			go func() { d.out <- ev }()
		case <-d.ticker.C:
			go d.flush()
		case <-ctx.Done():
			return
		}
	}
}

// ok: a loop that dispatches signals serves the process, not events;
// it may block while it reloads (caddy's trapSignalsPosix).
func Signals(sigs chan os.Signal) {
	for sig := range sigs {
		switch sig {
		case os.Interrupt:
			exec.Command("reload").Run()
		}
	}
}
