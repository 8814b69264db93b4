// Package endless holds goroutines that constructors and methods start
// with no way to stop them.
package endless

import (
	"context"
	"sync"
	"time"
)

type Cache struct {
	mu    sync.Mutex
	items map[string]string
	done  chan struct{}
}

func (c *Cache) evict() {}

// NewCache starts an eviction loop that Close cannot stop (a common
// shape in caches and rate limiters).
func NewCache() *Cache {
	c := &Cache{items: map[string]string{}}
	go c.evictLoop() // want `goroutine started by NewCache loops forever with no way to stop it \(no context, stop channel or closed channel ends its loop\); \(\*Cache\).Close does not stop it`
	return c
}

func (c *Cache) evictLoop() {
	for {
		time.Sleep(time.Minute)
		c.evict()
	}
}

func (c *Cache) Close() error { return nil }

type FixedCache struct {
	done chan struct{}
}

func (c *FixedCache) evict() {}

// NewFixedCache gives the loop a done channel that Close closes.
func NewFixedCache() *FixedCache {
	c := &FixedCache{done: make(chan struct{})}
	go c.evictLoop() // ok: returns when done is closed
	return c
}

func (c *FixedCache) evictLoop() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			c.evict()
		case <-c.done:
			return
		}
	}
}

func (c *FixedCache) Close() error { close(c.done); return nil }

type Reporter struct{ n int }

func (r *Reporter) flush() {}

// Start ranges over a ticker, whose channel is never closed.
func (r *Reporter) Start() {
	go func() { // want `goroutine started by \(\*Reporter\).Start loops forever with no way to stop it`
		t := time.NewTicker(time.Second)
		for range t.C {
			r.flush()
		}
	}()
}

// StartContext ties the loop to a context the caller cancels.
func (r *Reporter) StartContext(ctx context.Context) {
	go func() { // ok: returns on ctx.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.flush()
			case <-ctx.Done():
				return
			}
		}
	}()
}

type Server struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewServer's Close cancels and waits: nothing leaks.
func NewServer() *Server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel}
	s.wg.Add(1)
	go func() { // ok: Close cancels ctx and waits
		defer s.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
	}()
	return s
}

func (s *Server) Close() { s.cancel(); s.wg.Wait() }

// Spin is a plain function: its caller owns the goroutine's lifetime.
func Spin(f func()) {
	go func() { // ok: not a constructor or method
		for {
			f()
		}
	}()
}

// NewBounded starts bounded work.
func NewBounded(xs []int) *Cache {
	c := &Cache{}
	go func() { // ok: the loop ends
		for range xs {
			c.evict()
		}
	}()
	return c
}
