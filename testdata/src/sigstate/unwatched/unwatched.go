package unwatched

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func work() { time.Sleep(time.Millisecond) }

// cancelDiscarded: the handler cancels a context nobody got.
func cancelDiscarded() {
	_, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel() // want `signal handler cancels a context that no goroutine watches`
	}()
	for {
		work()
	}
}

type service struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	quit   chan struct{}
}

// fieldContext: s.ctx is made and never read.
func (s *service) fieldContext() {
	s.ctx, s.cancel = context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	s.cancel() // want `cancels a context that no goroutine watches`
}

// closeUnwatched: nobody receives from s.done.
func (s *service) closeUnwatched() {
	s.done = make(chan struct{})
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	close(s.done) // want `signal handler closes done but no goroutine receives from it`
}

// closeWatched is fine: the worker selects on s.quit.
func (s *service) closeWatched() {
	s.quit = make(chan struct{})
	go func() {
		for {
			select {
			case <-s.quit:
				return
			default:
				work()
			}
		}
	}()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	close(s.quit) // ok: watched
}

// cancelWatched is fine.
func cancelWatched() {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-ctx.Done()
	}()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	cancel() // ok: watched
}

// closeHandedOn is fine: the channel is handed to a worker.
func closeHandedOn(start func(<-chan struct{})) {
	stop := make(chan struct{})
	start(stop)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	close(stop) // ok: start's workers may watch it
}

// cancelFromParam is fine: made by the caller.
func cancelFromParam(cancel context.CancelFunc) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	<-sigs
	cancel() // ok: the caller made it
}
