// Package lock holds blocking operations made while a mutex is held, in
// functions that are not event contexts, beside look-alikes that release
// the lock first.
package lock

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

type Cache struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	cond  *sync.Cond
	items map[string][]byte
	ready chan struct{}
	conn  net.Conn
	wg    sync.WaitGroup
	sync.Mutex
}

func (c *Cache) Refresh(url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	resp, err := http.Get(url) // want `http.Get without a timeout or context can block without bound while c.mu is held: every other user of the lock stalls too`
	if err != nil {
		return
	}
	resp.Body.Close()
}

func (c *Cache) Get(key string) []byte {
	c.rw.RLock()
	<-c.ready // want `channel receive from c.ready can block without bound while c.rw is held`
	v := c.items[key]
	c.rw.RUnlock()
	return v
}

func (c *Cache) Close() {
	c.Lock()
	c.wg.Wait() // want `sync.WaitGroup.Wait can block without bound while c is held`
	c.Unlock()
}

func (c *Cache) Backoff() {
	c.mu.Lock()
	pause() // want `call of lock.pause blocks for up to 1s \(it reaches time.Sleep at lock.go:\d+\) while c.mu is held`
	c.mu.Unlock()
}

func pause() { time.Sleep(time.Second) }

// ok: the lock is released before the request.
func (c *Cache) RefreshUnlocked(url string) {
	c.mu.Lock()
	c.items = nil
	c.mu.Unlock()
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// ok: Cond.Wait releases the lock while it waits.
func (c *Cache) WaitFor(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.items[key] == nil {
		c.cond.Wait()
	}
	return c.items[key]
}

// ok: writes are serialised by the lock; the connection is the caller's.
func (c *Cache) Send(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn.Write(b)
}

// ok: the goroutine does the waiting, not the lock holder.
func (c *Cache) CloseAsync() {
	c.mu.Lock()
	go func() {
		c.wg.Wait()
	}()
	c.mu.Unlock()
}

// ok: a non-blocking notification under the lock.
func (c *Cache) Notify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case c.ready <- struct{}{}:
	default:
	}
}

// ok: the lock is released on the early path, and blocking happens after.
func (c *Cache) Early(url string) {
	c.mu.Lock()
	if c.items == nil {
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	time.Sleep(time.Millisecond)
}

// ok: the lock is released before the wait and retaken after it; the
// deferred Unlock belongs to the second Lock (nats-server's
// Server.shutdownEventing).
func (c *Cache) ShutdownEvents() {
	c.mu.Lock()
	if c.items == nil {
		c.mu.Unlock()
		return
	}
	c.items = nil
	c.mu.Unlock()

	c.wg.Wait()

	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = map[string][]byte{}
}

// ok: the function lets go of the lock around the wait (nats-server's
// jetStream.createRaftGroup).
func (c *Cache) WaitCreating(key string, creating map[string]chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, ok := creating[key]; ok {
		c.mu.Unlock()
		<-ch
		c.mu.Lock()
	}
}

type node struct {
	sync.Mutex
	applied, commit int
}

// isCurrent is called with n held and releases it while it sleeps
// (nats-server's raft.isCurrent).
func (n *node) isCurrent() bool {
	for i := 0; i < 10 && n.applied < n.commit; i++ {
		n.Unlock()
		time.Sleep(time.Millisecond)
		n.Lock()
	}
	return n.applied >= n.commit
}

// ok: isCurrent sleeps without the lock.
func (n *node) Current() bool {
	n.Lock()
	defer n.Unlock()
	return n.isCurrent()
}

// ioSemaphore is a semaphore made of a channel whose acquire and
// release live in different methods (nats-server's diskIOSemaphore).
type ioSemaphore struct{ ch chan struct{} }

func (d *ioSemaphore) acquire() { <-d.ch }
func (d *ioSemaphore) release() { d.ch <- struct{}{} }

type store struct {
	mu  sync.Mutex
	sem *ioSemaphore
}

// ok: taking an I/O slot under the lock is like taking a second lock.
func (s *store) write(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sem.acquire()
	defer s.sem.release()
}

type future struct {
	mu     sync.Mutex
	doneCh chan int
	events chan string
	reply  chan int
}

func newFuture() *future {
	f := &future{events: make(chan string), reply: make(chan int, 1)}
	return f
}

// ok: doneCh and reply are made with room for the one reply they carry
// (nats.go's PubAckFuture).
func (f *future) complete(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.doneCh == nil {
		f.doneCh = make(chan int, 1)
	}
	f.doneCh <- v
	f.reply <- v
}

func (f *future) publish(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events <- s // want `channel send on f.events can block without bound while f.mu is held`
}

type options struct{ left chan int }

type consumer struct {
	mu    sync.Mutex
	left  chan int
	errCh chan error
	opts  options
}

func stopAfterNotify(left chan int) func(*options) {
	return func(o *options) { o.left = left }
}

func (c *consumer) start(big bool) {
	c.left = make(chan int, 1)
	stopAfterNotify(c.left)(&c.opts)
	var errCh chan error
	if big {
		errCh = make(chan error, 100)
	} else {
		errCh = make(chan error, 10)
	}
	c.errCh = errCh
}

func (c *consumer) startQuiet() {
	c.errCh = nil
}

// ok: the channels reach the fields through a parameter and a variable
// assigned on two paths, made with a buffer each time (nats.go's
// pullSubscription.Stop and Conn.processErr).
func (c *consumer) stop(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.opts.left <- 1
	if c.errCh != nil {
		c.errCh <- err
	}
}

type pool struct {
	sync.Mutex
	wg     sync.WaitGroup
	closed chan struct{}
	cancel context.CancelFunc
}

// ok: the goroutines have been told to stop before the wait joins them
// (amqp091-go's consumers.close).
func (p *pool) close() {
	p.Lock()
	defer p.Unlock()
	close(p.closed)
	p.wg.Wait()
}

// ok: the same, through a context.
func (p *pool) stop() {
	p.Lock()
	defer p.Unlock()
	p.cancel()
	p.wg.Wait()
}

// A deferred cancel runs after the wait: it stops nothing before it.
func (p *pool) run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p.Lock()
	defer p.Unlock()
	p.wg.Wait() // want `sync.WaitGroup.Wait can block without bound while p is held`
	_ = ctx
}

// A func literal called on the spot is part of its caller and a
// function of its own: its blocking under its own lock is reported once.
func (c *Cache) Inline(url string) {
	func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		time.Sleep(time.Millisecond) // want `time.Sleep blocks while c.mu is held`
	}()
}
