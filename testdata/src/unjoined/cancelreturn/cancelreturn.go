// Package cancelreturn holds functions that start goroutines with a
// context and return early when that context is cancelled.
package cancelreturn

import (
	"context"
	"errors"
	"sync"
)

type shard struct{ keys []string }

func clean(ctx context.Context, s *shard) {}

func cleanKey(ctx context.Context, key string) error { return ctx.Err() }

// CleanupCycle is centrifuge's RedisMapBroker.runCleanupCycle
// (map_broker_redis.go:2515): the early return happens only once ctx is
// cancelled, and every goroutine started before it captured ctx.
func CleanupCycle(ctx context.Context, shards []*shard) {
	var wg sync.WaitGroup
	for _, s := range shards {
		if ctx.Err() != nil {
			return // ok: the goroutines got the same cancelled ctx
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			clean(ctx, s)
		}()
	}
	wg.Wait()
}

// CleanupShard is centrifuge's cleanupShard (map_broker_redis.go:2542):
// the context is passed as an argument instead of captured.
func CleanupShard(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		if ctx.Err() != nil {
			return // ok: the goroutines were passed ctx
		}
		wg.Add(1)
		go func(ctx context.Context, key string) {
			defer wg.Done()
			_ = cleanKey(ctx, key)
		}(ctx, key)
	}
	wg.Wait()
}

// SelectDone returns from a select's ctx.Done() case.
func SelectDone(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		select {
		case <-ctx.Done():
			return // ok: the goroutines got ctx
		default:
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cleanKey(ctx, key)
		}()
	}
	wg.Wait()
}

// ErrIsNil tests the other way round.
func ErrIsNil(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		if ctx.Err() == nil {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = cleanKey(ctx, key)
			}()
			continue
		}
		return // ok: only when ctx is cancelled, and the goroutines got it
	}
	wg.Wait()
}

// WaitGroupGo hands ctx to goroutines started by WaitGroup.Go.
func WaitGroupGo(ctx context.Context, keys []string) error {
	var wg sync.WaitGroup
	for _, key := range keys {
		if ctx.Err() != nil {
			return ctx.Err() // ok: the goroutines got ctx
		}
		wg.Go(func() { _ = cleanKey(ctx, key) })
	}
	wg.Wait()
	return nil
}

// Unrelated goroutines do not stop with ctx: the early return strands them.
func Unrelated(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		if ctx.Err() != nil {
			return // want `Unrelated returns here without calling wg.Wait`
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cleanKey(context.Background(), key)
		}()
	}
	wg.Wait()
}

// OtherContext tests a context the goroutines were not given.
func OtherContext(ctx, reqCtx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, key := range keys {
		if reqCtx.Err() != nil {
			return // want `OtherContext returns here without calling wg.Wait`
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cleanKey(ctx, key)
		}()
	}
	wg.Wait()
}

// ErrorReturn returns on an error, not a cancellation: the goroutines,
// although they got ctx, keep running.
func ErrorReturn(ctx context.Context, keys []string) error {
	var wg sync.WaitGroup
	for _, key := range keys {
		if key == "" {
			return errors.New("empty key") // want `ErrorReturn returns here without calling wg.Wait`
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cleanKey(ctx, key)
		}()
	}
	wg.Wait()
	return nil
}

// SomeWithout: one goroutine of the group was not given ctx.
func SomeWithout(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = cleanKey(context.Background(), "first")
	}()
	for _, key := range keys {
		if ctx.Err() != nil {
			return // want `SomeWithout returns here without calling wg.Wait`
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = cleanKey(ctx, key)
		}()
	}
	wg.Wait()
}
