// Package store is a second package with a finding, to check ordering.
package store

import (
	"os"
	"os/signal"
)

// Hangup waits for SIGHUP.
func Hangup() {
	hup := make(chan os.Signal)
	signal.Notify(hup, os.Interrupt)
	<-hup
}
