// Package dynamic starts goroutines through func fields and interface
// methods: the channel is followed into the package's functions the
// call may reach.
package dynamic

import (
	"context"
	"errors"
)

func produce(c chan int) {
	c <- 1 // want `goroutine sends on unbuffered channel c, but \(\*worker\).Fetch stops receiving when it returns on ctx.Done\(\)`
}

func produceSafely(ctx context.Context, c chan int) {
	select {
	case c <- 1:
	case <-ctx.Done():
	}
}

type worker struct {
	run  func(chan int)
	safe func(context.Context, chan int)
	ext  func(chan int) // set by callers: unknown
}

func newWorker(ext func(chan int)) *worker {
	return &worker{run: produce, safe: produceSafely, ext: ext}
}

func (w *worker) Fetch(ctx context.Context) (int, error) {
	c := make(chan int)
	go w.run(c)
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, errors.New("timeout")
	}
}

func (w *worker) FetchSafe(ctx context.Context) (int, error) { // ok: the stored function selects on ctx
	c := make(chan int)
	go w.safe(ctx, c)
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, errors.New("timeout")
	}
}

func (w *worker) FetchBuffered(ctx context.Context) (int, error) { // ok: room for the one send
	c := make(chan int, 1)
	go w.run(c)
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, errors.New("timeout")
	}
}

func (w *worker) FetchExt(ctx context.Context) (int, error) { // ok: a function the package never stores
	c := make(chan int)
	go w.ext(c)
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, errors.New("timeout")
	}
}

type source interface{ Read(chan int) }

type disk struct{}

func (disk) Read(c chan int) {
	c <- 2 // want `goroutine sends on unbuffered channel c, but Load stops receiving when it returns on ctx.Done\(\)`
}

func Load(ctx context.Context, s source) (int, error) {
	c := make(chan int)
	go s.Read(c)
	select {
	case v := <-c:
		return v, nil
	case <-ctx.Done():
		return 0, errors.New("timeout")
	}
}

func LoadAll(s source) int { // ok: waits for the one send
	c := make(chan int)
	go s.Read(c)
	return <-c
}

var _ source = disk{}
