// Package chansendreload holds request/reply exchanges in HTTP handlers,
// named after alertmanager's httpserver.Register: the /-/reload handler
// sends a reply channel to the main loop, which the caller wires in, and
// waits for the answer. Beside them, look-alikes that send to a channel
// of the package nobody serves, or wait with no request, or under a
// lock, must still report.
package chansendreload

import (
	"fmt"
	"net/http"
	"sync"
)

// Register is alertmanager's httpserver.Register (httpserver.go:35,36).
func Register(mux *http.ServeMux, reloadCh chan<- chan error) {
	mux.HandleFunc("/-/reload", func(w http.ResponseWriter, req *http.Request) {
		errc := make(chan error)
		defer close(errc)

		reloadCh <- errc               // ok: a request to the server the caller wires in, out of reach like a call through a func value
		if err := <-errc; err != nil { // ok: the reply waits only for the server's work once the request is taken
			http.Error(w, fmt.Sprintf("failed to reload config: %s", err), http.StatusInternalServerError)
		}
	})
}

// Server keeps its own request channel, and nothing in the package
// receives from it.
type Server struct {
	mu       sync.Mutex
	reloadCh chan chan error
	notify   chan string
}

func (s *Server) handleReload(w http.ResponseWriter, r *http.Request) {
	errc := make(chan error)
	s.reloadCh <- errc // want `channel send on s.reloadCh can block without bound in HTTP handler Server.handleReload`
	if err := <-errc; err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (s *Server) handleNotify(w http.ResponseWriter, r *http.Request) {
	s.notify <- r.URL.Path // want `channel send on s.notify can block without bound in HTTP handler Server.handleNotify`
}

// RegisterWait waits on a channel it never handed to anyone.
func RegisterWait(mux *http.ServeMux, reloadCh chan<- chan error) {
	mux.HandleFunc("/wait", func(w http.ResponseWriter, req *http.Request) {
		errc := make(chan error)
		go func() {
			_, err := http.Get("http://backend/") // waits without bound
			errc <- err
		}()
		<-errc // want `channel receive from errc can block without bound in the HTTP handler for "/wait"`
	})
}

// RegisterLocked makes the request while holding a lock.
func RegisterLocked(mux *http.ServeMux, mu *sync.Mutex, reloadCh chan<- chan error) {
	mux.HandleFunc("/-/reload-locked", func(w http.ResponseWriter, req *http.Request) {
		errc := make(chan error)
		mu.Lock()
		defer mu.Unlock()
		reloadCh <- errc // want `channel send on reloadCh can block without bound while mu is held`
		<-errc           // want `channel receive from errc can block without bound while mu is held`
	})
}
