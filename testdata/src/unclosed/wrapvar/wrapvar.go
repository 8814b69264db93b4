// Package wrapvar holds deferred closures over a variable that holds the
// response's body, or a wrapper whose Close closes the body, and twins
// whose closure or wrapper closes nothing.
package wrapvar

import (
	"compress/gzip"
	"errors"
	"io"
	"net/http"
)

// countingBody counts what is read; its Close closes the body.
type countingBody struct {
	rc io.ReadCloser
	n  int
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.n += n
	return n, err
}

func (c *countingBody) Close() error { return c.rc.Close() }

// ok: the deferred closure, set up before the request, closes whatever
// the variable holds: the body.
func bodyVarBefore(u string) (int, error) {
	var rc io.ReadCloser
	defer func() {
		if rc != nil {
			rc.Close()
		}
	}()
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	rc = resp.Body
	if resp.StatusCode != http.StatusOK {
		return 0, errors.New(resp.Status)
	}
	return resp.StatusCode, nil
}

// ok: the variable holds the body or a wrapper whose Close closes it.
func wrapperVar(u string, count bool) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	var rc io.ReadCloser = resp.Body
	if count {
		rc = &countingBody{rc: resp.Body}
	}
	defer func() { rc.Close() }()
	if resp.StatusCode != http.StatusOK {
		return 0, errors.New(resp.Status)
	}
	b, err := io.ReadAll(rc)
	return len(b), err
}

// A gzip reader's Close does not close what it reads: on the gzip path
// nothing closes the body.
func gzipVar(u string, gz bool) (int, error) {
	resp, err := http.Get(u) // want `response body from http.Get is never closed`
	if err != nil {
		return 0, err
	}
	var r io.Reader = resp.Body
	if gz {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return 0, err
		}
		defer zr.Close()
		r = zr
	}
	b := make([]byte, 10)
	n, err := r.Read(b)
	return n, err
}

// The deferred closure reads the variable but closes nothing.
func closureReadsOnly(u string) (int, error) {
	var rc io.ReadCloser
	defer func() {
		if rc != nil {
			io.CopyN(io.Discard, rc, 512)
		}
	}()
	resp, err := http.Get(u) // want `response body from http.Get is never closed`
	if err != nil {
		return 0, err
	}
	rc = resp.Body
	return resp.StatusCode, nil
}
