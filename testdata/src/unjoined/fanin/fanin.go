// Package fanin holds the abandoned sends of fan-in code: many
// goroutines report on one channel and the collector stops early.
package fanin

import (
	"context"
	"sync"
	"time"
)

type Result struct {
	Addr string
	Err  error
}

func query(addr string) Result { return Result{Addr: addr} }

// FirstResponse is the "first answer wins" shape (a DNS or replica
// racer): every goroutine but the fastest blocks forever.
func FirstResponse(addrs []string) Result {
	ch := make(chan Result)
	for _, a := range addrs {
		go func() {
			ch <- query(a) // want `goroutines send on unbuffered channel ch, but FirstResponse receives only once: the other sends block forever`
		}()
	}
	return <-ch
}

// FirstResponseFixed buffers one slot per goroutine.
func FirstResponseFixed(addrs []string) Result {
	ch := make(chan Result, len(addrs))
	for _, a := range addrs {
		go func() {
			ch <- query(a) // ok: the buffer holds every result
		}()
	}
	return <-ch
}

// CheckAll is gRPC's health-check fan-in: the loop returns on the first
// error and leaves the other checkers blocked on their send.
func CheckAll(addrs []string) error {
	errc := make(chan error)
	for _, a := range addrs {
		go func() {
			errc <- query(a).Err // want `goroutines send on unbuffered channel errc, but CheckAll can leave its receive loop early: the remaining sends block forever`
		}()
	}
	for range addrs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// CheckAllFixed receives every result before it returns the first error.
func CheckAllFixed(addrs []string) error {
	errc := make(chan error)
	for _, a := range addrs {
		go func() {
			errc <- query(a).Err // ok: the loop always runs to the end
		}()
	}
	var first error
	for range addrs {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Collect gives up on ctx.Done() while results are still coming.
func Collect(ctx context.Context, addrs []string) ([]Result, error) {
	out := make(chan Result)
	for _, a := range addrs {
		go func() {
			out <- query(a) // want `goroutines send on unbuffered channel out, but Collect stops receiving when it returns on ctx.Done\(\)`
		}()
	}
	var res []Result
	for range addrs {
		select {
		case r := <-out:
			res = append(res, r)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return res, nil
}

// CollectFixed has the senders give up with the collector.
func CollectFixed(ctx context.Context, addrs []string) ([]Result, error) {
	out := make(chan Result)
	for _, a := range addrs {
		go func() {
			select {
			case out <- query(a): // ok: gives up on ctx.Done() too
			case <-ctx.Done():
			}
		}()
	}
	var res []Result
	for range addrs {
		select {
		case r := <-out:
			res = append(res, r)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return res, nil
}

// Quiesce is CockroachDB's stopper shape: the workers are stuck on their
// send while Quiesce waits for them before it drains the channel.
func Quiesce(addrs []string) []Result {
	var wg sync.WaitGroup
	results := make(chan Result)
	for _, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- query(a) // want `goroutines send on unbuffered channel results, but Quiesce waits for it before receiving: the send and the Wait block each other forever`
		}()
	}
	wg.Wait()
	close(results)
	var out []Result
	for r := range results {
		out = append(out, r)
	}
	return out
}

// QuiesceFixed waits in a goroutine of its own and drains meanwhile.
func QuiesceFixed(addrs []string) []Result {
	var wg sync.WaitGroup
	results := make(chan Result)
	for _, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- query(a) // ok: the parent drains while a helper waits
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []Result
	for r := range results {
		out = append(out, r)
	}
	return out
}

func dispatch(in <-chan Result) {}

// Started is the false positive found in
// github.com/eclipse/paho.mqtt.golang@v1.5.1 (Benchmark_MatchAndDispatch):
// the goroutine's wg.Done signals that it started, before its send, so
// the Wait returns and the parent goes on to receive.
func Started(in chan Result) bool {
	var wg sync.WaitGroup
	wg.Add(1)
	stopped := make(chan bool)
	go func() {
		wg.Done() // started
		dispatch(in)
		stopped <- true // ok: the Done above releases the Wait first
	}()
	wg.Wait()
	close(in)
	return <-stopped
}

// Coordinate is the false positive found in the standard library
// (internal/fuzz CoordinateFuzzing): the loop leaves only once it has
// counted a result from every worker.
func Coordinate(ctx context.Context, addrs []string) error {
	errC := make(chan error)
	for _, a := range addrs {
		go func() {
			errC <- query(a).Err // ok: the loop receives until active reaches 0
		}()
	}
	active := len(addrs)
	var first error
	for {
		select {
		case err := <-errC:
			if first == nil {
				first = err
			}
			active--
			if active == 0 {
				return first
			}
		case <-time.After(time.Second):
			// log progress
		}
	}
}

func grow(c chan int, done chan struct{}) {
	for n := range c {
		_ = n
		done <- struct{}{} // ok: the parent's counted loops receive every one
	}
	done <- struct{}{}
}

// StackCache is the false positive found in the standard library
// (runtime TestStackCache): several counted loops receive every send.
func StackCache() {
	const G, S = 20, 5
	var reqs [G]chan int
	done := make(chan struct{})
	for j := 0; j < G; j++ {
		reqs[j] = make(chan int)
		go grow(reqs[j], done)
	}
	for s := 0; s < S; s++ {
		for j := 0; j < G; j++ {
			reqs[j] <- s
		}
		for j := 0; j < G; j++ {
			<-done
		}
	}
	for j := 0; j < G; j++ {
		close(reqs[j])
	}
	for j := 0; j < G; j++ {
		<-done
	}
}

// MutexCapture is the false positive found in the standard library
// (runtime BenchmarkMutexCapture): go/ssa rotates range-over-int loops,
// putting their test at the bottom and a zero-iteration guard in front;
// neither is a way out of the receive loop.
func MutexCapture(procs int) int {
	var wg sync.WaitGroup
	results := make(chan int)
	for i := range procs {
		wg.Add(1)
		go func() {
			wg.Done()
			results <- i // ok: received once per goroutine below
		}()
	}
	wg.Wait()
	sum := 0
	for range procs {
		v := <-results
		for j := range 3 {
			sum += v * j
		}
	}
	return sum
}
