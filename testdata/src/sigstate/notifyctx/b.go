package notifyctx

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func serve(ctx context.Context) { <-ctx.Done() }

// running style: the flag starts true and the handler clears it.
func runningFlag() {
	var running = true
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT)
	go func() {
		<-sigs
		running = false // want `sets running without synchronization while a function literal in runningFlag polls it`
	}()
	done := make(chan bool)
	go func() {
		for running {
			work()
		}
		done <- true
	}()
	<-done
}

// twoStatements has no fix: the handler does more than set the flag.
func twoStatements() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	stopping := false
	go func() {
		<-sigs
		serve(context.Background())
		stopping = true // want `sets stopping without synchronization`
	}()
	for !stopping {
		work()
	}
}

// ctxTaken has no fix: the name ctx is in use.
func ctxTaken(ctx context.Context) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	stopping := false
	go func() {
		<-sigs
		stopping = true // want `sets stopping without synchronization`
	}()
	for !stopping && ctx.Err() == nil {
		work()
	}
}
