// Package readrace holds issue 17's mirror of the race rule: a handler
// that reads a plain flag another goroutine writes without
// synchronization.
package readrace

import (
	"context"
	"log"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func warmUp()  {}
func reload()  {}
func drain()   {}
func process() {}

var ready bool

// guardedReload is the textbook shape: a goroutine sets ready after the
// warm-up while the SIGHUP handler tests it.
func guardedReload() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		warmUp()
		ready = true
	}()
	go func() {
		for range hup {
			if !ready { // want `signal handler reads ready without synchronization while a function literal in guardedReload writes it`
				continue
			}
			reload()
		}
	}()
}

var inflight int

func worker(jobs chan int) {
	for range jobs {
		inflight++
		process()
		inflight--
	}
}

// drainOnTerm reads a counter the workers update.
func drainOnTerm(jobs chan int) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go worker(jobs)
	<-sigs
	for inflight > 0 { // want `signal handler reads inflight without synchronization while worker writes it`
		time.Sleep(10 * time.Millisecond)
	}
}

var armed atomic.Bool

// atomicGuard: ok: the flag is an atomic.Bool.
func atomicGuard() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		warmUp()
		armed.Store(true)
	}()
	go func() {
		for range hup {
			if !armed.Load() { // ok: atomic
				continue
			}
			reload()
		}
	}()
}

var (
	mu     sync.Mutex
	loaded bool
)

// lockedGuard: ok: both sides take the lock.
func lockedGuard() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		warmUp()
		mu.Lock()
		loaded = true
		mu.Unlock()
	}()
	go func() {
		for range hup {
			mu.Lock()
			ok := loaded // ok: under the lock
			mu.Unlock()
			if ok {
				reload()
			}
		}
	}()
}

var verbose bool

// setBeforeStart: ok: the write happens before the handler starts.
func setBeforeStart() {
	verbose = len(os.Args) > 1
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if verbose { // ok: written before the go statement
				log.Println("reloading")
			}
			reload()
		}
	}()
}

var debug bool

func init() { debug = os.Getenv("DEBUG") != "" }

// initWrite: ok: written in init, before anything runs.
func initWrite() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if debug { // ok: set by init
				log.Println("reload")
			}
		}
	}()
}

var count int

// sameGoroutine: ok: only the handler's own goroutine writes it.
func sameGoroutine() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			count++
			if count > 3 { // ok: the handler itself is the only writer
				os.Exit(1)
			}
			bump()
		}
	}()
}

func bump() { count++ } // called from the handler: same goroutine

var started bool

// ctxGuard: ok: the other goroutine signals readiness by closing a channel.
func ctxGuard(ctx context.Context) {
	readyc := make(chan struct{})
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		warmUp()
		close(readyc)
	}()
	go func() {
		for range hup {
			select {
			case <-readyc:
				reload()
			case <-ctx.Done():
				return
			}
		}
	}()
	started = true
	_ = started
}

var phase string

// addrTaken: ok: the flag's address is taken, perhaps for sync/atomic.
func addrTaken() {
	p := &phase
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() { *p = "up" }()
	go func() {
		for range hup {
			if phase == "up" { // ok: address taken
				reload()
			}
		}
	}()
}

var paused bool

// pauseAfterStart: the function that starts the handler writes the flag
// afterwards, concurrently with it.
func pauseAfterStart() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if paused { // want `signal handler reads paused without synchronization while pauseAfterStart writes it`
				continue
			}
			reload()
		}
	}()
	time.Sleep(time.Second)
	paused = true
}

type server struct{ closing bool }

// fieldFlag: ok (out of reach): a field's writes are not told apart by
// instance, so fields are left to the write rule.
func (s *server) fieldFlag() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if s.closing { // ok: fields are not followed by this rule
				return
			}
		}
	}()
	go func() { s.closing = true }()
}
