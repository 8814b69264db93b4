// Package workerlib holds helpers a worker of another package calls.
package workerlib

import (
	"context"
	"net/http"
	"time"
)

// Fetch makes an HTTP request no context or timeout bounds.
func Fetch(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// FetchCtx makes it with the caller's context.
func FetchCtx(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Pause sleeps a little.
func Pause() { time.Sleep(10 * time.Millisecond) }
