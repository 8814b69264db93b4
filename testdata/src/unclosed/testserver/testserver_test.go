package testserver

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestStatusOnly(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="x"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/v2/") // ok: the server writes no body (Content-Length: 0)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatal(resp.Status)
	}
}

func TestRequestBuilt(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ts.Close()
	t.Run("sub", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, ts.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req) // ok: a handler that writes nothing answers 200 with Content-Length: 0
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.StatusCode
	})
}

func TestMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) })
	ts := httptest.NewServer(mux)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/a") // ok: no handler of the mux writes a body
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.StatusCode
}

func TestBody(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	}))
	defer ts.Close()
	resp, err := http.Get(ts.URL) // want `response body from http.Get is never closed`
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.StatusCode
}

func TestError(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusForbidden) // writes a body
	}))
	defer ts.Close()
	resp, err := http.Get(ts.URL) // want `response body from http.Get is never closed`
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.StatusCode
}

func TestMixedMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "b") })
	ts := httptest.NewServer(mux)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/b") // want `response body from http.Get is never closed`
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.StatusCode
}

func TestOtherURL(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ts.Close()
	resp, err := http.Get("http://example.com/") // want `response body from http.Get is never closed`
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.StatusCode
}

func TestHandlerHandsWriter(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply(w)
	}))
	defer ts.Close()
	resp, err := http.Get(ts.URL) // want `response body from http.Get is never closed`
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.StatusCode
}

func reply(w http.ResponseWriter) { w.WriteHeader(200) }
