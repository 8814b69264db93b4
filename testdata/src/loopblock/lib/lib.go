// Package lib is the dependency of the cross-package fixtures: its
// functions carry (or do not carry) the blocking analyzer's MayBlock fact.
package lib

import (
	"context"
	"net/http"
	"sync"
	"time"
)

func Fetch(url string) error { // want Fetch:"may block: because of http.Get at lib.go:13"
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Refresh blocks through fetchAll; the fact names the operation at the end.
func Refresh() { // want Refresh:"may block: because of http.Get at lib.go:13"
	fetchAll()
}

func fetchAll() { // want fetchAll:"may block: because of http.Get at lib.go:13"
	_ = Fetch("http://example.com")
}

func Pause() { // want Pause:"may block: because of time.Sleep at lib.go:30"
	time.Sleep(time.Second)
}

// ok: a sleep is not inherited (see blocking.Kind.Transitive).
func Nap() {
	Pause()
}

type Queue struct {
	ch   chan int
	done chan struct{}
	wg   sync.WaitGroup
}

func (q *Queue) Push(v int) { // want Push:"may block: because of channel send on q.ch at lib.go:45"
	q.ch <- v
}

// ok: synchronisation is not inherited (see blocking.Kind.Transitive):
// PushAll's callers are not told that it may block.
func (q *Queue) PushAll(vs []int) {
	for _, v := range vs {
		q.Push(v)
	}
}

// ok: the select waits for shutdown too.
func (q *Queue) TryPush(ctx context.Context, v int) bool {
	select {
	case q.ch <- v:
		return true
	case <-ctx.Done():
		return false
	}
}

// ok: default makes it non-blocking.
func (q *Queue) Offer(v int) bool {
	select {
	case q.ch <- v:
		return true
	default:
		return false
	}
}

func (q *Queue) Drain() { // want Drain:"may block: because of sync.WaitGroup.Wait at lib.go:77"
	q.wg.Wait()
}

// ok: the request carries the caller's context.
func FetchCtx(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// ok: the client has a timeout.
func FetchTimeout(url string) error {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// ok: the blocking work runs in a goroutine that Start does not wait for.
func Start(url string) {
	go func() {
		_ = Fetch(url)
	}()
}

// ok: pure computation.
func Sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// ok: the channel is made with room for every send.
func Collect(xs []int) chan int { // want Collect:"generator of result 0" Collect:"buffered channel"
	ch := make(chan int, len(xs))
	for _, x := range xs {
		ch <- x * 2
	}
	close(ch)
	return ch
}
