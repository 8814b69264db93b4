// Package goos is loaded once per GOOS (linux, darwin, freebsd) by
// TestGOOS: signal numbers differ between them (SIGSTOP is 19 on Linux,
// 17 on Darwin and FreeBSD, where 19 is SIGCONT), so uncatchable signals
// must be told by object.
package goos

import (
	"log"
	"os"
	"os/signal"
	"syscall"
)

func stop() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGSTOP, syscall.SIGKILL) // want `SIGSTOP cannot be trapped` `SIGKILL cannot be trapped`
	<-sigs
}

func stopParen() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, (syscall.SIGSTOP)) // want `SIGSTOP cannot be trapped`
	<-sigs
}

func cont() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCONT) // ok: SIGCONT can be trapped (it has SIGSTOP's number on Linux)
	<-sigs
}

func terminalStop() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTSTP, syscall.SIGTTIN) // ok: the terminal's stop signals can be trapped
	<-sigs
}

// stopWithoutCase: an uncatchable signal needs no case (it never
// arrives); SIGCONT, whose number is SIGSTOP's on Linux, does.
func stopWithoutCase() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGSTOP, syscall.SIGCONT) // want `SIGSTOP cannot be trapped` `syscall.SIGCONT is registered but the switch`
	for sig := range sigs {
		switch sig {
		case syscall.SIGHUP:
			log.Println("reload")
		}
	}
}

// contWithCase is fine: every catchable signal has its case.
func contWithCase() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGCONT) // ok: both have a case
	for sig := range sigs {
		switch sig {
		case syscall.SIGHUP:
			log.Println("reload")
		case syscall.SIGCONT:
			log.Println("continued")
		}
	}
}
