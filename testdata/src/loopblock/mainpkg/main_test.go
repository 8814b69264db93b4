package main

import (
	"net/http"
	"testing"
	"time"
)

// ok: tests may block in handlers and loops as they like.
func TestHandler(t *testing.T) {
	h := func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Millisecond)
	}
	_ = h
}
