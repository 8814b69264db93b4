// Command sigfixture is the module the golangci-lint end-to-end test
// lints: it has two asynclint (sigstate) findings, a third one silenced
// by golangci-lint's directive and a fourth by asynclint's own. (No line
// of this comment may start with the word nolint: golangci-lint would
// take it as a directive for the whole file.)
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

	polled := make(chan os.Signal)
	signal.Notify(polled, os.Interrupt) //asynclint:ignore sigstate the test checks asynclint's own directive

	select {
	case s := <-stop:
		fmt.Println("stopping on", s)
	case s := <-hup:
		fmt.Println("reloading on", s)
	case s := <-quiet:
		fmt.Println("interrupted by", s)
	case s := <-polled:
		fmt.Println("interrupted by", s)
	}
}
