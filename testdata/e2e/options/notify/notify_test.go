package notify

import (
	"os"
	"os/signal"
	"testing"
)

func TestWait(t *testing.T) {
	c := make(chan os.Signal)
	signal.Notify(c, os.Interrupt)
	_ = c
}
