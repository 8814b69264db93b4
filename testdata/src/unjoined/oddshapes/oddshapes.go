// Package oddshapes holds code of unusual shape that unjoined must read
// without crashing and without reporting: generics, channels of
// channels, nil channels, function values, goroutines of method values.
package oddshapes

import (
	"context"
	"time"
)

// Async runs f in a goroutine and returns its result channel: the caller
// is the partner, out of sight here.
func Async[T any](f func() T) <-chan T {
	ch := make(chan T)
	go func() {
		ch <- f() // ok: the channel is returned to the caller
	}()
	return ch
}

// First is generic and abandons its sender on a timeout.
func First[T any](f func() T) (T, bool) {
	ch := make(chan T)
	go func() {
		ch <- f() // want `goroutine sends on unbuffered channel ch, but First stops receiving when it returns on a timeout`
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		var zero T
		return zero, false
	}
}

// Requests sends channels on channels.
func Requests(ctx context.Context) int {
	reqs := make(chan chan int)
	go func() {
		reply := make(chan int)
		reqs <- reply // want `goroutine sends on unbuffered channel reqs, but Requests stops receiving when it returns on ctx.Done\(\)`
		<-reply
	}()
	select {
	case r := <-reqs:
		r <- 1
		return 1
	case <-ctx.Done():
		return 0
	}
}

// NilChannel selects on a nil channel.
func NilChannel(ctx context.Context) {
	var ch chan int
	go func() {
		select {
		case ch <- 1: // ok: in a select with another way out
		case <-ctx.Done():
		}
	}()
	<-ctx.Done()
}

type worker struct{ in chan int }

func (w *worker) loop() {
	for v := range w.in { // ok: w.in escapes into a field
		_ = v
	}
}

// MethodValue starts a goroutine of a method value.
func MethodValue() {
	w := &worker{in: make(chan int)}
	f := w.loop
	go f() // ok: a function value
	close(w.in)
}

// Stored hands the closure to a variable: it may run anywhere.
func Stored(ctx context.Context) func() {
	ch := make(chan int)
	f := func() { ch <- 1 } // ok: the closure escapes
	go f()
	return f
}

// Phi picks one of two channels.
func Phi(ctx context.Context, cond bool) {
	a, b := make(chan int), make(chan int)
	c := a
	if cond {
		c = b
	}
	go func() {
		c <- 1 // ok: c is a or b, out of our reach
	}()
	select {
	case <-a:
	case <-ctx.Done():
	}
}
