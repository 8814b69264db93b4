package notifyok

import (
	"os"
	"os/signal"
	"syscall"
)

func buffered() {
	sigs := make(chan os.Signal, 1) // ok: capacity 1
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	<-sigs
}

func fromParam(sigs chan os.Signal) {
	signal.Notify(sigs, syscall.SIGHUP) // ok: the caller made it; out of sight
}

type server struct{ sigs chan os.Signal }

func (s *server) field() {
	signal.Notify(s.sigs, syscall.SIGINT) // ok: a field, made elsewhere
}

func catchable() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGQUIT, syscall.SIGUSR1) // ok: both can be trapped
	<-sigs
}

func generatedIgnored() {
	sigs := make(chan os.Signal)
	//asynclint:ignore sigstate the test harness sends one signal and receives it first
	signal.Notify(sigs, os.Interrupt)
	<-sigs
}

func trailingIgnore() {
	sigs := make(chan os.Signal)
	signal.Notify(sigs, os.Interrupt) //asynclint:ignore sigstate receiving goroutine is already blocked on sigs
	<-sigs
}

func noReason() {
	sigs := make(chan os.Signal)
	//asynclint:ignore sigstate // want `needs a reason`
	signal.Notify(sigs, os.Interrupt) // want `unbuffered channel sigs`
	<-sigs
}

func unusedIgnore() {
	sigs := make(chan os.Signal, 1)
	//asynclint:ignore sigstate this channel used to be unbuffered // want `silences no finding`
	signal.Notify(sigs, os.Interrupt)
	<-sigs
}
