// Package noconn holds responses with no connection behind them, so
// that their caller has nothing to release: responses to HEAD sent
// through Do, handshake responses returned beside the connection they
// opened, and responses built in memory by the package's own functions
// and transports. Each has a twin whose response does hold a connection.
package noconn

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ok: a response to HEAD has no body; the transport gave the connection
// back before Do returned.
func headThroughDo(c *http.Client, u string) (int, error) {
	req, err := http.NewRequest("HEAD", u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// ok: the same with http.MethodHead and a context.
func headWithContext(ctx context.Context, c *http.Client, u string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
	if err != nil {
		return false
	}
	resp, err := c.Do(req)
	return err == nil && resp.StatusCode == http.StatusOK
}

// ok: the method is set to HEAD after the request is made.
func headAssigned(c *http.Client, u string) (int64, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.Method = http.MethodHead
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// ok: a request literal with method HEAD, sent by a transport.
func headLiteral(t http.RoundTripper, u *url.URL) (int, error) {
	resp, err := t.RoundTrip(&http.Request{Method: "HEAD", URL: u, Header: http.Header{}})
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// A GET has a body to close.
func getThroughDo(c *http.Client, u string) (int, error) {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req) // want `response body from c.Do is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// The method is the caller's: it may be anything but HEAD.
func anyMethod(c *http.Client, method, u string) (int, error) {
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req) // want `response body from c.Do is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Conn is a connection opened by an HTTP handshake (a WebSocket).
type Conn struct{ rwc io.ReadWriteCloser }

func (c *Conn) Close() error { return c.rwc.Close() }

// Dialer opens Conns. Like every WebSocket library's Dial, it returns
// the handshake response beside the connection; the library has read
// its body, and the connection owns what is left.
type Dialer struct{ Client *http.Client }

func (d *Dialer) DialContext(ctx context.Context, u string, h http.Header) (*Conn, *http.Response, error) {
	return nil, nil, errors.New("not implemented")
}

// ok: the handshake response belongs to the connection returned with it.
func dial(ctx context.Context, d *Dialer, u string) (*Conn, error) {
	conn, resp, err := d.DialContext(ctx, u, nil)
	if err != nil {
		if resp != nil {
			return nil, errors.New(resp.Status)
		}
		return nil, err
	}
	return conn, nil
}

func timed(c *http.Client, u string) (*http.Response, time.Duration, error) {
	start := time.Now()
	resp, err := c.Get(u)
	return resp, time.Since(start), err
}

// A duration returned beside a response does not own it.
func timedGet(c *http.Client, u string) (time.Duration, error) {
	resp, d, err := timed(c, u) // want `response body from timed is never closed`
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, errors.New(resp.Status)
	}
	return d, nil
}

func fakeResponse(status int) (*http.Response, error) {
	if status == 0 {
		return nil, errors.New("no status")
	}
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: http.NoBody}, nil
}

// ok: the package builds the response in memory; its body is empty.
func useFake() (int, error) {
	resp, err := fakeResponse(http.StatusTeapot)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func maybeFake(c *http.Client, u string) (*http.Response, error) {
	if u == "" {
		return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody}, nil
	}
	return c.Get(u)
}

// One of the responses comes from the network.
func useMaybeFake(c *http.Client, u string) (int, error) {
	resp, err := maybeFake(c, u) // want `response body from maybeFake is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// ok: the client's transport is a function literal that answers from
// memory, as tests of HTTP clients do.
func stubbedClient(u string) (string, error) {
	c := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
	})}
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	return resp.Status, nil
}

// The client's transport is the network's.
func realClient(u string) (string, error) {
	c := &http.Client{Transport: http.DefaultTransport, Timeout: time.Second}
	resp, err := c.Get(u) // want `response body from c.Get is never closed`
	if err != nil {
		return "", err
	}
	return resp.Status, nil
}

type memTransport struct{ body string }

func (m *memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(m.body)), Request: r}, nil
}

// ok: the transport's RoundTrip builds the response in memory.
func memRoundTrip(req *http.Request) (int, error) {
	var t http.RoundTripper = &memTransport{body: "x"}
	resp, err := t.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

type proxyTransport struct{ next http.RoundTripper }

func (p *proxyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return p.next.RoundTrip(r)
}

// This transport forwards to the network.
func proxiedRoundTrip(req *http.Request) (int, error) {
	var t http.RoundTripper = &proxyTransport{next: http.DefaultTransport}
	resp, err := t.RoundTrip(req) // want `response body from t.RoundTrip is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
