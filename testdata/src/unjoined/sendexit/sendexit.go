package sendexit

import "context"

type request struct {
	key   string
	reply chan string
}

type Store struct {
	reqs  chan request
	sets  chan [2]string
	quit  chan struct{}
	done  chan struct{}
	data  map[string]string
	stops chan struct{}
}

func New() *Store {
	s := &Store{reqs: make(chan request), sets: make(chan [2]string), quit: make(chan struct{}),
		done: make(chan struct{}), data: map[string]string{}, stops: make(chan struct{})}
	go s.loop()
	return s
}

func (s *Store) loop() {
	defer close(s.done)
	for {
		select {
		case r := <-s.reqs:
			r.reply <- s.data[r.key]
		case kv := <-s.sets:
			s.data[kv[0]] = kv[1]
		case <-s.quit:
			return
		}
	}
}

// Get sends to a loop that Close may have ended.
func (s *Store) Get(key string) string {
	r := request{key: key, reply: make(chan string, 1)}
	s.reqs <- r // want `send on s.reqs blocks forever once the loop that receives it has returned`
	return <-r.reply
}

// Set does too.
func (s *Store) Set(k, v string) {
	s.sets <- [2]string{k, v} // want `send on s.sets blocks forever`
}

// SetSafe selects on the loop's exit as well.
func (s *Store) SetSafe(k, v string) bool { // ok
	select {
	case s.sets <- [2]string{k, v}:
		return true
	case <-s.done:
		return false
	}
}

// Close sends the stop request the loop leaves on.
func (s *Store) Close() { // ok: the leaving case's channel is not served
	close(s.quit)
	<-s.done
}

// A worker that never leaves its loop.
type Pool struct {
	jobs chan func()
}

func NewPool() *Pool {
	p := &Pool{jobs: make(chan func())}
	go func() { // want `goroutine started by NewPool loops forever`
		for {
			select {
			case j := <-p.jobs:
				j()
			}
		}
	}()
	return p
}

func (p *Pool) Submit(j func()) { p.jobs <- j } // ok: the loop never leaves

// A loop that stops on its context; its requests are also drained
// after it leaves.
type Drained struct {
	in chan int
}

func StartDrained(ctx context.Context) *Drained {
	d := &Drained{in: make(chan int)}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case v := <-d.in:
				_ = v
			}
		}
	}()
	go func() {
		<-ctx.Done()
		for range d.in { // received elsewhere too
		}
	}()
	return d
}

func (d *Drained) Put(v int) { d.in <- v } // ok: another receiver drains it

// A loop that ends when its own channel is closed.
type Closer struct {
	in chan int
}

func StartCloser() *Closer {
	c := &Closer{in: make(chan int)}
	go func() {
		for v := range c.in {
			_ = v
		}
	}()
	return c
}

func (c *Closer) Put(v int) { c.in <- v } // ok: no other case leaves
func (c *Closer) Stop()     { close(c.in) }

// Ctx stops on a context; Push is a request after the stop.
type Ctx struct {
	events chan string
}

func StartCtx(ctx context.Context) *Ctx {
	c := &Ctx{events: make(chan string)}
	go c.run(ctx)
	return c
}

func (c *Ctx) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-c.events:
			_ = e
		}
	}
}

func (c *Ctx) Push(e string) {
	c.events <- e // want `send on c.events blocks forever`
}
