// Package defaults shows which loopblock rules a default run reports:
// a network call with no timeout in an event loop (loop-io) is
// reported; the opt-in rules (an early return that leaves a mutex
// locked, lock-leak; the same call in an HTTP handler, a
// channel receive or a wait under a lock, a channel send in a handler)
// are findings only when the user turns them on.
package defaults

import (
	"context"
	"net/http"
	"sync"
	"time"
)

type Cache struct {
	mu     sync.Mutex
	rw     sync.RWMutex
	ready  chan struct{}
	wg     sync.WaitGroup
	items  map[string][]byte
	events chan string
}

func (c *Cache) Run(ctx context.Context, jobs <-chan string, tick <-chan time.Time) {
	for {
		select {
		case u := <-jobs:
			resp, err := http.Post(u, "text/plain", nil) // want `http.Post without a timeout or context can block without bound in the for-select loop in Cache.Run`
			if err == nil {
				resp.Body.Close()
			}
		case <-tick:
			c.items = nil
		case <-ctx.Done():
			return
		}
	}
}

func (c *Cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://backend/") // ok: loopblock.handler-io is opt-in
	if err != nil {
		return
	}
	resp.Body.Close()
	c.events <- r.URL.Path // ok: loopblock.handler-chan is opt-in
}

func (c *Cache) Get(key string) []byte {
	c.rw.RLock()
	<-c.ready // ok: loopblock.lock-chan is opt-in
	v := c.items[key]
	c.rw.RUnlock()
	return v
}

func (c *Cache) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Wait() // ok: loopblock.lock-wait is opt-in
}

func (c *Cache) Put(key string, v []byte) {
	c.mu.Lock()
	if c.items == nil {
		return // ok: loopblock.lock-leak is opt-in
	}
	c.items[key] = v
	c.mu.Unlock()
}

func (c *Cache) Size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *Cache) Empty() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Size() == 0 // ok: loopblock.lock-reentry is opt-in
}
