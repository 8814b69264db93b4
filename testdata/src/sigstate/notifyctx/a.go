package notifyctx

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

func work() { time.Sleep(time.Millisecond) }

// handRolled is the simple shape: channel, Notify, flag and a goroutine.
func handRolled() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	stopping := false
	go func() {
		<-sigs
		stopping = true // want `signal handler sets stopping without synchronization while handRolled polls it`
	}()
	for !stopping {
		work()
	}
}
