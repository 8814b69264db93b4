// Package errgroup holds errgroup.Groups whose goroutines are not waited
// for on some path.
package errgroup

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/errgroup"
)

func load(ctx context.Context, id int) error { return nil }

// LoadAll returns on a bad id after it started loaders: their errors are
// lost and they keep running after LoadAll returned.
func LoadAll(ctx context.Context, ids []int) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		if id < 0 {
			return errors.New("bad id") // want `LoadAll returns here without calling g.Wait: the goroutines it started keep running`
		}
		g.Go(func() error { return load(ctx, id) })
	}
	return g.Wait()
}

// LoadAllFixed validates first.
func LoadAllFixed(ctx context.Context, ids []int) error {
	for _, id := range ids {
		if id < 0 {
			return errors.New("bad id") // ok: nothing started yet
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		g.Go(func() error { return load(ctx, id) })
	}
	return g.Wait()
}

// Stream is the errgroup form of the Quiesce deadlock: Wait before the
// receive while the producer is stuck on its send.
func Stream(ctx context.Context, ids []int) ([]int, error) {
	var g errgroup.Group
	out := make(chan int)
	g.Go(func() error {
		for _, id := range ids {
			out <- id // want `goroutine sends on unbuffered channel out, but Stream waits for it before receiving`
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var res []int
	for v := range out {
		res = append(res, v)
	}
	return res, nil
}

// StreamFixed closes out in the producer and drains before waiting.
func StreamFixed(ctx context.Context, ids []int) ([]int, error) {
	var g errgroup.Group
	out := make(chan int)
	g.Go(func() error {
		defer close(out)
		for _, id := range ids {
			out <- id // ok: the parent drains before it waits
		}
		return nil
	})
	var res []int
	for v := range out {
		res = append(res, v)
	}
	return res, g.Wait()
}

// Limited is the false positive found in github.com/panjf2000/ants/v2@v2.11.3
// (BenchmarkErrGroup): the errgroup is used only for its limit, and a
// WaitGroup that its goroutines signal joins them.
func Limited(ctx context.Context, n int) {
	var wg sync.WaitGroup
	var pool errgroup.Group
	pool.SetLimit(4)
	wg.Add(n)
	for i := 0; i < n; i++ {
		pool.Go(func() error { // ok: wg.Wait joins it
			load(ctx, i)
			wg.Done()
			return nil
		})
	}
	wg.Wait()
}

// Forgotten starts goroutines on an errgroup and never waits.
func Forgotten(ctx context.Context, n int) {
	var g errgroup.Group
	for i := 0; i < n; i++ {
		g.Go(func() error { return load(ctx, i) }) // want `goroutine of g is never waited for: Forgotten never calls g.Wait`
	}
}
