// Package chansendfetch holds calls from a for-select loop into a
// function whose select also serves the loop's events, named after
// river's producer.fetchAndRunLoop and innerFetchLoop, beside look-alikes
// whose wait serves nothing of the loop and must still report.
package chansendfetch

import (
	"context"
	"time"
)

type result struct{ jobs []int }

type producer struct {
	cancelCh    chan int
	jobResultCh chan int
	controlCh   chan string
	fetchTick   *time.Ticker
	active      map[int]bool
}

// fetchAndRunLoop is river's producer.fetchAndRunLoop.
func (p *producer) fetchAndRunLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-p.controlCh:
			_ = msg
		case id := <-p.cancelCh:
			delete(p.active, id)
		case <-p.fetchTick.C:
			p.innerFetchLoop(ctx) // ok: its select also serves job results and cancellations while the fetch runs
		case id := <-p.jobResultCh:
			delete(p.active, id)
		}
	}
}

// innerFetchLoop waits for the fetch it started, serving the loop's job
// results and cancellations meanwhile.
func (p *producer) innerFetchLoop(ctx context.Context) {
	fetchResultCh := make(chan result)
	go p.dispatchWork(ctx, fetchResultCh)
	for {
		select {
		case res := <-fetchResultCh:
			for _, id := range res.jobs {
				p.active[id] = true
			}
			return
		case id := <-p.jobResultCh:
			delete(p.active, id)
		case id := <-p.cancelCh:
			delete(p.active, id)
		}
	}
}

func (p *producer) dispatchWork(ctx context.Context, out chan<- result) {
	out <- result{jobs: []int{1}}
}

// waitFetch waits for the fetch alone: the loop's events wait with it.
func (p *producer) waitFetch(ctx context.Context) {
	fetchResultCh := make(chan result)
	go p.dispatchWork(ctx, fetchResultCh)
	for {
		select {
		case res := <-fetchResultCh:
			_ = res
			return
		case msg := <-p.controlCh:
			_ = msg // not a channel of the loop below
		}
	}
}

// pollLoop calls waitFetch, whose select serves none of its events.
func (p *producer) pollLoop(ctx context.Context, results chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.fetchTick.C:
			p.waitFetch(ctx) // want `call of chansendfetch.producer.waitFetch can block without bound \(it reaches select at producer.go:\d+\) in the for-select loop in producer.pollLoop`
		case id := <-results:
			delete(p.active, id)
		}
	}
}

// inlineLoop waits in a select of its own that serves its cancellations.
func (p *producer) inlineLoop(ctx context.Context, done chan result) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-p.cancelCh:
			delete(p.active, id)
		case <-p.fetchTick.C:
			go p.dispatchWork(ctx, done)
			select { // ok: it serves cancellations while it waits
			case <-done:
			case id := <-p.cancelCh:
				delete(p.active, id)
			}
		}
	}
}

// stuckLoop waits in a select that serves nothing of the loop.
func (p *producer) stuckLoop(ctx context.Context, done chan result, other chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-p.cancelCh:
			delete(p.active, id)
		case <-p.fetchTick.C:
			select { // want `select with no default, ctx.Done\(\) or timer case can block without bound in the for-select loop in producer.stuckLoop`
			case <-done:
			case <-other:
			}
		}
	}
}
