// Package bususer registers handlers with another package's loop.
package bususer

import (
	"context"
	"net/http"

	"loopblock/bus"
)

type Service struct{ client *http.Client }

func (s *Service) push(ev bus.Event) {
	resp, err := http.Post(ev.URL, "text/plain", nil) // want `http.Post without a timeout or context can block without bound in a callback that the for-select loop in Bus.Run runs \(registered with b.Subscribe\)`
	if err == nil {
		resp.Body.Close()
	}
}

func Setup(b *bus.Bus, s *Service) {
	b.Subscribe("push", s.push)
	b.Subscribe("audit", func(ev bus.Event) {
		resp, err := http.Get(ev.URL) // want `http.Get without a timeout or context can block without bound in a callback that the for-select loop in Bus.Run runs`
		if err == nil {
			resp.Body.Close()
		}
	})
	b.Subscribe("quick", func(ev bus.Event) { // ok: bounded by a context
		ctx, cancel := context.WithTimeout(context.Background(), 1)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", ev.URL, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	})
	b.Spawn(func(ev bus.Event) { // ok: runs on a goroutine of its own
		if resp, err := http.Get(ev.URL); err == nil {
			resp.Body.Close()
		}
	})
	b.OnClose(func() { // ok: Close runs it, not the loop
		if resp, err := http.Get("http://example.com/bye"); err == nil {
			resp.Body.Close()
		}
	})
}
