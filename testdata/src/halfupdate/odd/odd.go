// Package odd holds code shapes the check must survive quietly.
package odd

import (
	"context"
	"sync"
)

type Repo[T any] struct {
	mu    sync.Mutex
	items map[string]T
	n     int
}

func (r *Repo[T]) Insert(ctx context.Context, k string, v T) error { return ctx.Err() }
func (r *Repo[T]) Update(ctx context.Context, k string, v T) error { return ctx.Err() }

// generic updates through a generic receiver.
func generic[T any](ctx context.Context, r *Repo[T], v T) error {
	if err := r.Insert(ctx, "a", v); err != nil {
		return err
	}
	return r.Update(ctx, "b", v) // want `r.Update can be cancelled after r.Insert succeeded`
}

// ok: calls through function values have no known callee.
func funcValues(ctx context.Context, insert, update func(context.Context) error) error {
	if err := insert(ctx); err != nil {
		return err
	}
	return update(ctx)
}

// ok: a method value is called through a variable.
func methodValue(ctx context.Context, r *Repo[int]) error {
	ins := r.Insert
	if err := ins(ctx, "a", 1); err != nil {
		return err
	}
	upd := r.Update
	return upd(ctx, "b", 2)
}

// ok: ctx is reassigned in a cycle we cannot order; no update here.
func cycle(ctx context.Context) context.Context {
	for i := 0; i < 3; i++ {
		ctx = context.WithValue(ctx, i, i)
	}
	return ctx
}

// ok: select with a default and an empty case; no writes.
func selects(ctx context.Context, r *Repo[int]) {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-ctx.Done():
	default:
	}
}

// ok: a goroutine's update runs independently of the caller's steps.
func spawned(ctx context.Context, r *Repo[int]) error {
	if err := r.Insert(ctx, "a", 1); err != nil {
		return err
	}
	go func() { _ = r.Update(ctx, "b", 2) }()
	return nil
}

var global struct {
	mu sync.Mutex
	a  map[string]int
	b  map[string]int
}

// globals writes two package-level maps under a lock with a cancellation point between.
func globals(ctx context.Context, k string) error {
	global.mu.Lock()
	defer global.mu.Unlock()
	global.a[k] = 1
	if ctx.Err() != nil { // want `return on ctx.Err\(\) leaves global.a updated but not global.b`
		return ctx.Err()
	}
	global.b[k] = 1
	return nil
}
