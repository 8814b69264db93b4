// Package lib is imported by the facts fixture: what its functions do
// with their channel parameters reaches unjoined through chanflow facts.
package lib

import "context"

var saved chan int

// Produce sends on out and blocks until someone receives.
func Produce(out chan<- int) { // want Produce:"chanflow\\(0:send\\)"
	out <- 1
}

// ProduceCtx sends on out or gives up with ctx.
func ProduceCtx(ctx context.Context, out chan<- int) { // want ProduceCtx:"chanflow\\(1:selsend\\)"
	select {
	case out <- 1:
	case <-ctx.Done():
	}
}

// Drain receives from in until it is closed.
func Drain(in <-chan int) { // want Drain:"chanflow\\(0:drain\\)"
	for v := range in {
		_ = v
	}
}

// Await receives one value, or reports a closed channel.
func Await(in <-chan int) bool { // want Await:"chanflow\\(0:drain\\)"
	_, ok := <-in
	return ok
}

// Finish closes ch.
func Finish(ch chan int) { // want Finish:"chanflow\\(0:close\\)"
	close(ch)
}

// Keep stores ch where no one can follow it.
func Keep(ch chan int) { // want Keep:"chanflow\\(0:escapes\\)"
	saved = ch
}

// Pipe drains in and produces on out through the functions above.
func Pipe(in <-chan int, out chan<- int) { // want Pipe:"chanflow\\(0:drain 1:send\\)"
	Drain(in)
	Produce(out)
}

// Len only looks at the channel.
func Len(ch chan int) int { // want Len:"chanflow\\(\\)"
	if ch == nil {
		return 0
	}
	return len(ch)
}

// Wait receives in a select with a way out.
func Wait(ctx context.Context, ch chan int) { // want Wait:"chanflow\\(1:selrecv\\)"
	select {
	case <-ch:
	case <-ctx.Done():
	}
}
