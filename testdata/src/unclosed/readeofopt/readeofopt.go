// Package readeofopt is run with -read-to-eof: a body read to EOF and
// not closed is reported as its own case, saying what is true of it.
package readeofopt

import (
	"errors"
	"io"
	"net/http"
)

func readAll(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `response body from http.Get is read to EOF but never closed: net/http has already returned its connection to the pool, so nothing stays held`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// The path that returns before the read is the default rule's.
func readOnOnePath(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `response body from http.Get is not closed when resp.StatusCode != http.StatusOK: its connection can be neither reused nor freed`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// ok: read to EOF and closed.
func closed(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// ok: drained and closed, the pattern that reuses connections.
func drained(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}
