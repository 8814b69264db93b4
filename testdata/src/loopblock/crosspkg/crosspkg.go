// Package crosspkg calls blocking functions of another package (through
// the blocking analyzer's facts) from event contexts.
package crosspkg

import (
	"context"
	"net/http"
	"time"

	"loopblock/lib"
)

type Hub struct {
	q      *lib.Queue
	in     chan string
	ticker *time.Ticker
}

func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lib.Fetch(r.URL.Query().Get("u")) // want `call of lib.Fetch can block without bound \(it reaches http.Get at lib.go:13\) in HTTP handler Hub.ServeHTTP: .* bound it inside lib.Fetch \(use http.NewRequestWithContext`
	h.q.Push(1)                       // want `call of lib.Queue.Push can block without bound \(it reaches channel send on q.ch at lib.go:\d+\) in HTTP handler Hub.ServeHTTP`
}

func (h *Hub) Loop(ctx context.Context) {
	for {
		select {
		case s := <-h.in:
			lib.Refresh() // want `call of lib.Refresh can block without bound \(it reaches http.Get at lib.go:13 through lib.fetchAll\) in the for-select loop in Hub.Loop`
			_ = s
		case <-h.ticker.C:
			h.q.Drain() // want `call of lib.Queue.Drain can block without bound \(it reaches sync.WaitGroup.Wait at lib.go:\d+\)`
		case <-ctx.Done():
			return
		}
	}
}

// ok: these functions of lib are bounded or do not block their caller.
func (h *Hub) handleBounded(w http.ResponseWriter, r *http.Request) {
	lib.FetchCtx(r.Context(), "http://backend/")
	lib.FetchTimeout("http://backend/")
	lib.Start("http://backend/")
	h.q.TryPush(r.Context(), 1)
	h.q.Offer(1)
	h.q.PushAll([]int{1}) // ok: synchronisation one call away is not followed further.
	_ = lib.Sum([]int{1, 2})
	_ = lib.Collect([]int{1, 2})
}
