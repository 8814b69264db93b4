// Package good loads fine and has a finding.
package good

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
