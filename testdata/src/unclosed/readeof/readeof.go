// Package readeof holds response bodies read to EOF and never closed.
// net/http's transport gives the connection back when a read reaches
// io.EOF (and closes it on any other read error), so these leak
// nothing: the default rule is silent, and -read-to-eof reports them
// as a case of their own (see ../readeofopt). Their twins stop reading
// early, or return before reading, and still hold the connection.
package readeof

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/ioutil"
	"net/http"
)

// ok: read to EOF by io.ReadAll; the connection is back in the pool.
func readAll(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// ok: the deprecated ioutil.ReadAll reads to EOF too.
func readAllIoutil(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	b, err := ioutil.ReadAll(resp.Body)
	return len(b), err
}

// ok: drained into io.Discard, as a test reads a status it only checks.
func discarded(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// ok: read into a buffer to EOF.
func buffered(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// ok: every path reads it to EOF before returning.
func everyPathReads(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(string(body))
	}
	return body, err
}

// A JSON decoder stops after the first value: the rest of the body,
// and the connection under it, stay.
func decoded(url string, v any) error {
	resp, err := http.Get(url) // want `response body from http.Get is never closed: its connection can be neither reused nor freed`
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// A limited read ends at the limit, not at EOF.
func limited(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<20))
}

// The early return on a bad status neither reads nor closes the body.
func readOnOnePath(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `response body from http.Get is not closed when resp.StatusCode != http.StatusOK`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// io.Copy reads its second argument; the body written to is not read.
func copiedInto(url string, w io.Writer) error {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return err
	}
	_, err = io.CopyN(w, resp.Body, 512)
	return err
}
