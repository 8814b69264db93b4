// Package notowned holds uses of a response that do not release it (a
// print, a closure never called, a wrapper thrown away), beside uses that
// do.
package notowned

import (
	"compress/gzip"
	"fmt"
	"io"
	"log"
	"net/http"
)

func printed(url string) {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return
	}
	fmt.Println(resp)
}

func printedBody(url string) {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return
	}
	log.Printf("body: %v", resp.Body)
}

func closureNeverCalled(url string) {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return
	}
	_ = func() { resp.Body.Close() }
}

func wrapperDropped(url string) {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return
	}
	_ = http.MaxBytesReader(nil, resp.Body, 1024)
}

// ok: printed, then closed.
func printedClosed(url string) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
}

// ok: the closure is deferred.
func closureDeferred(url string) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	closeBody := func() { resp.Body.Close() }
	defer closeBody()
}

// ok: the closure is called.
func closureCalled(url string) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	done := func() { resp.Body.Close() }
	done()
}

// ok: the wrapper is kept and closed.
func wrapperClosed(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	body := http.MaxBytesReader(nil, resp.Body, 1024)
	defer body.Close()
	_, err = io.ReadAll(body)
	return err
}

// ok: the response is handed to a keeper through an interface.
func kept(url string, keep func(any)) {
	resp, err := http.Get(url)
	if err != nil {
		return
	}
	keep(resp)
}

func gunzip(url string) ([]byte, error) {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return nil, err
	}
	defer zr.Close() // closes the gzip reader, not the body
	return io.ReadAll(zr)
}

// ok: the body is closed besides the gzip reader.
func gunzipOK(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

func nopCloser(url string) io.ReadCloser {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return nil
	}
	return io.NopCloser(resp.Body)
}

// do returns the response after reading and closing its body, as API
// clients do: the caller has nothing to release.
func do(url string) (*http.Response, []byte, error) {
	resp, err := http.Get(url)
	defer func() {
		if resp != nil {
			resp.Body.Close()
		}
	}()
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// closeRes closes a response's body.
func closeRes(resp *http.Response) {
	if resp != nil {
		resp.Body.Close()
	}
}

// get hands its response to closeRes in a defer.
func get(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer closeRes(resp)
	_, err = io.ReadAll(resp.Body)
	return resp, err
}

// raw returns the response open: its caller owns the body.
func raw(url string) (*http.Response, error) {
	return http.Get(url)
}

// ok: do and get closed the bodies of what they returned.
func useClosed(url string) (int, error) {
	_, body, err := do(url)
	if err != nil {
		return 0, err
	}
	resp, err := get(url)
	if err != nil {
		return 0, err
	}
	return len(body) + resp.StatusCode, nil
}

func useRaw(url string) (int, error) {
	resp, err := raw(url) // want `response body from raw is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
