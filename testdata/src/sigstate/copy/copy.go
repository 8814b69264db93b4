package copy

import (
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type Daemon struct {
	stopping bool
	name     string
	opts     *options
}

type options struct{ stop bool }

// HandleSignals has a value receiver: the handler sets the copy's field.
func (d Daemon) HandleSignals() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		log.Printf("%s: stopping", d.name)
		d.stopping = true // want `sets d.stopping on a copy that nothing reads afterwards: d is a value receiver`
	}()
}

func byValue(d Daemon) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	d.stopping = true // want `d is passed by value: pass a pointer`
}

func rangeCopy(daemons []Daemon) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	for _, d := range daemons {
		d.stopping = true // want `d is a copy of an element of daemons`
	}
}

var global Daemon

func localCopy() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	d := global
	log.Println("watching", d.name)
	go func() {
		<-sigs
		d.stopping = true // want `d is a local copy of global: assign to global itself`
	}()
}

var verbose bool

func scalarCopy() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	v := verbose
	log.Println("verbose:", v)
	for range sigs {
		v = true // want `sets v on a copy that nothing reads afterwards: v is a local copy of verbose`
	}
}

// pointerReceiver is fine: the field is the shared one.
func (d *Daemon) pointerReceiver() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	d.stopping = true // ok: through a pointer, the shared Daemon
}

// throughPointerField is fine: opts points at shared options.
func (d Daemon) throughPointerField() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	d.opts.stop = true // ok: the write goes through a pointer field
}

// rangeIndex is fine: it writes the element itself.
func rangeIndex(daemons []Daemon) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	for i := range daemons {
		daemons[i].stopping = true // ok: the element, not a copy
	}
}

// copyThenUsed is no lost write: the loop below reads this same copy (but it races).
func (d Daemon) copyThenUsed() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		d.stopping = true // want `sets d.stopping without synchronization while Daemon.copyThenUsed polls it`
	}()
	for !d.stopping {
		time.Sleep(time.Millisecond)
	}
}

// rangeCopyPublished is fine: the modified copy is handed on.
func rangeCopyPublished(daemons []Daemon, out chan<- Daemon) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	for _, d := range daemons {
		d.stopping = true // ok: sent on afterwards
		out <- d
	}
}
