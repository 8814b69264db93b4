package bounded

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

type Fetcher struct {
	client *http.Client
	urls   []string
	sem    chan struct{}
	addr   string
}

// ok: every call of the goroutines carries the request's context, so
// the join ends with it.
func (f *Fetcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var g errgroup.Group
	for _, u := range f.urls {
		g.Go(func() error {
			req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, u, nil)
			if err != nil {
				return err
			}
			resp, err := f.client.Do(req)
			if err != nil {
				return err
			}
			return resp.Body.Close()
		})
	}
	g.Wait()
}

// The goroutines dial with no timeout: the join waits as long as they do.
func (f *Fetcher) handleDial(w http.ResponseWriter, r *http.Request) {
	var g errgroup.Group
	for range f.urls {
		g.Go(func() error {
			c, err := net.Dial("tcp", f.addr)
			if err != nil {
				return err
			}
			return c.Close()
		})
	}
	g.Wait() // want `call of errgroup.Group.Wait can block without bound \(it reaches sync.WaitGroup.Wait at errgroup.go:\d+\) in HTTP handler Fetcher.handleDial`
}

// ok: the goroutines take a slot of the function's semaphore and give it
// back; their work carries a timeout (centrifuge's runRefreshCycle).
func (f *Fetcher) refresh(ctx context.Context) {
	var wg sync.WaitGroup
	for _, u := range f.urls {
		f.sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() {
				<-f.sem
				wg.Done()
			}()
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			f.client.Do(req)
		}()
	}
	wg.Wait()
}

// refreshNoCtx's goroutines wait on a channel nobody is known to feed.
func (f *Fetcher) refreshNoCtx(results chan string) {
	var wg sync.WaitGroup
	for range f.urls {
		f.sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() {
				<-f.sem
				wg.Done()
			}()
			<-results
		}()
	}
	wg.Wait()
}

// ok: the goroutines pause with a bound between retries.
func (f *Fetcher) retryAll() {
	var wg sync.WaitGroup
	for range f.urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
}

func (f *Fetcher) Loop(ctx context.Context, ticks, kicks <-chan time.Time, results chan string) {
	for {
		select {
		case <-ticks:
			f.refresh(ctx) // ok: its join is bounded
			f.retryAll()   // ok: its join is bounded
		case <-kicks:
			f.refreshNoCtx(results) // want `call of bounded.Fetcher.refreshNoCtx can block without bound \(it reaches sync.WaitGroup.Wait`
		case <-ctx.Done():
			return
		}
	}
}
