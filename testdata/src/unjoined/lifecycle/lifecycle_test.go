package lifecycle

import (
	"testing"
	"time"
)

// TestServe leaks its server goroutine when the timeout fires: tests are
// checked too, a leak there slows or hangs the suite.
func TestServe(t *testing.T) {
	errc := make(chan error)
	go func() {
		errc <- Serve() // want `goroutine sends on unbuffered channel errc, but TestServe stops receiving when it returns on a timeout`
	}()
	select {
	case err := <-errc:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(time.Second):
		t.Error("timeout")
	}
}

// TestServeFatal gives up with t.Fatal: FailNow ends the test's goroutine,
// and the report of the Fatal is the test's failure, not a leak to chase.
func TestServeFatal(t *testing.T) {
	errc := make(chan error)
	go func() {
		errc <- Serve() // ok: the only way out is t.Fatal
	}()
	select {
	case err := <-errc:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}
