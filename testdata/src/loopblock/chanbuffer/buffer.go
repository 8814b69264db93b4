// Package chanbuffer holds sends on channels made with a buffer out of
// the sender's sight: by a wrapper of the package or of another one, by
// a constructor of another package that fills an exported field, by the
// only stores the package makes where other callers are out of sight,
// and in the slices of a generic type. Beside each, a look-alike whose
// channel is known to have no buffer, or has no known store at all.
package chanbuffer

import (
	"sync"

	"loopblock/chanlib"
)

func forward(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v
	}
}

// wrap returns a channel with room for 64 values that it forwards to ch.
func wrap(ch chan<- int) chan<- int {
	in := make(chan int, 64)
	go forward(in, ch)
	return in
}

// pipe is wrap's look-alike with no buffer.
func pipe(ch chan<- int) chan<- int {
	in := make(chan int)
	go forward(in, ch)
	return in
}

type Relay struct {
	mu  sync.Mutex
	out chan<- int
	raw chan<- int
}

// ok: the channel is replaced by the buffered one wrap returns.
func (r *Relay) Send(ch chan<- int, v int) {
	ch = wrap(ch)
	r.mu.Lock()
	defer r.mu.Unlock()
	ch <- v // ok: wrap made it with a buffer
}

func (r *Relay) SendPiped(ch chan<- int, v int) {
	ch = pipe(ch)
	r.mu.Lock()
	defer r.mu.Unlock()
	ch <- v // want `channel send on ch can block without bound while r.mu is held`
}

func NewRelay(ch chan<- int) *Relay {
	return &Relay{out: chanlib.Wrap(ch), raw: chanlib.Pipe(ch)}
}

// ok: out is made with a buffer by chanlib.Wrap (its fact).
func (r *Relay) Put(v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out <- v // ok: buffered in chanlib.Wrap
	r.raw <- v // want `channel send on r.raw can block without bound while r.mu is held`
}

// ok: the Events field of a chanlib.Feed is made with a buffer there.
func Publish(mu *sync.Mutex, f *chanlib.Feed, s *chanlib.SyncFeed) {
	mu.Lock()
	defer mu.Unlock()
	f.Events <- 1 // ok: chanlib fills it with a buffered channel only
	s.Events <- 1 // want `channel send on s.Events can block without bound while mu is held`
}

// Pool's free list is made with a buffer wherever the package makes it;
// NewPoolWith's callers are out of sight.
type Pool struct {
	mu   sync.Mutex
	free chan int
}

func NewPool() *Pool { return &Pool{free: make(chan int, 8)} }

func NewPoolWith(free chan int) *Pool { return &Pool{free: free} }

// ok: every channel the package puts in free has a buffer.
func (p *Pool) Put(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free <- v // ok: made with a buffer in NewPool
}

// SyncPool's look-alike is also made without a buffer once.
type SyncPool struct {
	mu   sync.Mutex
	free chan int
}

func NewSyncPool(n int) *SyncPool {
	if n == 0 {
		return &SyncPool{free: make(chan int)}
	}
	return &SyncPool{free: make(chan int, n)}
}

func (p *SyncPool) Put(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free <- v // want `channel send on p.free can block without bound while p.mu is held`
}

// Broadcaster gives each subscriber a channel with room for one value
// (generic code: each method sees the fields through its own receiver
// type parameters).
type Broadcaster[T any] struct {
	mu   sync.Mutex
	subs []chan T
}

func (b *Broadcaster[T]) Subscribe() <-chan T {
	ch := make(chan T, 1)
	b.mu.Lock()
	b.subs = append(b.subs, ch)
	b.mu.Unlock()
	return ch
}

// ok: every channel in b.subs has a buffer.
func (b *Broadcaster[T]) Publish(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		ch <- v // ok: made with a buffer in Subscribe
	}
}

// SyncBroadcaster is the look-alike whose subscribers' channels have
// no buffer.
type SyncBroadcaster[T any] struct {
	mu   sync.Mutex
	subs []chan T
}

func (b *SyncBroadcaster[T]) Subscribe() <-chan T {
	ch := make(chan T)
	b.mu.Lock()
	b.subs = append(b.subs, ch)
	b.mu.Unlock()
	return ch
}

func (b *SyncBroadcaster[T]) Publish(v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		ch <- v // want `channel send on ch can block without bound while b.mu is held`
	}
}

// Snapshots answers on the reply channel it receives, which the
// package's requesters make with room for the answer.
type Snapshots struct {
	mu       sync.Mutex
	requests chan chan []int
	syncReqs chan chan []int
	items    []int
}

func (s *Snapshots) Get() []int {
	reply := make(chan []int, 1)
	s.requests <- reply
	return <-reply
}

func (s *Snapshots) GetSync() []int {
	reply := make(chan []int)
	s.syncReqs <- reply
	return <-reply
}

// ok: every reply channel sent on s.requests has a buffer.
func (s *Snapshots) Serve() {
	for {
		select {
		case reply := <-s.requests:
			s.mu.Lock()
			reply <- s.items // ok: made with a buffer in Get
			s.mu.Unlock()
		case reply := <-s.syncReqs:
			s.mu.Lock()
			reply <- s.items // want `channel send on reply can block without bound while s.mu is held`
			s.mu.Unlock()
		}
	}
}
