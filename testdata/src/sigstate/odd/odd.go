// Package odd holds unusual code sigstate must survive quietly.
package odd

import (
	"os"
	"os/signal"
	"syscall"
)

var early = make(chan os.Signal, 1)

var first = func() os.Signal { return <-early }() // ok: a receive in an initializer

func init() { signal.Notify(early, syscall.SIGHUP) }

func chans() []chan os.Signal { return []chan os.Signal{make(chan os.Signal, 1)} }

func fromCall() {
	signal.Notify(chans()[0], syscall.SIGTERM) // ok: a call result, out of sight
}

// everything traps every signal and drops them all.
func everything() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs)
	for range sigs { // want `signal handler ignores the termination signal`
	}
}

type box[T any] struct{ v T }

func generic[T any](b box[T], sigs chan os.Signal) {
	signal.Notify(sigs, syscall.SIGUSR2) // ok: the caller made sigs
	for range sigs {
		var zero T
		b.v = zero // ok: b is read below
		_ = b
	}
}

func shadowedParam(sigs chan os.Signal) {
	sigs = make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	switch sig := <-sigs; sig {
	case syscall.SIGTERM:
	}
}
