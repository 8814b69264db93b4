package httpok

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
)

// ok: the deferred close follows the error check.
func deferred(c *http.Client, req *http.Request, v any) error {
	resp, err := c.Do(req)
	if err != nil {
		return err // ok: the response is nil when err != nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// ok: returned to the caller, who owns it now.
func returned(c *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ok: returned directly.
func returnedDirectly(url string) (*http.Response, error) {
	return http.Get(url)
}

// ok: the body is handed to the caller.
func returnedBody(url string) (io.ReadCloser, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

func drain(resp *http.Response) {
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// ok: passed to drain, which closes it (its fact says so).
func passedToCloser(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	drain(resp)
	return nil
}

type holder struct{ resp *http.Response }

var last *http.Response

// ok: stored in a field, a map, a slice, a global: the owner closes it.
func stored(url string, h *holder, m map[string]*http.Response, s []*http.Response) []*http.Response {
	r1, err := http.Get(url)
	if err != nil {
		return s
	}
	h.resp = r1
	r2, err := http.Get(url)
	if err != nil {
		return s
	}
	m[url] = r2
	r3, err := http.Get(url)
	if err != nil {
		return s
	}
	s = append(s, r3)
	r4, err := http.Get(url)
	if err != nil {
		return s
	}
	last = r4
	return s
}

// ok: sent on a channel; the receiver owns it.
func sent(url string, ch chan<- *http.Response) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	ch <- resp
	return nil
}

// ok: captured by a closure that closes it.
func closure(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer func() {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return nil
}

// ok: the deferred closure is set up before the call and checks for nil.
func closureBefore(url string) (err error) {
	var resp *http.Response
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	resp, err = http.Get(url)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return nil
}

type bodyReader struct{ rc io.ReadCloser }

func (b *bodyReader) Close() error { return b.rc.Close() }

// ok: wrapped by a type whose Close closes it.
func wrapped(url string) (*bodyReader, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return &bodyReader{rc: resp.Body}, nil
}

// ok: nil check on the response instead of the error.
func nilCheck(url string) {
	resp, err := http.Get(url)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		log.Print(err)
	}
}

// ok: the recorder's body is an in-memory buffer.
func recorder(h http.Handler, req *http.Request) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	return resp.StatusCode
}

// ok: the goroutine owns it now.
func handedToGoroutine(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	go drain(resp)
	return nil
}

// ok: log.Fatal does not return.
func fatal(url string) {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		log.Fatalf("status %s", resp.Status)
	}
	resp.Body.Close()
}

// ok: closed on every path by hand.
func everyPath(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return errors.New(resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

// ok: closed in a function literal called in place.
func literal(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	func(r *http.Response) {
		defer r.Body.Close()
	}(resp)
	return nil
}

// ok: a loop whose every iteration closes what it got.
func loopClosed(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

func doRequest(c *http.Client, req *http.Request) (int, *http.Response, error) {
	resp, err := c.Do(req)
	return 1, resp, err
}

// requireOK closes the body when the status is bad, and passes the
// response on otherwise (github.com/hashicorp/consul/api).
func requireOK(n int, resp *http.Response, err error) (int, *http.Response, error) {
	if err != nil {
		return n, resp, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return n, nil, errors.New(resp.Status)
	}
	return n, resp, nil
}

func closeResponseBody(resp *http.Response) error {
	return resp.Body.Close()
}

// ok: the consul api client's pattern.
func consul(c *http.Client, req *http.Request) (int, error) {
	n, resp, err := requireOK(doRequest(c, req))
	if err != nil {
		return 0, err
	}
	defer closeResponseBody(resp)
	return n, nil
}

// ok: the call is meant to fail; the response is nil
// (github.com/google/go-github's transport tests).
func meantToFail(t http.RoundTripper) error {
	_, err := t.RoundTrip(nil)
	if err == nil {
		return errors.New("expected an error")
	}
	return nil
}

func requireNotFoundOrOK(resp *http.Response) (bool, *http.Response, error) {
	switch resp.StatusCode {
	case 200:
		return true, resp, nil
	case 404:
		return false, resp, nil
	default:
		resp.Body.Close()
		return false, nil, errors.New(resp.Status)
	}
}

// ok: requireNotFoundOrOK hands back the response it was given, which
// is already closed by the deferred call (github.com/hashicorp/consul/api).
func passThrough(c *http.Client, req *http.Request) (bool, error) {
	_, resp, err := doRequest(c, req)
	if err != nil {
		return false, err
	}
	defer closeResponseBody(resp)
	found, resp, err := requireNotFoundOrOK(resp)
	if err != nil {
		return false, err
	}
	return found && resp.StatusCode == 200, nil
}

type result struct{ resp *http.Response }

func (r *result) Response() *http.Response { return r.resp }

// ok: a getter hands out a response someone else owns.
func getter(r *result) int {
	return r.Response().StatusCode
}

func Error(err error) bool { return err != nil }

// ok: the call is meant to fail, as the assertion says.
func assertedToFail(c *http.Client) bool {
	_, err := c.Get("http://bad host/")
	return Error(err)
}

type apiClient interface {
	Do(req *http.Request) (*http.Response, []byte, error)
}

// ok: a client that returns the body it read has closed the response
// (github.com/prometheus/client_golang/api's Do).
func bodyRead(c apiClient, req *http.Request) ([]byte, error) {
	_, body, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// ok: err.Error() without a nil check says the call is meant to fail
// (github.com/hashicorp/go-retryablehttp's tests).
func errorUnguarded(c *http.Client, req *http.Request) string {
	_, err := c.Do(req)
	return err.Error()
}

// ok: the deferred literal is called with resp.Body and closes it
// (labstack/echo echo_test.go:238, a false positive of the precision
// harness).
func deferredLiteralWithBody(url string) int {
	if resp, err := http.Get(url); err == nil {
		defer func(body io.ReadCloser) {
			if err := body.Close(); err != nil {
				log.Print(err)
			}
		}(resp.Body)
		return resp.StatusCode
	}
	return 0
}

// headStatus is chi's mux_test.go:166: a response to HEAD has no body,
// and its connection is back in the pool before http.Head returns.
func headStatus(url string) (int, error) {
	resp, err := http.Head(url) // ok: no body to close
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// clientHead is the same through a client.
func clientHead(c *http.Client, url string) bool {
	resp, err := c.Head(url) // ok: no body to close
	return err == nil && resp.StatusCode == http.StatusOK
}
