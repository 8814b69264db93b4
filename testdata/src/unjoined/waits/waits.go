// Package waits holds waits nothing can end (a Cond nobody signals, a
// WaitGroup waited on in the loop that starts its goroutines, a cancel
// func kept where nothing calls it), beside look-alikes.
package waits

import (
	"context"
	"sync"
)

type Pool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	avail int
}

func NewPool() *Pool {
	p := &Pool{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *Pool) Get() {
	p.mu.Lock()
	for p.avail == 0 {
		p.cond.Wait() // want `p.cond.Wait waits for a Signal or Broadcast that nothing in the package sends on cond`
	}
	p.avail--
	p.mu.Unlock()
}

func (p *Pool) Put() {
	p.mu.Lock()
	p.avail++
	p.mu.Unlock() // the missing p.cond.Signal()
}

type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

// ok: Push signals.
func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *Queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

type Gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

// ok: the Cond is handed out, so its signaller may be anywhere.
func (g *Gate) Cond() *sync.Cond { return g.cond }

func (g *Gate) Wait() {
	g.mu.Lock()
	for !g.open {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

func process(items []int, work func(int)) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			work(it)
		}()
		wg.Wait() // want `wg.Wait\(\) inside the loop waits for all len\(items\) goroutines that wg.Add counted before it`
	}
}

// ok: each turn adds one and waits for it.
func processEach(items []int, work func(int)) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(it)
		}()
		wg.Wait()
	}
}

// ok: Wait after the loop.
func processAll(items []int, work func(int)) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// ok: Add(1) before a loop that starts one goroutine per turn, then waits for
// the first only (the counter is one).
func first(items []int, work func(int)) {
	var wg sync.WaitGroup
	wg.Add(1)
	for _, it := range items {
		go func() {
			defer wg.Done()
			work(it)
		}()
		wg.Wait()
		return
	}
}

type Watcher struct {
	cancel context.CancelFunc
	stop   context.CancelFunc
	Cancel context.CancelFunc // exported: the caller calls it
}

func Watch(ctx context.Context, events chan<- int) *Watcher {
	w := &Watcher{}
	ctx, w.cancel = context.WithCancel(ctx) // want `the cancel func of context.WithCancel is kept in the field cancel, which nothing in the package calls`
	go func() {
		<-ctx.Done()
		close(events)
	}()
	return w
}

// ok: Close calls stop.
func WatchStoppable(ctx context.Context) *Watcher {
	w := &Watcher{}
	ctx, w.stop = context.WithCancel(ctx)
	go func() { <-ctx.Done() }()
	return w
}

func (w *Watcher) Close() { w.stop() }

// ok: an exported field is the caller's to call.
func WatchExported(ctx context.Context) *Watcher {
	w := &Watcher{}
	ctx, w.Cancel = context.WithCancel(ctx)
	go func() { <-ctx.Done() }()
	return w
}
