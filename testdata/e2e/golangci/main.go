// Command sigfixture is the module the golangci-lint end-to-end test
// lints: it has two asynclint (sigstate) findings, and a third one that
// a nolint directive naming asynclint silences.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal)
	signal.Notify(stop, syscall.SIGTERM) // finding: unbuffered channel stop

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP, os.Kill) // finding: os.Kill cannot be trapped

	quiet := make(chan os.Signal)
	signal.Notify(quiet, os.Interrupt) //nolint:asynclint // silenced: the test checks that nolint works

	select {
	case s := <-stop:
		fmt.Println("stopping on", s)
	case s := <-hup:
		fmt.Println("reloading on", s)
	case s := <-quiet:
		fmt.Println("interrupted by", s)
	}
}
