// Package chansendreload is alertmanager's httpserver.Register: a
// handler sends a reply channel to the main loop and waits for the
// answer. The main loop that receives reloadCh lives in another package
// (app), which imports this one, so the analysis of this package cannot
// see that the channel is served until the server has shut down: the
// finding stays, a known false positive (a limit, not a rule).
package chansendreload

import (
	"fmt"
	"net/http"
)

func Register(mux *http.ServeMux, reloadCh chan<- chan error) {
	mux.HandleFunc("/-/reload", func(w http.ResponseWriter, req *http.Request) {
		errc := make(chan error)
		defer close(errc)

		reloadCh <- errc               // want `channel send on reloadCh can block without bound in the HTTP handler for "/-/reload"`
		if err := <-errc; err != nil { // want `channel receive from errc can block without bound in the HTTP handler for "/-/reload"`
			http.Error(w, fmt.Sprintf("failed to reload config: %s", err), http.StatusInternalServerError)
		}
	})
}
