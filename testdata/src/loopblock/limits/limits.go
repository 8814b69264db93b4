// Package limits pins loopblock's known false positives on real code:
// each case below is reported although the real code it mimics is fine,
// for a reason a per-package static analysis cannot see. The reason is
// given on each. If a change stops one of them from being reported, turn
// its `want` into an `// ok` comment: that is a fix.
package limits

import (
	"context"
	"sync"
	"time"
)

// producer mimics sarama's asyncProducer: txLock serialises the
// transaction API, and flushing the transaction under it is the point.
type producer struct {
	txLock sync.Mutex
	input  chan int
}

func (p *producer) flush() { p.input <- 1 }

// CommitTxn mimics sarama async_producer.go:511.
func (p *producer) CommitTxn() {
	p.txLock.Lock()
	defer p.txLock.Unlock()
	// LIMIT: the lock exists to serialise this flush; the intent lives in the protocol.
	p.flush() // want `call of limits.producer.flush can block without bound`
}

// dispatch serves p.input but calls back into the transaction API,
// which is why no serving-loop rule applies.
func (p *producer) dispatch() {
	for range p.input {
		p.CommitTxn()
	}
}

type promise struct {
	packets chan []byte
	errors  chan error
}

func await(pr *promise) error {
	select {
	case <-pr.packets:
		return nil
	case err := <-pr.errors:
		return err
	}
}

// broker mimics sarama's Broker: b.lock serialises requests on one
// connection, and the response reader, bounded by a read deadline set at
// run time, always completes the promise.
type broker struct {
	lock sync.Mutex
}

// Send mimics sarama broker.go:1252 (and offset_manager.go:334).
func (b *broker) Send(pr *promise) error {
	b.lock.Lock()
	defer b.lock.Unlock()
	// LIMIT: the reader's read deadline bounds the wait; it is set from configuration at run time.
	return await(pr) // want `call of limits.await can block without bound`
}

// router mimics watermill's Router: the lock orders WaitGroup.Add
// against Wait, and holding it across Wait on close is what stops new
// handlers from starting.
type router struct {
	wgLock sync.Mutex
	wg     sync.WaitGroup
}

func (r *router) addHandler(run func()) {
	r.wgLock.Lock()
	r.wg.Add(1)
	r.wgLock.Unlock()
	go func() {
		defer r.wg.Done()
		run()
	}()
}

// Close mimics watermill message/router.go:608.
func (r *router) Close() {
	r.wgLock.Lock()
	defer r.wgLock.Unlock()
	// LIMIT: the lock orders Add before Wait on purpose.
	r.wg.Wait() // want `sync.WaitGroup.Wait can block without bound while r.wgLock is held`
}

// stream mimics etcd's watchGRPCStream: the loop sleeps a back-off that
// its caller threads through, capped on one branch only.
type stream struct {
	reqc  chan int
	respc chan int
}

var maxBackoff = 100 * time.Millisecond

func (s *stream) backoffIfUnavailable(backoff time.Duration) time.Duration {
	if backoff < maxBackoff {
		backoff = backoff + backoff/4
		if backoff > maxBackoff {
			backoff = maxBackoff
		}
	}
	time.Sleep(backoff)
	return backoff
}

// Run mimics etcd watch.go:671.
func (s *stream) Run(ctx context.Context) {
	backoff := time.Millisecond
	for {
		select {
		case <-s.reqc:
		case <-s.respc:
			// LIMIT: the bound comes from the caller (the back-off it threads
			// through starts at 1ms); parameters are not followed.
			backoff = s.backoffIfUnavailable(backoff) // want `call of limits.stream.backoffIfUnavailable sleeps`
		case <-ctx.Done():
			return
		}
	}
}

// services mimics centrifugo's service.Manager: every other user of
// sm.mu (Register, Run) runs before the single Wait, in the same
// goroutine, so nobody contends for the lock.
type services struct {
	mu sync.Mutex
	wg sync.WaitGroup
}

func (sm *services) Run(f func()) {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	sm.wg.Add(1)
	go func() {
		defer sm.wg.Done()
		f()
	}()
}

// Wait mimics centrifugo internal/service/service.go:57.
func (sm *services) Wait() {
	sm.mu.Lock()
	defer sm.mu.Unlock()
	// LIMIT: the order of calls across functions is out of reach.
	sm.wg.Wait() // want `sync.WaitGroup.Wait can block without bound while sm.mu is held`
}

// transport mimics centrifugo's test transport: sink is never assigned,
// so the guarded send is dead code.
type transport struct {
	mu   sync.Mutex
	sink chan int
}

// Write mimics centrifugo internal/tools/test_helpers.go:53.
func (t *transport) Write(v int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sink != nil {
		// LIMIT: that the field is never assigned is not used.
		t.sink <- v // want `channel send on t.sink can block without bound while t.mu is held`
	}
}
