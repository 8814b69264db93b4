package notify

import (
	"os"
	"os/signal"
)

// Hangup waits for an interrupt on a channel with room for one signal.
func Hangup() {
	c := make(chan os.Signal, 1) // ok: buffered
	signal.Notify(c, os.Interrupt)
	<-c
}
