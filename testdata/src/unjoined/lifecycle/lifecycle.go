// Package lifecycle holds stop channels that are never signalled.
package lifecycle

import (
	"context"
	"errors"
)

type conn struct{}

func (c *conn) Close() error { return nil }
func (c *conn) ping() error  { return nil }

func open() (*conn, error) { return &conn{}, nil }

func handshake(c *conn) error { return errors.New("refused") }

// Serve starts a watchdog that closes the connection when stop fires;
// the handshake error path forgets to fire it (Docker's attach shape).
func Serve() error {
	c, err := open()
	if err != nil {
		return err
	}
	stop := make(chan struct{})
	go func() {
		<-stop // want `goroutine receives from stop, but Serve can return without sending on or closing it: the goroutine blocks forever; close stop on every path`
		c.Close()
	}()
	if err := handshake(c); err != nil {
		return err
	}
	err = c.ping()
	close(stop)
	return err
}

// ServeFixed closes stop on every path.
func ServeFixed() error {
	c, err := open()
	if err != nil {
		return err
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		<-stop // ok: closed when ServeFixed returns
		c.Close()
	}()
	if err := handshake(c); err != nil {
		return err
	}
	return c.ping()
}

// Exchange hands one value to a goroutine and may skip it.
func Exchange(fail bool) error {
	ready := make(chan int)
	go func() {
		v := <-ready // want `goroutine receives from ready, but Exchange can return without sending on or closing it`
		_ = v
	}()
	if fail {
		return errors.New("failed")
	}
	ready <- 1
	return nil
}

// ExchangeFixed sends on every path.
func ExchangeFixed(fail bool) error {
	ready := make(chan int)
	go func() {
		v := <-ready // ok: every path sends
		_ = v
	}()
	if fail {
		ready <- 0
		return errors.New("failed")
	}
	ready <- 1
	return nil
}

// initServer is not an init function: its goroutines are checked.
func initServer(fail bool) error {
	ready := make(chan struct{})
	go func() {
		<-ready // want `goroutine receives from ready, but initServer can return without sending on or closing it`
	}()
	if fail {
		return errors.New("init failed")
	}
	close(ready)
	return nil
}

// initServerFixed closes ready on every path.
func initServerFixed(fail bool) error {
	ready := make(chan struct{})
	defer close(ready)
	go func() {
		<-ready // ok: closed by the deferred close
	}()
	if fail {
		return errors.New("init failed")
	}
	return nil
}

// Handoff offers the value in a select and gives up on ctx.Done(): the
// goroutine waiting for it is left behind.
func Handoff(ctx context.Context, v int) error {
	in := make(chan int)
	go func() {
		x := <-in // want `goroutine receives from in, but Handoff can return on ctx.Done\(\) without sending on or closing it`
		_ = x
	}()
	select {
	case in <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// HandoffFixed closes in when it gives up.
func HandoffFixed(ctx context.Context, v int) error {
	in := make(chan int)
	go func() {
		x := <-in // ok: closed on the ctx.Done() path
		_ = x
	}()
	select {
	case in <- v:
		return nil
	case <-ctx.Done():
		close(in)
		return ctx.Err()
	}
}

type server interface {
	ListenAndServe() error
	Shutdown(context.Context) error
}

// ServeUnbuffered shuts the server down on ctx.Done(), after which
// ListenAndServe returns http.ErrServerClosed and the goroutine's send on
// the unbuffered channel blocks forever: Shutdown on the parent path
// does not help when the error channel has no room.
func ServeUnbuffered(ctx context.Context, srv server) error {
	errc := make(chan error)
	go func() {
		errc <- srv.ListenAndServe() // want `goroutine sends on unbuffered channel errc, but ServeUnbuffered stops receiving when it returns on ctx.Done\(\)`
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return srv.Shutdown(context.Background())
	}
}

// SelectSendSync is the false positive found in the standard library
// (runtime/pprof blockSelectSendSync): the select's other case sends on a
// channel nothing receives from, so it never fires.
func SelectSendSync() {
	c := make(chan bool)
	c2 := make(chan bool)
	go func() {
		<-c // ok: the c2 case can never be chosen
	}()
	select {
	case c <- true:
	case c2 <- true:
	}
}
