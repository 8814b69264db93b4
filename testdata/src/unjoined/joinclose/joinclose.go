// Package joinclose: a done channel closed only after a Wait on the group
// of every sender means no send is pending when the parent leaves on it.
package joinclose

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

func work(int) error { return nil }

// CollectErrors reads errors until every worker is done: done is closed
// only after wg.Wait, and each worker's Done is deferred, so when the
// parent leaves on <-done every send has been received.
func CollectErrors(items []int) []error {
	errc := make(chan error)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := work(it); err != nil {
				errc <- err // ok: done is closed only after every sender returned
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	var errs []error
	for {
		select {
		case err := <-errc:
			errs = append(errs, err)
		case <-done:
			return errs
		}
	}
}

// RunOne: one worker, its result or the signal that it finished.
func RunOne() error {
	errc := make(chan error)
	finished := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errc <- work(1) // ok: finished is closed after wg.Wait, so the send was received
	}()
	go func() {
		wg.Wait()
		close(finished)
	}()
	select {
	case err := <-errc:
		return err
	case <-finished:
		return nil
	}
}

// SignalBySend: the waiter sends instead of closing; the Done follows the
// send on the worker's only path.
func SignalBySend(items []int) int {
	results := make(chan int)
	done := make(chan bool)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			results <- it * 2 // ok: the waiter signals done only after every Done
			wg.Done()
		}()
	}
	go func() {
		wg.Wait()
		done <- true
	}()
	sum := 0
	for {
		select {
		case r := <-results:
			sum += r
		case <-done:
			return sum
		}
	}
}

// ErrgroupDone: the goroutines of g.Go are joined by g.Wait.
func ErrgroupDone(ctx context.Context, items []int) []int {
	out := make(chan int)
	done := make(chan struct{})
	g, ctx := errgroup.WithContext(ctx)
	for _, it := range items {
		g.Go(func() error {
			out <- it // ok: done is closed after g.Wait
			return nil
		})
	}
	go func() {
		_ = g.Wait()
		close(done)
	}()
	var got []int
	for {
		select {
		case v := <-out:
			got = append(got, v)
		case <-done:
			return got
		}
	}
}

// FirstError is a listing call that returns on the first error: the
// other workers' sends block forever (a real leak, seen in the wild).
func FirstError(items []int) error {
	errc := make(chan error)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := work(it); err != nil {
				errc <- err // want `goroutines send on unbuffered channel errc, but FirstError receives only once`
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case err := <-errc:
		return err
	case <-done:
		return nil
	}
}

// DoneBeforeSend: wg.Done runs before the send, so the Wait does not wait
// for it and done can be closed while the send is pending.
func DoneBeforeSend() error {
	errc := make(chan error)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Done()
		errc <- work(1) // want `goroutine sends on unbuffered channel errc, but DoneBeforeSend stops receiving when it returns on <-done`
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case err := <-errc:
		return err
	case <-done:
		return nil
	}
}

// AlsoOnTimeout: done is closed after the Wait, but also by a timer
// goroutine that waits for nothing.
func AlsoOnTimeout(stop <-chan struct{}) error {
	errc := make(chan error)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errc <- work(1) // want `goroutine sends on unbuffered channel errc, but AlsoOnTimeout stops receiving when it returns on <-done`
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	go func() {
		<-stop
		close(done)
	}()
	select {
	case err := <-errc:
		return err
	case <-done:
		return nil
	}
}

// OtherGroup: done follows the Wait of a group the sender is not in.
func OtherGroup() error {
	errc := make(chan error)
	done := make(chan struct{})
	var wg, other sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errc <- work(1) // want `goroutine sends on unbuffered channel errc, but OtherGroup stops receiving when it returns on <-done`
	}()
	other.Add(1)
	go func() { defer other.Done() }()
	go func() {
		other.Wait()
		close(done)
	}()
	defer wg.Wait()
	select {
	case err := <-errc:
		return err
	case <-done:
		return nil
	}
}

type conn struct{}

func (*conn) Close() error { return nil }

type Pool struct{ idle []*conn }

// Close drains the idle connections in a goroutine and collects their
// errors, but waits for the drain before reading: the drain's first send
// and the Wait block each other forever (a pool Close seen in the wild).
func (p *Pool) Close() error {
	errc := make(chan error)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, c := range p.idle {
			errc <- c.Close() // want `goroutine sends repeatedly on unbuffered channel errc, but \(\*Pool\).Close waits for it before receiving|goroutine sends on unbuffered channel errc, but \(\*Pool\).Close waits for it before receiving`
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	wg.Wait()
	var first error
	for {
		select {
		case err := <-errc:
			if first == nil {
				first = err
			}
		case <-done:
			return first
		}
	}
}
