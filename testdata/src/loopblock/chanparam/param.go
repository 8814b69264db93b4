// Package chanparam holds sends on and receives from channels that a
// function is handed by its caller (a Prometheus collector's
// Collect(ch), a request's reply channel), beside look-alikes on
// channels of the function's own: one of its struct, a parameter it
// replaced, a field the package fills with an unbuffered channel, a
// range that waits for the producer's whole run, and calls that hand
// an unbuffered channel to a helper that sends on it.
package chanparam

import (
	"sync"
	"time"

	"loopblock/chanlib"
)

type Metric struct{ Name string }

type Collector struct {
	mu      sync.Mutex
	metrics []Metric
	out     chan Metric
}

// ok: the registry that calls Collect drains ch while it runs.
func (c *Collector) Collect(ch chan<- Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.metrics {
		ch <- m // ok: the caller's channel, drained by the caller
	}
}

// Publish sends on a channel of its struct, which nobody is known to
// drain.
func (c *Collector) Publish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range c.metrics {
		c.out <- m // want `channel send on c.out can block without bound while c.mu is held`
	}
}

// ok: the caller sends the value it asks Await to wait for.
func (c *Collector) Await(reply <-chan Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.metrics = append(c.metrics, <-reply) // ok: the caller's channel
}

// Replace sends on a channel it made itself in place of the caller's.
func (c *Collector) Replace(ch chan Metric) {
	ch = make(chan Metric)
	c.mu.Lock()
	defer c.mu.Unlock()
	ch <- Metric{} // want `channel send on ch can block without bound while c.mu is held`
}

// Drain waits for the caller's producer to close ch: its whole run, not
// one exchange.
func (c *Collector) Drain(ch <-chan Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for m := range ch { // want `range over channel ch can block without bound while c.mu is held`
		c.metrics = append(c.metrics, m)
	}
}

// emit sends on what it is handed: its callers judge.
func emit(ch chan<- Metric, m Metric) { ch <- m }

// ok: the channel Flush hands over has room for the value.
func (c *Collector) Flush() Metric {
	ch := make(chan Metric, 1)
	c.mu.Lock()
	emit(ch, Metric{}) // ok: ch has a buffer
	c.mu.Unlock()
	return <-ch
}

// ok: CollectVia hands over its own caller's channel.
func (c *Collector) CollectVia(ch chan<- Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	emit(ch, Metric{}) // ok: the caller's channel
}

// FlushSync hands over an unbuffered channel of its own.
func (c *Collector) FlushSync() {
	ch := make(chan Metric)
	go func() { <-ch }()
	c.mu.Lock()
	defer c.mu.Unlock()
	emit(ch, Metric{}) // want `call of chanparam.emit can block without bound \(it reaches channel send on ch at param.go:\d+\) while c.mu is held`
}

// FlushOut hands over its struct's channel, of unknown capacity.
func (c *Collector) FlushOut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	emit(c.out, Metric{}) // want `call of chanparam.emit can block without bound`
}

// The same one call deep into another package, through its facts.
func (c *Collector) EmitAll(ch chan<- int) {
	buf := make(chan int, 1)
	unbuf := make(chan int)
	c.mu.Lock()
	defer c.mu.Unlock()
	chanlib.Emit(ch, 1)    // ok: the caller's channel
	chanlib.Emit(buf, 1)   // ok: buf has a buffer
	chanlib.Emit(unbuf, 1) // want `call of chanlib.Emit can block without bound \(it reaches channel send on ch at lib.go:\d+\) while c.mu is held`
}

// Request is what a caller submits: it makes Done and waits on it.
type Request struct {
	Key  string
	Done chan error
}

// Job's Result is made by the package, with no buffer.
type Job struct {
	Result chan int
}

func NewJob() *Job { return &Job{Result: make(chan int)} }

type hub struct{ events chan int }

type Server struct {
	mu    sync.Mutex
	state map[string]int
}

// ok: r.Done is the reply channel of the request the caller built and
// waits on.
func (s *Server) Apply(r *Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state[r.Key]++
	r.Done <- nil // ok: a field of the caller's request
}

// Finish sends on a field the package fills with an unbuffered channel
// itself: the struct is the caller's, the protocol the package's.
func (s *Server) Finish(j *Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j.Result <- 1 // want `channel send on j.Result can block without bound while s.mu is held`
}

// Notify sends on an unexported field of a long-lived hub it is given:
// only the package can have filled it.
func (s *Server) Notify(h *hub) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h.events <- 1 // want `channel send on h.events can block without bound while s.mu is held`
}

type Stage struct {
	in    chan Metric
	other chan Metric
	tick  *time.Ticker
}

// ok: a pipeline stage: out is its caller's, and waiting for its reader
// is the back-pressure the caller wired.
func (st *Stage) Forward(out chan<- Metric) {
	for {
		select {
		case m := <-st.in:
			out <- m // ok: the caller's channel
		case <-st.tick.C:
		}
	}
}

// ForwardOwn is the stage with a channel of its struct.
func (st *Stage) ForwardOwn() {
	for {
		select {
		case m := <-st.in:
			st.other <- m // want `channel send on st.other can block without bound in the for-select loop in Stage.ForwardOwn`
		case <-st.tick.C:
		}
	}
}
