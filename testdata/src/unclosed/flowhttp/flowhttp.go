// Package flowhttp holds look-alikes of responses the path-sensitive rule
// got wrong: a CONNECT response read with http.ReadResponse
// (gorilla/websocket proxy.go:65), an error path recognised by a method
// call on the error (nats-server websocket_test.go:4443) and the
// condition named for a leak (go-redis proxy_fault_injector_server.go:142).
package flowhttp

import (
	"bufio"
	"errors"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ok: the response is read from the caller's connection; its body reads
// from br and holds no connection of its own, so closing it frees
// nothing. The connection is closed on the error paths and returned
// otherwise (websocket proxy.go:65).
func connect(conn net.Conn, addr string) (net.Conn, error) {
	connectReq := &http.Request{
		Method: http.MethodConnect,
		URL:    &url.URL{Opaque: addr},
		Host:   addr,
		Header: make(http.Header),
	}
	if err := connectReq.Write(conn); err != nil {
		conn.Close()
		return nil, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, connectReq)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if resp.StatusCode != 200 {
		conn.Close()
		f := strings.SplitN(resp.Status, " ", 2)
		return nil, errors.New(f[1])
	}
	return conn, nil
}

// ok: the function owns the connection and closes it; the body of the
// response read from it needs no Close of its own.
func readOne(addr string, req *http.Request) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := req.Write(conn); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// The connection under the response is the resource: it leaks when the
// status is bad.
func readOneLeak(addr string, req *http.Request) (int, error) {
	conn, err := net.Dial("tcp", addr) // want `connection from net.Dial is not closed when resp.StatusCode != 200`
	if err != nil {
		return 0, err
	}
	if err := req.Write(conn); err != nil {
		conn.Close()
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		conn.Close()
		return 0, err
	}
	if resp.StatusCode != 200 {
		return 0, errors.New(resp.Status)
	}
	conn.Close()
	return resp.StatusCode, nil
}

func requireTrue(ok bool) {
	if !ok {
		panic("assertion failed")
	}
}

// ok: err.Error() is called on the early-return path, so err is not nil
// there and there is no body (nats-server websocket_test.go:4443).
func expectError(url, errTxt string) {
	resp, err := http.Get(url)
	if errTxt == "" {
		requireTrue(err == nil)
	} else {
		requireTrue(err != nil)
		requireTrue(strings.Contains(err.Error(), errTxt))
		return
	}
	defer resp.Body.Close()
	log.Print(resp.Status)
}

// Without a method call on err, nothing shows that the request failed
// on the early return.
func expectErrorUnchecked(url, errTxt string) {
	resp, err := http.Get(url) // want `response body from http.Get is not closed when errTxt != ""`
	if errTxt == "" {
		requireTrue(err == nil)
	} else {
		log.Print(err)
		return
	}
	defer resp.Body.Close()
	log.Print(resp.Status)
}

func start() error { return nil }

// The body is closed only when the status is 200: the leak is on the
// other status codes, not on a later return
// (go-redis proxy_fault_injector_server.go:142).
func probe(c *http.Client, url string) error {
	running := false
	resp, err := c.Get(url) // want `response body from c.Get is not closed when resp.StatusCode != 200: .*; release it on every path`
	if err == nil && resp.StatusCode == 200 {
		resp.Body.Close()
		running = true
	}
	if !running {
		if err := start(); err != nil {
			return err
		}
	}
	for i := 0; i < 10; i++ {
		if err := start(); err == nil {
			return nil
		}
	}
	return errors.New("not ready")
}

// ok: closed whatever the status.
func probeClosed(c *http.Client, url string) error {
	running := false
	resp, err := c.Get(url)
	if err == nil {
		resp.Body.Close()
		running = resp.StatusCode == 200
	}
	if !running {
		return start()
	}
	return nil
}
