// Package loopsleave holds defers in loops after which every path leaves
// the loop, so that the defer runs at most once, and their twins, where
// some path goes round again with the resource still open.
package loopsleave

import (
	"context"
	"errors"
	"log"
	"net/http"
)

// ok: both branches of the if return.
func ifElse(urls []string) (int, error) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, errors.New(resp.Status)
		} else {
			return resp.StatusCode, nil
		}
	}
	return 0, errors.New("no url answered")
}

// ok: the defer is inside an if, and the loop body returns after it.
func nested(urls []string, keep bool) (int, error) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		if keep {
			defer resp.Body.Close()
		} else {
			resp.Body.Close()
		}
		return resp.StatusCode, nil
	}
	return 0, errors.New("no url answered")
}

// ok: every case of the switch, default included, returns.
func switchAll(urls []string) (string, error) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return "ok", nil
		default:
			return "", errors.New(resp.Status)
		}
	}
	return "", nil
}

// ok: every case of the select returns.
func selectAll(ctx context.Context, urls []string, done <-chan struct{}) error {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-done:
			return nil
		}
	}
	return nil
}

// ok: the loop ends in a call that does not return.
func fatal(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close()
		log.Fatalf("%s answered %s", u, resp.Status)
	}
}

// The if without an else lets a 200 go round again.
func ifOnly(urls []string) error {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
	}
	return nil
}

// A switch without a default goes round again on other codes.
func switchNoDefault(urls []string) error {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
		switch resp.StatusCode {
		case http.StatusNotFound:
			return errors.New("gone")
		}
	}
	return nil
}

// A break in a select leaves the select, not the loop.
func selectBreak(ctx context.Context, urls []string) error {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
			break
		}
	}
	return nil
}

// The defer sits in a case clause: the break ends the switch, and the
// next iteration comes.
func caseBreak(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		switch resp.StatusCode {
		case http.StatusOK:
			defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
			break
		default:
			resp.Body.Close()
			return
		}
	}
}
