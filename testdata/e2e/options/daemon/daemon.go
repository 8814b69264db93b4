// Package daemon is a second package with a finding, for file arguments
// from several directories.
package daemon

import (
	"os"
	"os/signal"
)

// Hangup waits for SIGHUP on a channel that drops signals.
func Hangup() {
	hup := make(chan os.Signal)
	signal.Notify(hup, os.Interrupt)
	<-hup
}
