// Package notify has two files, so that naming one file alone and both
// files together are told apart.
package notify

import (
	"os"
	"os/signal"
)

// Wait waits for an interrupt on a channel that drops signals.
func Wait() {
	c := make(chan os.Signal)
	signal.Notify(c, os.Interrupt)
	<-c
}
