// Package lockwaitlib is the dependency of the lockwait fixtures: its
// functions carry the blocking analyzer's Stops fact (they tell
// goroutines to stop) and the MayBlock fact of a join.
package lockwaitlib

import (
	"context"
	"sync"
)

// Service is a stoppable service shaped like river's BaseStartStop.
type Service struct {
	mu         sync.Mutex
	cancelFunc context.CancelCauseFunc
	stopped    chan struct{}
	running    bool
}

var ErrStop = context.Canceled

// StopInit cancels the service's context: a stop signal, through a
// CancelCauseFunc field.
func (s *Service) StopInit() (bool, <-chan struct{}) { // want StopInit:"stops: call of s.cancelFunc"
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return false, nil
	}
	s.cancelFunc(ErrStop)
	return true, s.stopped
}

// ok: the receive joins the goroutine that StopInit has just told to
// stop: Stop gets no MayBlock fact.
func (s *Service) Stop() { // want Stop:"stops: call of lockwaitlib.Service.StopInit"
	ok, stopped := s.StopInit()
	if !ok {
		return
	}
	<-stopped
}

// StopAllParallel stops services in parallel and waits for them
// (river's startstop.StopAllParallel). ok: the goroutines it joins call
// an interface method, which does not block as far as the analysis
// knows, so the join is bounded by them.
func StopAllParallel(services ...interface{ Stop() }) {
	var wg sync.WaitGroup
	wg.Add(len(services))
	for i := range services {
		service := services[i]
		go func() {
			defer wg.Done()
			service.Stop()
		}()
	}
	wg.Wait()
}

// Snapshotter is shaped like serf's Snapshotter: Wait only joins.
type Snapshotter struct {
	waitCh chan struct{}
}

func (s *Snapshotter) Wait() { // want Wait:"may block: because of channel receive from s.waitCh at lib.go:\\d+"
	<-s.waitCh
}

// Quit closes a channel it did not make: a stop signal for its callers.
type Worker struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

func (w *Worker) Quit() { // want Quit:"stops: close of w.quit"
	close(w.quit)
}

// ok: not a stop: the channel is its own, closed for the caller to
// drain (a generator's end).
func Squares(n int) <-chan int { // want Squares:"generator of result 0" Squares:"buffered channel"
	ch := make(chan int, n)
	for i := range n {
		ch <- i * i
	}
	close(ch)
	return ch
}

// Pending returns a snapshot iterator (alertmanager's Alerts.GetPending):
// its goroutine sends each pending item, then closes the channel.
func Pending(items []string, done <-chan struct{}) <-chan string { // want Pending:"generator of result 0" Pending:"unbuffered channel"
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, it := range items {
			select {
			case ch <- it:
			case <-done:
				return
			}
		}
	}()
	return ch
}

// ok: not a generator: the goroutine sends for as long as ticks come.
func Follow(ticks <-chan string) <-chan string { // want Follow:"unbuffered channel"
	ch := make(chan string)
	go func() {
		defer close(ch)
		for t := range ticks {
			ch <- t
		}
	}()
	return ch
}

// ok: not a generator: the channel is handed to a producer elsewhere.
func Subscribe(register func(chan<- string)) <-chan string { // want Subscribe:"unbuffered channel"
	ch := make(chan string)
	register(ch)
	return ch
}
