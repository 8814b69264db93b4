// Package holdoutbuffer holds sends on channels made with a buffer that
// reach the send through a slice, a map, a struct literal or a range
// (sarama's currentRefresh, etcd's watcherStream), beside look-alikes
// where one of the channels has no buffer.
package holdoutbuffer

import "sync"

// Refresh is sarama's currentRefresh: each waiter gets its own channel
// of capacity 1, and the refresher sends one value to each.
type Refresh struct {
	mu    sync.Mutex
	chans []chan error
	byKey map[string]chan error
}

func (r *Refresh) wait() chan error {
	ch := make(chan error, 1)
	r.chans = append(r.chans, ch)
	return ch
}

func (r *Refresh) waitKey(key string) chan error {
	ch := make(chan error, 1)
	r.byKey[key] = ch
	return ch
}

func (r *Refresh) clear() {
	r.chans = r.chans[:0]
}

// ok: every channel in r.chans is made with capacity 1 and gets one send
// (sarama metadata.go:178).
func (r *Refresh) Finish(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ch := range r.chans {
		ch <- err // ok: made with a buffer in wait
		close(ch)
	}
	for _, ch := range r.byKey {
		ch <- err // ok: made with a buffer in waitKey
	}
	r.byKey["x"] <- err // ok: made with a buffer in waitKey
	r.clear()
}

// Pending is the look-alike: one of its waiters gets an unbuffered
// channel.
type Pending struct {
	mu    sync.Mutex
	chans []chan error
	byKey map[string]chan error
}

func (p *Pending) wait(sync bool) chan error {
	ch := make(chan error, 1)
	if sync {
		p.chans = append(p.chans, make(chan error))
		return nil
	}
	p.chans = append(p.chans, ch)
	return ch
}

func (p *Pending) adopt(chans []chan error) {
	p.byKey = map[string]chan error{"all": make(chan error, 1)}
	p.chans = append(p.chans, chans...)
}

func (p *Pending) Finish(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ch := range p.chans {
		ch <- err // want `channel send on ch can block without bound while p.mu is held`
	}
	for _, ch := range p.byKey {
		ch <- err // ok: the only channel of the map literal has a buffer
	}
}

// Stream is etcd's watcherStream: outc is made with capacity 1 where the
// stream is built; a test builds one with an unbuffered channel.
type Stream struct {
	mu    sync.Mutex
	outc  chan int
	recvc chan int
}

func newStream() *Stream {
	outc := make(chan int, 1)
	return &Stream{outc: outc, recvc: make(chan int)}
}

// ok: outc is made with capacity 1, wherever the test makes it (etcd
// watch.go:847).
func (s *Stream) Created(rev int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outc <- rev  // ok: made with a buffer in newStream
	s.recvc <- rev // want `channel send on s.recvc can block without bound while s.mu is held`
}

// Observer is raft's Observer: one caller passes a buffered channel,
// another an unbuffered one. (In raft the unbuffered ones come from its
// tests, which stand for its callers; analysistest wants a diagnostic in
// both the package and its test variant, so this fixture cannot show
// that, and the precision harness's raft observer.go:138 does.)
type Observer struct {
	mu sync.Mutex
	ch chan int
}

func NewObserver(ch chan int) *Observer { return &Observer{ch: ch} }

func newDefaultObserver() *Observer { return NewObserver(make(chan int, 1)) }

func newSyncObserver() *Observer { return NewObserver(make(chan int)) }

func (o *Observer) Notify(v int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ch <- v // want `channel send on o.ch can block without bound while o.mu is held`
}
