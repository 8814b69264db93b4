// Package defaults shows which loopblock rules a default run reports:
// the network call in a handler (handler-io) is reported; the opt-in
// rules (a channel receive or a wait under a lock, a channel send in a
// handler) are findings only when the user turns them on.
package defaults

import (
	"net/http"
	"sync"
)

type Cache struct {
	mu     sync.Mutex
	rw     sync.RWMutex
	ready  chan struct{}
	wg     sync.WaitGroup
	items  map[string][]byte
	events chan string
}

func (c *Cache) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://backend/") // want `http.Get without a timeout or context can block without bound in HTTP handler Cache.ServeHTTP`
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
