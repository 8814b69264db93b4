// Package errpath holds error checks made by a call that takes the
// error and returns a bool, as testify's assert.NoError and assert.Error
// are used: "if !f(t, err) { return }" and "if f(t, err) { return }".
// The guarded block is where the call failed, so there is no resource
// on it. The checks here are the package's own, named nothing like
// testify's: the rule reads how the result is used, not the name.
package errpath

import (
	"errors"
	"net/http"
	"testing"
)

// succeeded reports, and logs, whether err is nil.
func succeeded(t *testing.T, err error) bool {
	if err != nil {
		t.Errorf("unexpected error: %v", err)
		return false
	}
	return true
}

// broken reports, and logs, whether err is not nil.
func broken(t *testing.T, err error) bool {
	if err != nil {
		t.Error(err)
		return true
	}
	return false
}

// ok: the negated check returns where the Get failed.
func negated(t *testing.T, c *http.Client, u string) {
	resp, err := c.Get(u)
	if !succeeded(t, err) {
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Error(resp.Status)
	}
}

// ok: the plain check returns where the Get failed.
func plain(t *testing.T, c *http.Client, u string) int {
	resp, err := c.Get(u)
	if broken(t, err) {
		return 0
	}
	defer resp.Body.Close()
	return resp.StatusCode
}

// ok: parenthesised, in a helper that is not a test.
func helper(c *http.Client, u string, ok func(error) bool) error {
	resp, err := c.Get(u)
	if !(ok(err)) {
		return errors.New("get failed")
	}
	return resp.Body.Close()
}

// The return on a bad status, after the check, leaks.
func statusAfterCheck(t *testing.T, c *http.Client, u string) {
	resp, err := c.Get(u) // want `response body from c.Get is not closed when resp.StatusCode != http.StatusOK`
	if !succeeded(t, err) {
		return
	}
	if resp.StatusCode != http.StatusOK {
		t.Error(resp.Status)
		return
	}
	resp.Body.Close()
}

func usable(resp *http.Response, err error) bool {
	return err == nil && resp.StatusCode == http.StatusOK
}

// A check that also reads the response fails with a response in hand.
func checkWithResponse(c *http.Client, u string) error {
	resp, err := c.Get(u) // want `response body from c.Get is not closed when not usable\(resp, err\)`
	if !usable(resp, err) {
		return errors.New("unusable")
	}
	return resp.Body.Close()
}
