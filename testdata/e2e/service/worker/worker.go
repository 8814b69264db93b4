// Package worker waits for a shutdown signal.
package worker

import (
	"os"
	"os/signal"
	"syscall"
)

// WaitForShutdown blocks until the process is asked to stop.
func WaitForShutdown() {
	sigs := make(chan os.Signal)
	signal.Notify(sigs, syscall.SIGTERM, os.Kill)
	<-sigs
}
