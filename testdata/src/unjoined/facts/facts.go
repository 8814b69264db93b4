// Package facts holds leaks that are visible only through what another
// package's functions do with the channels they are given.
package facts

import (
	"context"

	"unjoined/lib"
)

// Start hands its channel to a producer that sends without giving up.
func Start(ctx context.Context) (int, error) {
	out := make(chan int)
	go lib.Produce(out) // want `goroutine sends on unbuffered channel out, but Start stops receiving when it returns on ctx.Done\(\)`
	select {
	case v := <-out:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// StartFixed uses the producer that gives up with ctx.
func StartFixed(ctx context.Context) (int, error) {
	out := make(chan int)
	go lib.ProduceCtx(ctx, out) // ok: the send gives up on ctx.Done()
	select {
	case v := <-out:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Feed starts a drainer and never closes its input.
func Feed(xs []int) {
	in := make(chan int)
	go lib.Drain(in) // want `goroutine receives from in until it is closed, but Feed can return without closing it`
	for _, x := range xs {
		in <- x
	}
}

// FeedFixed closes the input through a helper, deferred.
func FeedFixed(xs []int) {
	in := make(chan int)
	defer lib.Finish(in)
	go lib.Drain(in) // ok: lib.Finish closes in when FeedFixed returns
	for _, x := range xs {
		in <- x
	}
}

// FeedKept lets the channel escape: someone else may close it.
func FeedKept(xs []int) {
	in := make(chan int)
	lib.Keep(in)
	go lib.Drain(in) // ok: in escapes, its closer is out of sight
	for _, x := range xs {
		in <- x
	}
}
