package notify

import (
	"os"
	"os/signal"
	"syscall"
)

func unbuffered() {
	sigs := make(chan os.Signal)
	signal.Notify(sigs, os.Interrupt) // want `signal.Notify with unbuffered channel sigs drops a signal`
	<-sigs
}

func unbufferedVar() {
	var sigs = make(chan os.Signal)
	signal.Notify(sigs, syscall.SIGTERM) // want `unbuffered channel sigs`
	<-sigs
}

func kill() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, os.Kill) // want `os.Kill \(SIGKILL\) cannot be trapped`
	<-sigs
}

func stop() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGSTOP, syscall.SIGKILL) // want `SIGSTOP cannot be trapped` `SIGKILL cannot be trapped`
	<-sigs
}
