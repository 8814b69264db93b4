// Package defaults shows which unjoined rules a default run reports:
// none measured 95 % on untouched code, so a goroutine that nothing can
// stop (unstoppable, 11 of 12), one whose send its parent stops
// receiving (blocked-send) and a WaitGroup not waited for on an early
// return (missing-wait) are all opt-in.
package defaults

import (
	"context"
	"sync"
	"time"
)

type Resolver struct {
	mu    sync.Mutex
	cache map[string][]string
	done  chan struct{}
}

func NewResolver() *Resolver {
	r := &Resolver{cache: make(map[string][]string), done: make(chan struct{})}
	go r.refresh() // ok: unjoined.unstoppable is opt-in
	return r
}

func (r *Resolver) refresh() {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.mu.Lock()
			clear(r.cache)
			r.mu.Unlock()
		case <-r.done:
			return
		}
	}
}

func fetch(ctx context.Context) int { return 1 }

func First(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		ch <- fetch(ctx) // ok: unjoined.blocked-send is opt-in
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

func clean(ctx context.Context, key string) error { return nil }

func Unrelated(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		if ctx.Err() != nil {
			return // ok: unjoined.missing-wait is opt-in
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = clean(context.Background(), key)
		}()
	}
	wg.Wait()
}
