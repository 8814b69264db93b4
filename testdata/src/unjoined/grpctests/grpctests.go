// Package grpctests holds the shapes of the true positives found in
// google.golang.org/grpc@v1.76.0's tests, kept for the accuracy of the
// message: the parent's way out is the last select case on the path, and
// a lone goroutine that sends in a loop is not "goroutines".
package grpctests

import (
	"context"
	"errors"
	"time"
)

func dial(ctx context.Context) error { return ctx.Err() }

// HoldWaitFail first checks that the dial is still blocked (a timeout
// case that goes on), then gives up on ctx.Done(): that is the leak.
func HoldWaitFail(ctx context.Context) error {
	dialErr := make(chan error)
	go func() {
		dialErr <- dial(ctx) // want `goroutine sends on unbuffered channel dialErr, but HoldWaitFail stops receiving when it returns on ctx.Done\(\)`
	}()
	select {
	case <-dialErr:
		return errors.New("dial unblocked too early")
	case <-time.After(time.Millisecond):
	}
	select {
	case err := <-dialErr:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// HoldWaitFailFixed buffers the result.
func HoldWaitFailFixed(ctx context.Context) error {
	dialErr := make(chan error, 1)
	go func() {
		dialErr <- dial(ctx) // ok: capacity 1 for the one send
	}()
	select {
	case <-dialErr:
		return errors.New("dial unblocked too early")
	case <-time.After(time.Millisecond):
	}
	select {
	case err := <-dialErr:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func readFrame() (int, error) { return 0, nil }

// GoAway has one goroutine that may report several errors; the parent
// takes one or gives up on ctx.Done().
func GoAway(ctx context.Context, received chan struct{}) error {
	errCh := make(chan error)
	go func() {
		for {
			f, err := readFrame()
			if err != nil {
				errCh <- err // want `goroutine sends on unbuffered channel errCh, but GoAway stops receiving when it returns on ctx.Done\(\)`
				return
			}
			if f == 7 {
				close(received)
				return
			}
		}
	}()
	select {
	case <-received:
		return nil
	case err := <-errCh:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// GoAwayFixed lets the reader give up with the parent.
func GoAwayFixed(ctx context.Context, received chan struct{}) error {
	errCh := make(chan error)
	go func() {
		for {
			f, err := readFrame()
			if err != nil {
				select {
				case errCh <- err: // ok: gives up on ctx.Done()
				case <-ctx.Done():
				}
				return
			}
			if f == 7 {
				close(received)
				return
			}
		}
	}()
	select {
	case <-received:
		return nil
	case err := <-errCh:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// GoAwayLocal is the false positive found in grpc's
// TestClientSendsAGoAway: the parent's other case receives from a channel
// that the goroutine itself closes right before it returns, so taking that
// case means the goroutine is done; the ctx.Done() case ends the test.
func GoAwayLocal(ctx context.Context) error {
	received := make(chan struct{})
	errCh := make(chan error)
	go func() {
		for {
			f, err := readFrame()
			if err != nil {
				errCh <- err // ok: the parent's other ways out end the goroutine or the program
				return
			}
			if f == 7 {
				close(received)
				return
			}
		}
	}()
	select {
	case <-received:
		return nil
	case err := <-errCh:
		return err
	case <-ctx.Done():
		panic("timed out waiting for GOAWAY")
	}
}

// GoAwayFrame is grpc's TestClientSendsAGoAwayFrame: the goroutine
// closes greetDone half-way, then may still send an error; the parent
// waits for the greeting and gives up on ctx.Done() later.
func GoAwayFrame(ctx context.Context) error {
	greetDone := make(chan struct{})
	errorCh := make(chan error)
	go func() {
		close(greetDone)
		if _, err := readFrame(); err != nil {
			errorCh <- err // want `goroutine sends on unbuffered channel errorCh, but GoAwayFrame stops receiving when it returns on ctx.Done\(\)`
			return
		}
		close(errorCh)
	}()
	<-greetDone
	select {
	case err := <-errorCh:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
