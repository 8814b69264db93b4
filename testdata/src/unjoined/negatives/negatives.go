// Package negatives holds goroutines that look like leaks and are not.
package negatives

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"
)

func work() error { return nil }

// Bounded: the goroutine finishes on its own.
func Bounded() {
	go func() { // ok: no loop, no channel
		_ = work()
	}()
}

// ServeUntil runs ListenAndServe in a goroutine and shuts the server down
// on the parent path.
func ServeUntil(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe() // ok: buffered, and Shutdown ends it
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return srv.Shutdown(context.Background())
	}
}

// Notify lets the signal package send without blocking.
func Notify() os.Signal {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt) // ok: signal.Notify never blocks
	return <-sigs
}

// CtxTied ties the goroutine's send to ctx, which the parent cancels.
func CtxTied(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	ch := make(chan error)
	go func() {
		select {
		case ch <- work(): // ok: gives up once the parent cancels
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-ch:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// DeferredDrain drains the channel when it returns.
func DeferredDrain(ctx context.Context) error {
	ch := make(chan error)
	go func() {
		ch <- work() // ok: a deferred receive drains it
	}()
	defer func() { <-ch }()
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Default sends with a default case: it never blocks.
func Default(ctx context.Context) {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1: // ok: default case
		default:
		}
	}()
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// Stored puts the channel in a struct: its partners are out of sight.
type Stored struct{ ch chan int }

func (s *Stored) Start() {
	s.ch = make(chan int)
	go func() {
		s.ch <- 1 // ok: the channel escapes into s
	}()
}

// Crash exits the process on the path that skips the receive.
func Crash(bad bool) int {
	ch := make(chan int)
	go func() {
		ch <- 1 // ok: the other path ends the process
	}()
	if bad {
		os.Exit(1)
	}
	return <-ch
}

// Wait then receive in a helper goroutine.
func WaitThenClose(xs []int) int {
	var wg sync.WaitGroup
	ch := make(chan int, len(xs))
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- x // ok: the buffer is sized for every send
		}()
	}
	wg.Wait()
	close(ch)
	sum := 0
	for v := range ch {
		sum += v
	}
	return sum
}

// Timeout waits for a group with a timeout: the Wait happens in a
// goroutine of its own.
func Timeout(n int) bool {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = work()
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done) // ok: the goroutine closes done itself
	}()
	select {
	case <-done:
		return true
	case <-time.After(time.Second):
		return false
	}
}

// Panics on the other path.
func Panics(bad bool) int {
	ch := make(chan int)
	go func() {
		ch <- 1 // ok: the other path panics
	}()
	if bad {
		panic("bad")
	}
	return <-ch
}

// Closer closes a channel the goroutine ranges over, on every path.
func Closer(xs []int) {
	in := make(chan int)
	go func() {
		for range in { // ok: closed below on the only path
		}
	}()
	for _, x := range xs {
		in <- x
	}
	close(in)
}

// SignalsHandler is the false positive found in
// github.com/ThreeDotsLabs/watermill@v1.5.1 (plugin/signals.go): the
// signal package keeps sigs and sends on it for as long as the process
// runs; the goroutine waiting for it is meant to live that long.
func SignalsHandler(stop func()) error {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		<-sigs // ok: signal.Notify's goroutine sends
		stop()
	}()
	return nil
}

// ServeBackground runs ListenAndServe in a goroutine and shuts down on
// the parent path without any channel: nothing blocks, nothing to report.
func ServeBackground(ctx context.Context, srv *http.Server) error {
	go func() { // ok: ListenAndServe returns after Shutdown
		_ = srv.ListenAndServe()
	}()
	<-ctx.Done()
	return srv.Shutdown(context.Background())
}
