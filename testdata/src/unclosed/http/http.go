package http

import (
	"errors"
	"io"
	"net/http"
)

// The real bug: the early return on a bad status code.
func badStatus(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req) // want `response body from client.Do is not closed when resp.StatusCode != http.StatusOK: .*; add defer resp.Body.Close\(\) after the error check`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New("bad status")
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Closed at the end, but not on the bad-status path.
func closedAtEnd(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `response body from http.Get is not closed when resp.StatusCode >= 400`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		return nil, errors.New("bad status")
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return b, err
}

func neverClosed(url string) (int, error) {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func discarded(url string) error {
	_, err := http.Get(url) // want `response body from http.Get is discarded, so it is never closed: .*; keep it and release it`
	return err
}

func poll(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u) // want `response body from http.Get is not closed before the loop acquires the next one`
		if err != nil {
			continue
		}
		if resp.StatusCode == http.StatusNotModified {
			continue
		}
		resp.Body.Close()
	}
}

func roundTrip(t http.RoundTripper, req *http.Request) (string, error) {
	resp, err := t.RoundTrip(req) // want `response body from t.RoundTrip is never closed`
	if err != nil {
		return "", err
	}
	return resp.Status, nil
}

func doRequest(c *http.Client, req *http.Request) (int, *http.Response, error) {
	resp, err := c.Do(req)
	return 1, resp, err
}

// The resource is the second result (consul's doRequest).
func secondResult(c *http.Client, req *http.Request) (int, error) {
	n, resp, err := doRequest(c, req) // want `response body from doRequest is never closed`
	if err != nil {
		return 0, err
	}
	return n + resp.StatusCode, nil
}

func switchStatus(c *http.Client, req *http.Request) ([]byte, error) {
	resp, err := c.Do(req) // want `response body from c.Do is not closed when resp.StatusCode is http.StatusNotFound or http.StatusGone`
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusNotFound, http.StatusGone:
		return nil, nil
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func tagless(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req) // want `response body from c.Do is not closed when resp.StatusCode == http.StatusNotFound`
	switch {
	case err != nil:
		return err
	case resp.StatusCode == http.StatusNotFound:
		return nil
	}
	defer resp.Body.Close()
	return nil
}

func retryLeak(c *http.Client, req *http.Request) (*http.Response, error) {
	var resp *http.Response
	var err error
	for range 3 {
		resp, err = c.Do(req) // want `response body from c.Do is not closed before the loop acquires the next one: .*; release it before the next iteration`
		if err == nil && resp.StatusCode < 500 {
			break
		}
	}
	return resp, err
}
