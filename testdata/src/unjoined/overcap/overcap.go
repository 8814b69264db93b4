// Package overcap holds the shape of a goroutine that sends more values
// than a constant buffer holds while its maker may stop receiving early,
// beside look-alikes whose buffer is meant for the job.
package overcap

import (
	"context"
	"sync"
)

type T int

func first(ctx context.Context, items []T) (T, error) {
	c := make(chan T, 1)
	go func() {
		for _, it := range items {
			c <- it // want `goroutine sends on channel c \(capacity 1\), but first stops receiving when it returns on ctx.Done\(\)`
		}
		close(c)
	}()
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// ok: the maker drains the channel until it is closed.
func all(items []T) []T {
	c := make(chan T, 1)
	go func() {
		for _, it := range items {
			c <- it
		}
		close(c)
	}()
	var out []T
	for v := range c {
		out = append(out, v)
	}
	return out
}

// ok: a buffer sized for the job.
func sized(ctx context.Context, items []T) (T, error) {
	c := make(chan T, len(items))
	go func() {
		for _, it := range items {
			c <- it
		}
	}()
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// ok: many goroutines share a semaphore.
func limited(items []T, work func(T)) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			work(it)
			<-sem
		}()
	}
	wg.Wait()
}

// ok: the sender gives up with the maker.
func firstSelect(ctx context.Context, items []T) (T, error) {
	c := make(chan T, 1)
	go func() {
		for _, it := range items {
			select {
			case c <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// ok: every path receives until the channel is closed.
func drained(ctx context.Context, items []T) T {
	c := make(chan T, 2)
	go func() {
		defer close(c)
		for _, it := range items {
			c <- it
		}
	}()
	var sum T
	for {
		v, ok := <-c
		if !ok {
			return sum
		}
		sum += v
	}
}
