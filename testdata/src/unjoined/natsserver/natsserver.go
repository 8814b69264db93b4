// Package natsserver holds the shapes of the false positives found in
// github.com/nats-io/nats-server/v2@v2.12.1, and the true positive found
// beside them.
package natsserver

import (
	"context"
	"sync"
	"time"
)

func publish(i int) error { return nil }

// Mirror is stream.go's processMirror shape: the goroutine declares its
// own WaitGroup and calls Done on it only on a fallback path; the early
// return happens before the WaitGroup even exists.
func Mirror(resp chan bool, start func(func()) bool) {
	go func() {
		if !<-resp {
			return // ok: ready is the goroutine's own WaitGroup
		}
		var ready sync.WaitGroup
		ready.Add(1)
		if !start(func() { ready.Done() }) {
			ready.Done()
		}
		ready.Wait()
	}()
}

// Stress is gateway_test.go's shape: the loop ranges over a ticker, whose
// channel is never closed, so its only way out calls Done.
func Stress(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for range time.NewTicker(time.Millisecond).C {
			select {
			case <-ctx.Done():
				wg.Done()
				return // ok: the ticker range never ends on its own
			default:
			}
			publish(0)
		}
	}()
	wg.Wait()
}

// Quota is jetstream_cluster_3_test.go's true positive: the counted loop
// can end without Done, and Wait then hangs.
func Quota(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		for i := 1; i < 100_000; {
			select {
			case <-ctx.Done():
				wg.Done()
				return
			case <-tick.C:
				if publish(i) == nil {
					i++
				}
			}
		}
	}() // want `goroutine can return here without calling wg.Done`
	wg.Wait()
}

// PendingBug is jetstream_cluster_2_test.go's shape: the parent sends the
// start signal at one iteration of a loop that always gets there.
func PendingBug() error {
	startCh, doneCh := make(chan bool), make(chan error)
	go func() {
		<-startCh // ok: sent at i == 222 of a loop that runs 10000 times
		doneCh <- publish(1)
	}()
	for i := 0; i < 10_000; i++ {
		publish(i)
		if i == 222 {
			startCh <- true
		}
	}
	return <-doneCh
}

// RoutezRace is monitor_test.go's shape: the loop polls with a default
// case and ends only once it has received.
func RoutezRace() {
	doneCh := make(chan struct{})
	go func() {
		defer func() {
			doneCh <- struct{}{} // ok: the loop below runs until it receives
		}()
		for i := 0; i < 10; i++ {
			publish(i)
		}
	}()
	done := false
	for !done {
		publish(0)
		select {
		case <-doneCh:
			done = true
		default:
		}
	}
}
