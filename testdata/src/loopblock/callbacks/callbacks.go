// Package callbacks holds callbacks that an event loop runs, registered
// in func fields, beside look-alikes that stay silent.
package callbacks

import (
	"context"
	"net/http"
	"time"
)

type Event struct{ Kind, URL string }

type Dispatcher struct {
	events   chan Event
	ticks    <-chan time.Time
	handlers map[string][]func(Event)
	onTick   func()
	workers  []func(Event) // run on goroutines of their own
}

func (d *Dispatcher) AddEventHandler(kind string, fn func(Event)) { // want AddEventHandler:`runsOnLoop\(1\)`
	d.handlers[kind] = append(d.handlers[kind], fn)
}

func (d *Dispatcher) Run(ctx context.Context) {
	for {
		select {
		case ev := <-d.events:
			for _, h := range d.handlers[ev.Kind] {
				h(ev)
			}
			for _, w := range d.workers {
				go w(ev)
			}
		case <-d.ticks:
			d.onTick()
		case <-ctx.Done():
			return
		}
	}
}

func notify(ev Event) {
	resp, err := http.Post(ev.URL, "text/plain", nil) // want `http.Post without a timeout or context can block without bound in a callback that the for-select loop in Dispatcher.Run runs \(through the field handlers\)`
	if err == nil {
		resp.Body.Close()
	}
}

type Service struct{ client *http.Client }

func (s *Service) refresh() {
	resp, err := http.Get("http://config/") // want `in a callback that the for-select loop in Dispatcher.Run runs \(through the field onTick\)`
	if err == nil {
		resp.Body.Close()
	}
}

func Setup(d *Dispatcher, s *Service) {
	d.AddEventHandler("push", notify)
	d.AddEventHandler("log", func(ev Event) { println(ev.URL) }) // ok: prints
	d.onTick = s.refresh
	d.workers = append(d.workers, func(ev Event) { // ok: runs on its own goroutine
		resp, err := http.Get(ev.URL)
		if err == nil {
			resp.Body.Close()
		}
	})
	d.AddEventHandler("ctx", func(ev Event) { // ok: bounded by a timeout
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ev.URL, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	})
}

// ok: a callback field that no loop calls.
type Hooks struct{ onClose func() }

func (h *Hooks) Close() { h.onClose() }

func install(h *Hooks) {
	h.onClose = func() {
		resp, err := http.Get("http://audit/")
		if err == nil {
			resp.Body.Close()
		}
	}
}
