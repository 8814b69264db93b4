package bounded

import (
	"context"
	"net"
	"sync"
)

type request struct {
	key   string
	reply chan string
}

// Cache serialises its callers with mu and asks its own server
// goroutine, which answers every request, waits for nothing else but
// its context, and closes done when it leaves.
type Cache struct {
	mu   sync.Mutex
	reqs chan *request
	done chan struct{}
	data map[string]string
}

func NewCache(ctx context.Context) *Cache {
	c := &Cache{reqs: make(chan *request), done: make(chan struct{}), data: map[string]string{}}
	go c.serve(ctx)
	return c
}

func (c *Cache) serve(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case r := <-c.reqs:
			r.reply <- c.data[r.key] // ok: the requester always waits for the reply
		case <-ctx.Done():
			return
		}
	}
}

// ok: the request is taken or the server is gone; once taken, the
// server answers it before it waits for anything else.
func (c *Cache) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := &request{key: key, reply: make(chan string)}
	select {
	case c.reqs <- r:
	case <-c.done:
		return "", false
	}
	return <-r.reply, true
}

// Remote's server dials before it answers: the reply can wait without
// bound, and every caller of Get behind the lock with it.
type Remote struct {
	mu   sync.Mutex
	reqs chan *request
	done chan struct{}
	addr string
}

func NewRemote(ctx context.Context) *Remote {
	c := &Remote{reqs: make(chan *request), done: make(chan struct{})}
	go c.serve(ctx)
	return c
}

func (c *Remote) serve(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case r := <-c.reqs:
			conn, err := net.Dial("tcp", c.addr) // want `net.Dial without a timeout can block without bound in the worker loop in Remote.serve`
			if err == nil {
				conn.Close()
			}
			r.reply <- r.key
		case <-ctx.Done():
			return
		}
	}
}

func (c *Remote) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := &request{key: key, reply: make(chan string)}
	select {
	case c.reqs <- r:
	case <-c.done:
		return "", false
	}
	return <-r.reply, true // want `channel receive from r.reply can block without bound while c.mu is held`
}

// Locked's server takes the lock its requesters hold while they wait
// for the reply: they deadlock.
type Locked struct {
	mu   sync.Mutex
	reqs chan *request
	done chan struct{}
	data map[string]string
}

func NewLocked(ctx context.Context) *Locked {
	c := &Locked{reqs: make(chan *request), done: make(chan struct{})}
	go c.serve(ctx)
	return c
}

func (c *Locked) serve(ctx context.Context) {
	defer close(c.done)
	for {
		select {
		case r := <-c.reqs:
			c.mu.Lock()
			v := c.data[r.key]
			c.mu.Unlock()
			r.reply <- v
		case <-ctx.Done():
			return
		}
	}
}

func (c *Locked) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := &request{key: key, reply: make(chan string)}
	select {
	case c.reqs <- r:
	case <-c.done:
		return "", false
	}
	return <-r.reply, true // want `channel receive from r.reply can block without bound while c.mu is held`
}

// Ticker's server loop serves requests and ticks: an event loop. Its
// reply send waits for a requester that always receives it.
type Ticker struct {
	reqs  chan *request
	ticks chan int
	n     int
}

func (t *Ticker) Run(ctx context.Context) {
	for {
		select {
		case r := <-t.reqs:
			r.reply <- "tick" // ok: every sender on t.reqs waits for the reply
		case n := <-t.ticks:
			t.n = n
		case <-ctx.Done():
			return
		}
	}
}

func (t *Ticker) Ask() string {
	r := &request{reply: make(chan string)}
	t.reqs <- r
	return <-r.reply
}

// Fire's requests are sent by a caller that does not wait for the
// reply: the reply send can wait without bound.
type Fire struct {
	reqs  chan *request
	ticks chan int
	n     int
}

func (f *Fire) Run(ctx context.Context) {
	for {
		select {
		case r := <-f.reqs:
			r.reply <- "tick" // want `channel send on r.reply can block without bound in the for-select loop in Fire.Run`
		case n := <-f.ticks:
			f.n = n
		case <-ctx.Done():
			return
		}
	}
}

func (f *Fire) Ask() string {
	r := &request{reply: make(chan string)}
	f.reqs <- r
	return <-r.reply
}

func (f *Fire) Forget() {
	f.reqs <- &request{reply: make(chan string)}
}
