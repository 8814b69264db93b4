package chansendserve

import (
	"errors"
	"net/http"
	"sync"
)

var errStopped = errors.New("stopped")

type runnable struct{ run func() }

// runnableGroup is controller-runtime's manager.runnableGroup.
type runnableGroup struct {
	start      sync.Mutex
	started    bool
	startQueue []*runnable

	stop    sync.RWMutex
	stopped bool

	ch      chan *runnable
	errChan chan error
}

func newRunnableGroup(errChan chan error) *runnableGroup {
	return &runnableGroup{ch: make(chan *runnable), errChan: errChan}
}

// Start is runnable_group.go:197.
func (r *runnableGroup) Start() {
	go r.reconcile()
	r.start.Lock()
	r.started = true
	for _, rn := range r.startQueue {
		r.ch <- rn // ok: reconcile takes r.stop, not r.start, and hands each runnable to a goroutine
	}
	r.start.Unlock()
}

// reconcile serves r.ch; its send on errChan under r.stop is reported
// here (runnable_group.go:245), not at every sender.
func (r *runnableGroup) reconcile() {
	for rn := range r.ch {
		r.stop.RLock()
		if r.stopped {
			r.errChan <- errStopped // want `channel send on r.errChan can block without bound while r.stop is held`
			r.stop.RUnlock()
			continue
		}
		r.stop.RUnlock()
		go rn.run()
	}
}

// Add is runnable_group.go:349: reconcile takes r.stop too.
func (r *runnableGroup) Add(rn *runnable) error {
	{
		r.start.Lock()
		if !r.started {
			r.startQueue = append(r.startQueue, rn)
			r.start.Unlock()
			return nil
		}
		r.start.Unlock()
	}

	r.stop.RLock()
	defer r.stop.RUnlock()
	if r.stopped {
		return errStopped
	}
	r.ch <- rn // want `channel send on r.ch can block without bound while r.stop is held`
	return nil
}

// controllerManager is controller-runtime's manager (internal.go:407).
type controllerManager struct {
	sync.Mutex
	servers *runnableGroup
	errChan chan error
}

func newManager() *controllerManager {
	errChan := make(chan error)
	return &controllerManager{servers: newRunnableGroup(errChan), errChan: errChan}
}

func (cm *controllerManager) Start(srv *runnable) error {
	cm.Lock()
	defer cm.Unlock()
	return cm.servers.Add(srv) // ok: Add only sends to reconcile, which never takes cm's lock (its own wait on r.stop is reported in Add)
}

// Notifier's loop fetches a URL per item: a send waits for the fetch.
type Notifier struct {
	mu    sync.Mutex
	queue chan string
}

func NewNotifier() *Notifier {
	n := &Notifier{queue: make(chan string)}
	go n.loop()
	return n
}

func (n *Notifier) loop() {
	for url := range n.queue {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
		}
	}
}

func (n *Notifier) Notify(url string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.queue <- url // want `channel send on n.queue can block without bound while n.mu is held`
}

// Counter's loop takes the sender's lock: a deadlock.
type Counter struct {
	mu      sync.Mutex
	updates chan int
	n       int
}

func NewCounter() *Counter {
	c := &Counter{updates: make(chan int)}
	go func() {
		for v := range c.updates {
			c.set(v)
		}
	}()
	return c
}

func (c *Counter) set(v int) {
	c.mu.Lock()
	c.n = v
	c.mu.Unlock()
}

func (c *Counter) Update(v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.updates <- v // want `channel send on c.updates can block without bound while c.mu is held`
}

// Serf sends on a channel its user gives it: nobody in the package
// receives from it (serf's EventCh, raft's observers).
type Serf struct {
	memberLock sync.RWMutex
	EventCh    chan<- string
}

func (s *Serf) handleJoin(name string) {
	s.memberLock.Lock()
	defer s.memberLock.Unlock()
	s.EventCh <- name // want `channel send on s.EventCh can block without bound while s.memberLock is held`
}

// drain loops stop on a context: once stopped, a send blocks forever.
type Drainer struct {
	mu   sync.Mutex
	errs chan error
	done <-chan struct{}
}

func (d *Drainer) run() {
	go func() {
		for {
			select {
			case err := <-d.errs:
				_ = err
			case <-d.done:
				return
			}
		}
	}()
}

func (d *Drainer) report(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.errs <- err // want `channel send on d.errs can block without bound while d.mu is held`
}
