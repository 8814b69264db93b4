// Package chansendhelper holds test helpers outside _test.go files, named
// after alertmanager's notify/test.GetContextWithCancelingURL, beside
// look-alikes that serve real requests and must still report.
package chansendhelper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// GetContextWithCancelingURL: the handler of an httptest server blocks
// until the cleanup closes done.
func GetContextWithCancelingURL() (context.Context, string, func()) {
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-done // ok: an httptest server's handler serves a test, which waits on purpose
	}))
	return ctx, srv.URL, func() {
		close(done)
		srv.Close()
	}
}

// BlockingServer gives the literal to httptest.NewUnstartedServer directly.
func BlockingServer(release chan struct{}) *httptest.Server {
	return httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release // ok: a test server
	}))
}

// StartHandler takes a testing.TB: its handler literal is test code.
func StartHandler(t testing.TB, mux *http.ServeMux, release chan int) {
	mux.HandleFunc("/wait", func(w http.ResponseWriter, r *http.Request) {
		<-release // ok: inside a helper that takes a testing.TB
	})
}

// ServeTest is a handler method of a helper given a *testing.T.
func ServeTest(t *testing.T, w http.ResponseWriter, r *http.Request, ch chan int) {
	<-ch // ok: a function that takes a *testing.T is a test helper
}

// Register serves real requests: the same wait hangs them.
func Register(mux *http.ServeMux, release chan int) {
	mux.HandleFunc("/wait", func(w http.ResponseWriter, r *http.Request) {
		<-release // want `channel receive from release can block without bound in the HTTP handler for "/wait"`
	})
}

// Serve hands a real server a handler that blocks.
func Serve(release chan int) *http.Server {
	return &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release // want `channel receive from release can block without bound in the HTTP handler literal in Serve`
	})}
}
