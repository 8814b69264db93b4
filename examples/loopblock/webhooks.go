// Package loopblock is an instance of the pitfall that asynclint's
// loopblock check reports: a webhook dispatcher whose event loop posts
// each event to a subscriber with http.Post. One subscriber that accepts
// the connection and never answers stalls the loop: no other event is
// delivered, the tick that expires subscriptions never fires, and the
// senders in the HTTP handlers pile up behind the unbuffered channel.
//
// Run `asynclint -loopblock ./...` (or go vet -vettool) in this module to
// see the findings; the comments marked "loopblock:" say what it reports.
package loopblock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// An Event is something subscribers are told about.
type Event struct {
	Topic string          `json:"topic"`
	Data  json.RawMessage `json:"data"`
}

// A Dispatcher delivers events to the URLs subscribed to their topic.
type Dispatcher struct {
	events chan Event
	subs   chan subscription
	tick   *time.Ticker
	quit   chan struct{}

	mu      sync.Mutex
	targets map[string][]string // topic -> URLs
}

type subscription struct {
	topic, url string
}

// NewDispatcher returns a dispatcher; call Run in a goroutine of its own.
func NewDispatcher() *Dispatcher {
	return &Dispatcher{
		events:  make(chan Event),
		subs:    make(chan subscription),
		tick:    time.NewTicker(time.Minute),
		quit:    make(chan struct{}),
		targets: make(map[string][]string),
	}
}

// Run is the dispatcher's event loop.
func (d *Dispatcher) Run() {
	for {
		select {
		case ev := <-d.events:
			body, _ := json.Marshal(ev)
			for _, url := range d.targetsOf(ev.Topic) {
				// loopblock: http.Post has no timeout and no context; one
				// slow subscriber stalls every event behind it.
				resp, err := http.Post(url, "application/json", bytes.NewReader(body))
				if err == nil {
					resp.Body.Close()
				}
			}
		case s := <-d.subs:
			d.mu.Lock()
			d.targets[s.topic] = append(d.targets[s.topic], s.url)
			d.mu.Unlock()
		case <-d.tick.C:
			// loopblock: verify calls http.Head, two calls down.
			d.verify()
		case <-d.quit:
			return
		}
	}
}

func (d *Dispatcher) targetsOf(topic string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.targets[topic]...)
}

// verify drops subscribers that do not answer a ping.
func (d *Dispatcher) verify() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for topic, urls := range d.targets {
		kept := urls[:0]
		for _, url := range urls {
			// loopblock: the ping runs with d.mu held, so every handler
			// that subscribes or publishes waits for the slowest URL.
			resp, err := http.Head(url)
			if err != nil {
				continue
			}
			resp.Body.Close()
			kept = append(kept, url)
		}
		d.targets[topic] = kept
	}
}

// ServeHTTP publishes the posted event.
func (d *Dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var ev Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// loopblock: the send waits for the event loop, which may be stuck in
	// http.Post; the request hangs with it. A select with r.Context().Done()
	// bounds it.
	d.events <- ev
	w.WriteHeader(http.StatusAccepted)
}
