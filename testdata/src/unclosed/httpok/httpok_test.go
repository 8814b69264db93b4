package httpok

import (
	"net/http"
	"testing"
)

// ok: tests discard responses of calls meant to fail, checked in ways
// the check cannot follow (github.com/hashicorp/go-retryablehttp).
func TestInvalidAddress(t *testing.T) {
	_, err := http.Get("http://999.999.999.999:999/")
	if got := normalize(err); got != "dial error" {
		t.Fatal(got)
	}
}

func normalize(err error) string { return "dial error" }
