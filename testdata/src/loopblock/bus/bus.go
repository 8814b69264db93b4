// Package bus is a dispatcher whose loop runs the handlers other
// packages register (the fact side of callback-io across packages).
package bus

import (
	"context"
	"time"
)

type Event struct{ Kind, URL string }

type Bus struct {
	events   chan Event
	ticks    <-chan time.Time
	onTick   func()
	handlers map[string][]func(Event)
	workers  []func(Event)
	onClose  func()
}

// Subscribe registers fn: the loop in Run calls it.
func (b *Bus) Subscribe(kind string, fn func(Event)) { // want Subscribe:`runsOnLoop\(1\)`
	b.handlers[kind] = append(b.handlers[kind], fn)
}

// Spawn registers fn to run on a goroutine of its own.
func (b *Bus) Spawn(fn func(Event)) {
	b.workers = append(b.workers, fn)
}

// OnClose registers fn: Close calls it, not the loop.
func (b *Bus) OnClose(fn func()) {
	b.onClose = fn
}

func (b *Bus) Close() {
	if b.onClose != nil {
		b.onClose()
	}
}

func (b *Bus) Run(ctx context.Context) {
	for {
		select {
		case ev := <-b.events:
			for _, h := range b.handlers[ev.Kind] {
				h(ev)
			}
			for _, w := range b.workers {
				go w(ev)
			}
		case <-b.ticks:
			b.onTick()
		case <-ctx.Done():
			return
		}
	}
}
