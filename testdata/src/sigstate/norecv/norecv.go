// Package norecv holds issue 17's registrations whose channel nothing
// in the package ever receives from.
package norecv

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
)

func serve() {}

// local is the plainest form.
func local() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM) // want `signals registered on sigs are never received`
	serve()
}

var quit = make(chan os.Signal, 1)

// pkgVar registers an unexported package-level channel nobody reads.
func pkgVar() {
	signal.Notify(quit, syscall.SIGTERM) // want `signals registered on quit are never received`
	serve()
}

type app struct {
	sigs chan os.Signal
	hups chan os.Signal
}

// field registers an unexported field that no code of the package receives from.
func (a *app) field() {
	a.sigs = make(chan os.Signal, 1)
	signal.Notify(a.sigs, syscall.SIGINT, syscall.SIGTERM) // want `signals registered on sigs are never received`
	serve()
}

// inline registers a channel made in the call: nobody can receive from it.
func inline() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGTERM) // want `signals registered on a channel made in the call are never received`
	serve()
}

func watch(sigs chan os.Signal) { log.Println("watching") }

// passedIgnored hands the channel to a function that never receives.
func passedIgnored() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // want `signals registered on sigs are never received`
	go watch(sigs)
	serve()
}

// received: ok: a goroutine receives.
func received() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: received below
	go func() {
		<-sigs
		os.Exit(0)
	}()
	serve()
}

// fieldReceived: ok: another method receives from the field.
func (a *app) fieldReceived() {
	a.hups = make(chan os.Signal, 1)
	signal.Notify(a.hups, syscall.SIGHUP, syscall.SIGTERM) // ok: loop receives
	go a.loop()
}

func (a *app) loop() {
	for range a.hups {
		os.Exit(0)
	}
}

// handedOn: ok: the channel goes to another package's function.
func handedOn() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: handed to log.Println's caller chain is not a receive, but it escapes
	log.Println(sigs)
}

// returned: ok: the caller receives.
func returned() chan os.Signal {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM) // ok: returned to the caller
	return sigs
}

// notifyContext: ok: the context is watched.
func notifyContext() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM) // ok: ctx is watched
	defer stop()
	<-ctx.Done()
}

// swallow: ok: swallowing SIGQUIT this way is an idiom.
func swallow() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGQUIT) // ok: SIGQUIT swallowed on purpose
	serve()
}

// inlineQuit: ok: the same idiom with an inline channel.
func inlineQuit() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGUSR1) // ok: SIGUSR1 swallowed on purpose
	serve()
}

type daemon struct{ stop chan os.Signal }

// literalField: the field is made in a composite literal and never received.
func literalField() *daemon {
	d := &daemon{stop: make(chan os.Signal, 1)}
	signal.Notify(d.stop, syscall.SIGTERM) // want `signals registered on stop are never received`
	return d
}

type worker struct{ sigc chan os.Signal }

// literalFieldGiven: ok: the field holds a channel given by the caller.
func literalFieldGiven(c chan os.Signal) *worker {
	w := &worker{sigc: c}
	signal.Notify(w.sigc, syscall.SIGTERM) // ok: the caller's channel, received out of sight
	return w
}
