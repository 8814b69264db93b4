// Package copyflag holds issue 17's copy shapes: a handler that sets a
// flag on a copy of the shared state, or on a parameter passed by value.
package copyflag

import (
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

type state struct {
	stopping bool
	reason   string
}

type Daemon struct {
	mu    sync.Mutex
	state *state
	sigs  chan os.Signal
}

func newDaemon() *Daemon {
	d := &Daemon{state: &state{}, sigs: make(chan os.Signal, 1)}
	signal.Notify(d.sigs, syscall.SIGTERM)
	return d
}

func (d *Daemon) run() {
	for !d.state.stopping {
		work()
	}
}

func work() {}

// derefCopy: st := *d.state, then the handler sets the copy and logs it.
func (d *Daemon) derefCopy() {
	go func() {
		<-d.sigs
		st := *d.state
		st.stopping = true // want `sets st.stopping on a copy that nothing reads afterwards: st is a local copy of \*d.state`
		log.Printf("shutting down (stopping=%v)", st.stopping)
	}()
	d.run()
}

// derefCopyLoop: the same in a range over the channel, with two fields.
func (d *Daemon) derefCopyLoop() {
	go func() {
		for sig := range d.sigs {
			st := *d.state
			st.reason = sig.String() // want `sets st.reason on a copy`
			st.stopping = true       // want `sets st.stopping on a copy`
			if st.stopping {
				log.Println("stopping:", st.reason)
			}
		}
	}()
	d.run()
}

// derefWriteBack: ok: the copy is written back under the lock.
func (d *Daemon) derefWriteBack() {
	go func() {
		<-d.sigs
		d.mu.Lock()
		st := *d.state
		st.stopping = true // ok: written back below
		*d.state = st
		d.mu.Unlock()
	}()
	d.run()
}

// derefPointer: ok: st points at the shared state.
func (d *Daemon) derefPointer() {
	go func() {
		<-d.sigs
		d.mu.Lock()
		st := d.state
		st.stopping = true // ok: st is a pointer to the shared state (and the lock is held)
		d.mu.Unlock()
		log.Println("stopping")
	}()
	d.run()
}

// derefSnapshot: ok: the copy is a snapshot handed on, not the flag.
func (d *Daemon) derefSnapshot(out chan state) {
	go func() {
		<-d.sigs
		st := *d.state
		st.reason = "signal" // ok: the copy is sent on below
		out <- st
	}()
	d.run()
}

var stopping bool

func loop() {
	for !stopping {
		work()
	}
}

// onSignal takes the flag by value and sets its parameter.
func onSignal(sigs chan os.Signal, stopping bool) {
	<-sigs
	stopping = true // want `sets stopping on a copy that nothing reads afterwards: stopping is passed by value`
	log.Println("signal received, stopping =", stopping)
}

func startByValue() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go onSignal(sigs, stopping)
	loop()
}

// literal parameter: the goroutine's literal takes the flag by value.
func startLiteralByValue() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func(done bool) {
		<-sigs
		done = true // want `sets done on a copy that nothing reads afterwards: done is passed by value`
	}(stopping)
	loop()
}

// onSignalPtr: ok: the flag is passed by pointer.
func onSignalPtr(sigs chan os.Signal, stop *bool, mu *sync.Mutex) {
	<-sigs
	mu.Lock()
	*stop = true // ok: through the pointer
	mu.Unlock()
}

func startByPointer() {
	var mu sync.Mutex
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go onSignalPtr(sigs, &stopping, &mu)
	loop()
}

// onSignalCount: ok: the parameter is a local counter read afterwards.
func onSignalCount(sigs chan os.Signal, left int) {
	for range sigs {
		left-- // ok: read by the test below
		if left == 0 {
			os.Exit(1)
		}
	}
}

func startCount() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT)
	go onSignalCount(sigs, 3)
}

// onSignalReturn: ok: the parameter is returned.
func onSignalReturn(sigs chan os.Signal, code int) int {
	<-sigs
	code = 130 // ok: returned
	return code
}

func startReturn() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT)
	os.Exit(onSignalReturn(sigs, 0))
}

// markStopped takes the flag by value and sets its copy.
func markStopped(flag bool) {
	flag = true
	log.Println("marked", flag)
}

// callByValue: the handler passes the flag to a function that sets its copy.
func callByValue() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		markStopped(stopping) // want `signal handler passes stopping by value to markStopped, which sets flag on its copy`
	}()
	loop()
}

type flags struct{ stop bool }

func (f flags) halt() { f.stop = true }

func (f *flags) haltPtr() { f.stop = true }

var global flags

func pollGlobal() {
	for !global.stop {
		work()
	}
}

// callValueMethod: a value-receiver method sets a field of its copy.
func callValueMethod() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		global.halt() // want `signal handler passes global by value to halt, which sets f.stop on its copy`
	}()
	pollGlobal()
}

// callPtrMethod: ok: the pointer method sets the shared flag (under the handler's lock).
func callPtrMethod(mu *sync.Mutex) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		mu.Lock()
		global.haltPtr() // ok: pointer receiver
		mu.Unlock()
	}()
	pollGlobal()
}

func next(n int) int {
	n++
	return n
}

// callUsesCopy: ok: the callee returns its copy.
func callUsesCopy() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP)
	gen := 0
	go func() {
		for range sigs {
			gen = next(gen) // ok: next returns the updated copy
			log.Println("generation", gen)
		}
	}()
}
