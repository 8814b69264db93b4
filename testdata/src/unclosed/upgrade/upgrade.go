// Package upgrade holds 101 Switching Protocols responses: net/http's
// body of one is the connection, an io.ReadWriteCloser, that the caller
// takes over. An assertion of the body to a writer cannot fail there.
package upgrade

import (
	"errors"
	"io"
	"net/http"
)

// ok: the status is 101 when the assertion runs, so it holds, and the
// connection is handed to the caller.
func upgrade(c *http.Client, req *http.Request) (io.ReadWriteCloser, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		resp.Body.Close()
		return nil, errors.New(resp.Status)
	}
	conn, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		return nil, errors.New("upgraded body is not writable") // ok: cannot happen on a 101
	}
	return conn, nil
}

// ok: the same, checked in a switch.
func upgradeSwitch(c *http.Client, req *http.Request) (io.ReadWriteCloser, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusSwitchingProtocols:
		if rwc, ok := resp.Body.(io.ReadWriteCloser); ok {
			return rwc, nil
		}
		return nil, errors.New("not writable") // ok: cannot happen on a 101
	default:
		resp.Body.Close()
		return nil, errors.New(resp.Status)
	}
}

// Without the status check, the assertion fails on any other response,
// whose body then leaks.
func upgradeUnchecked(c *http.Client, req *http.Request) (io.ReadWriteCloser, error) {
	resp, err := c.Do(req) // want `response body from c.Do is not closed when !ok`
	if err != nil {
		return nil, err
	}
	conn, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		return nil, errors.New(resp.Status)
	}
	return conn, nil
}

// On a 101, dropping the connection leaks it.
func upgradeDropped(c *http.Client, req *http.Request) bool {
	resp, err := c.Do(req) // want `response body from c.Do is not closed when resp.StatusCode == http.StatusSwitchingProtocols`
	if err != nil {
		return false
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		_, ok := resp.Body.(io.Writer)
		return ok
	}
	resp.Body.Close()
	return false
}
