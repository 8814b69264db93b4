// Package defaults shows which unjoined rules a default run reports: a
// goroutine whose send its parent stops receiving (blocked-send) is
// reported; a WaitGroup not waited for on an early return
// (missing-wait) is opt-in.
package defaults

import (
	"context"
	"sync"
)

func fetch(ctx context.Context) int { return 1 }

func First(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		ch <- fetch(ctx) // want `goroutine sends on unbuffered channel ch, but First stops receiving when it returns on ctx.Done\(\)`
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
