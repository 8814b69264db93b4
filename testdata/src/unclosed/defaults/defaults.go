// Package defaults shows which unclosed rules a default run reports: a
// Transport made per iteration (transport-per-request) is reported; a
// body left open on an error status (body) is opt-in.
package defaults

import (
	"context"
	"fmt"
	"net/http"
)

func Status(ctx context.Context, hc *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req) // ok: unclosed.body is opt-in
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return resp.Body.Close()
}

func All(ctx context.Context, urls []string) error {
	for _, u := range urls {
		hc := &http.Client{Transport: &http.Transport{}} // want `new http.Transport in a loop`
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}
