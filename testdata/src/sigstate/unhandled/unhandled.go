package unhandled

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func work() { time.Sleep(time.Millisecond) }

// neverReceived: sigs is registered and never read.
func neverReceived() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // want `signals registered on sigs are never received`
	for {
		work()
	}
}

var pkgSigs = make(chan os.Signal, 1)

// neverReceivedPkg: an unexported package-level channel nobody reads.
func neverReceivedPkg() {
	signal.Notify(pkgSigs, os.Interrupt) // want `signals registered on pkgSigs are never received`
}

// discardedContext: the NotifyContext context is thrown away.
func discardedContext() {
	_, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM) // want `the context of signal.NotifyContext is discarded`
	defer stop()
	work()
}

// missingCase: SIGTERM is registered but the switch has no case for it.
func missingCase() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM) // want `syscall.SIGTERM is registered but the switch on the received signal has no case for it`
	for sig := range sigs {
		switch sig {
		case syscall.SIGHUP:
			log.Println("reload")
		}
	}
}

type server struct{}

func (s *server) handle(sig os.Signal) {
	log.Println("signal", sig)
	switch sig {
	case syscall.SIGINT:
		s.stop()
	}
}

func (s *server) stop() {}

// missingCaseCallee: the switch is in the method the handler calls.
func (s *server) missingCaseCallee() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGUSR1) // want `syscall.SIGUSR1 is registered but the switch`
	go func() {
		for {
			select {
			case sig := <-sigs:
				s.handle(sig)
			}
		}
	}()
}

// received is fine.
func received() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: received below
	<-sigs
}

// handedOn is fine: the channel goes to a function out of sight.
func handedOn(run func(chan os.Signal)) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: run may receive
	run(sigs)
}

// receivedInCallee is fine: the helper of this package receives.
func receivedInCallee() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: wait receives
	wait(sigs)
}

func wait(c chan os.Signal) { <-c }

// returned is fine: the caller receives.
func returned() chan os.Signal {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: returned to the caller
	return sigs
}

// defaultCase is fine: the default handles the rest.
func defaultCase() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM) // ok: default case
	for sig := range sigs {
		switch sig {
		case syscall.SIGHUP:
			log.Println("reload")
		default:
			return
		}
	}
}

// afterSwitch is fine: unmatched signals fall through to the shutdown.
func afterSwitch() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, os.Interrupt) // ok: handled after the switch
	for sig := range sigs {
		switch sig {
		case syscall.SIGHUP:
			continue
		}
		return
	}
}

// allCases is fine: os.Interrupt is SIGINT.
func allCases() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM) // ok: both have a case
	switch <-sigs {
	case syscall.SIGINT, syscall.SIGTERM:
		return
	}
}

// watchedContext is fine.
func watchedContext() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM) // ok: ctx is watched
	defer stop()
	<-ctx.Done()
}

// swallowSigQuit is fine: registering SIGQUIT without receiving is how
// ginkgo keeps the runtime from dumping goroutines (ginkgo/v2
// internal/interrupt_handler/sigquit_swallower_unix.go).
func swallowSigQuit() {
	c := make(chan os.Signal, 1024)
	signal.Notify(c, syscall.SIGQUIT) // ok: not a termination signal
}

// testedFirst is fine: SIGTERM is handled by the if before the switch.
func testedFirst() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP) // ok: the if handles SIGTERM
	for sig := range sigs {
		if sig == syscall.SIGTERM {
			return
		}
		switch sig {
		case syscall.SIGHUP:
			log.Println("reload")
		}
	}
}

func waitFor[T any](c chan os.Signal, v T) T { <-c; return v }

// receivedInGeneric is fine: the generic helper receives.
func receivedInGeneric() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: waitFor receives
	waitFor(sigs, 1)
}

// killContext: NotifyContext cannot trap SIGKILL either.
func killContext() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Kill) // want `os.Kill \(SIGKILL\) cannot be trapped`
	defer stop()
	<-ctx.Done()
}
