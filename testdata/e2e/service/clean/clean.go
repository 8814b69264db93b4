// Package clean handles signals correctly.
package clean

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Run returns a context cancelled on SIGTERM.
func Run() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Wait uses a buffered channel.
func Wait() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
}
