// Package app calls into lib: whether its responses leak depends on what
// lib's functions do, which only a cross-package fact can tell.
package app

import (
	"net/http"

	"example.com/facts/lib"
)

// Fetch hands the response to lib.Drain, which closes it.
func Fetch(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	lib.Drain(resp)
	return nil
}

// Peek hands the response to lib.Status, which does not close it.
func Peek(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	return lib.Status(resp), nil
}
