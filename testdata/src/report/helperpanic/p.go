package helperpanic // want `internal error: helper blocking failed on package report/helperpanic, so check loopblock did not run: panic: injected panic in helper blocking \(at passes/internal/report/inject.go:\d+\)`

import (
	"net/http"
	"time"
)

// Handle would be reported by loopblock (time.Sleep in an HTTP handler)
// if its helper blocking had not failed: the check does not run, and
// says so above instead of reporting nothing.
func Handle(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second)
}
