// Package watcher holds the abandoned-send bugs of request/response code:
// a goroutine computes a result and sends it on an unbuffered channel,
// and the caller stops listening on a timeout or a cancelled context.
package watcher

import (
	"context"
	"errors"
	"time"
)

type Event struct{ Key string }

func watchOnce(key string) Event { return Event{Key: key} }

// Watch is etcd's watcher shape: the result arrives after the caller
// timed out and nobody is left to receive it.
func Watch(ctx context.Context, key string) (Event, error) {
	resCh := make(chan Event)
	go func() {
		resCh <- watchOnce(key) // want `goroutine sends on unbuffered channel resCh, but Watch stops receiving when it returns on ctx.Done\(\): the send blocks forever`
	}()
	select {
	case ev := <-resCh:
		return ev, nil
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

// WatchFixed is Watch corrected: capacity 1 lets the late send complete.
func WatchFixed(ctx context.Context, key string) (Event, error) {
	resCh := make(chan Event, 1)
	go func() {
		resCh <- watchOnce(key) // ok: the buffer holds the one result
	}()
	select {
	case ev := <-resCh:
		return ev, nil
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

// WatchSelect is Watch corrected the other way: the send gives up too.
func WatchSelect(ctx context.Context, key string) (Event, error) {
	resCh := make(chan Event)
	go func() {
		select {
		case resCh <- watchOnce(key): // ok: the send gives up with the caller
		case <-ctx.Done():
		}
	}()
	select {
	case ev := <-resCh:
		return ev, nil
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

func probe(addr string) error { return nil }

// Probe is Kubernetes' timeout shape: the prober's result is dropped
// after time.After fires.
func Probe(addr string) error {
	errCh := make(chan error)
	go func() {
		errCh <- probe(addr) // want `goroutine sends on unbuffered channel errCh, but Probe stops receiving when it returns on a timeout`
	}()
	select {
	case err := <-errCh:
		return err
	case <-time.After(time.Second):
		return errors.New("probe timed out")
	}
}

// ProbeFixed is Probe corrected.
func ProbeFixed(addr string) error {
	errCh := make(chan error, 1)
	go func() {
		errCh <- probe(addr) // ok: buffered for the one send
	}()
	select {
	case err := <-errCh:
		return err
	case <-time.After(time.Second):
		return errors.New("probe timed out")
	}
}

func validate(addr string) error { return nil }

// Dial returns early between starting the goroutine and receiving.
func Dial(addr string) error {
	done := make(chan error)
	go func() {
		done <- probe(addr) // want `goroutine sends on unbuffered channel done, but Dial can return without receiving from it`
	}()
	if err := validate(addr); err != nil {
		return err
	}
	return <-done
}

// DialFixed validates before it starts the goroutine.
func DialFixed(addr string) error {
	if err := validate(addr); err != nil {
		return err
	}
	done := make(chan error)
	go func() {
		done <- probe(addr) // ok: every path receives
	}()
	return <-done
}

// Ping makes its channel with an explicit zero capacity.
func Ping(ctx context.Context, addr string) error {
	res := make(chan error, 0)
	go func() {
		res <- probe(addr) // want `goroutine sends on unbuffered channel res, but Ping stops receiving when it returns on ctx.Done\(\)`
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
