package chansendserve

import "sync"

// Forwarder's loop hands each value on to a consumer and can wait for
// it as long as it takes: the select's other way out is only a stop
// signal, so the loop is not back to receive in bounded time.
type Forwarder struct {
	mu     sync.Mutex
	in     chan int
	out    chan int
	closed chan struct{}
}

func (f *Forwarder) start() {
	go func() {
		for v := range f.in {
			select {
			case f.out <- v:
			case <-f.closed:
				return
			}
		}
	}()
}

func (f *Forwarder) close() {
	f.mu.Lock()
	close(f.closed)
	f.mu.Unlock()
}

func (f *Forwarder) Send(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.in <- v // want `channel send on f.in can block without bound while f.mu is held`
}

// Late's goroutine waits for a start signal before it serves.
type Late struct {
	mu    sync.Mutex
	ready chan int
	ch    chan int
	n     int
}

func (l *Late) start() {
	go func() {
		<-l.ready
		for v := range l.ch {
			l.n += v
		}
	}()
}

func (l *Late) Send(v int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ch <- v // want `channel send on l.ch can block without bound while l.mu is held`
}

// Nested holds two locks; the loop takes the inner one.
type Nested struct {
	outer   sync.Mutex
	inner   sync.Mutex
	updates chan int
	n       int
}

func (s *Nested) start() {
	go func() {
		for v := range s.updates {
			s.inner.Lock()
			s.n = v
			s.inner.Unlock()
		}
	}()
}

func (s *Nested) Update(v int) {
	s.outer.Lock()
	defer s.outer.Unlock()
	s.inner.Lock()
	defer s.inner.Unlock()
	s.updates <- v // want `channel send on s.updates can block without bound while s.outer is held`
}

// Pool starts a literal goroutine given its channel, then keeps the
// channel in a field: the literal serves the field.
type Pool struct {
	mu   sync.Mutex
	jobs chan func()
}

func NewPool() *Pool {
	jobs := make(chan func())
	go func(in chan func()) {
		for job := range in {
			go job()
		}
	}(jobs)
	return &Pool{jobs: jobs}
}

func (p *Pool) Submit(job func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.jobs <- job // ok: the pool's loop only starts a goroutine per job and never takes p.mu
}
