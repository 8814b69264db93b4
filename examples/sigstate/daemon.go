// Package sigstate is a small job daemon that cannot be stopped
// politely: its SIGTERM handler writes running := false, which declares a
// new local variable instead of clearing the flag the workers poll, so
// the workers never stop and the process runs until it is killed,
// losing the jobs in flight.
//
// asynclint's sigstate check reports the declaration and offers to
// replace := with =. The complete cure also makes the flag an
// atomic.Bool (sigstate reports the unsynchronized flag once the shadow
// is gone), or better, uses signal.NotifyContext and lets the workers
// watch ctx.Done().
package sigstate

import (
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// A Job is one unit of work.
type Job struct {
	ID   int
	Data []byte
}

// running is the flag the workers poll; the SIGTERM handler is meant to
// clear it.
var running = true

// Serve runs workers over jobs until SIGTERM or SIGINT arrives, then
// waits for the jobs in flight.
func Serve(jobs <-chan Job, workers int, process func(Job)) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	go func() {
		sig := <-sigs
		running := false // BUG: a new local; the workers' running stays true
		log.Printf("received %v, running=%v: draining workers", sig, running)
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(jobs, process)
		}()
	}
	wg.Wait()
	log.Print("all workers stopped")
}

// work processes jobs while running is set.
func work(jobs <-chan Job, process func(Job)) {
	for running {
		select {
		case j := <-jobs:
			process(j)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
