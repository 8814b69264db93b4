package chanflow_test

import (
	"bytes"
	"encoding/gob"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/chanflow"
)

func Test(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), chanflow.Analyzer, "unjoined/lib")
}

// TestFactRoundTrip checks that the fact survives gob, as drivers that
// serialise facts between packages need, and stays small.
func TestFactRoundTrip(t *testing.T) {
	in := &chanflow.Fact{Params: []chanflow.Op{chanflow.Send | chanflow.Close, 0, chanflow.Drain}}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 128 {
		t.Errorf("fact encodes to %d bytes; keep facts small", buf.Len())
	}
	out := new(chanflow.Fact)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "chanflow(0:send|close 2:drain)"; got != want {
		t.Errorf("round trip: got %s, want %s", got, want)
	}
}

// TestServe checks the Served facts of a package with serving loops (a
// zone's reload goroutine) and without (a reload that fetches over HTTP).
func TestServe(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), chanflow.ServeAnalyzer, "loopblock/chansendzone")
}

// TestServedRoundTrip checks that the Served fact survives gob.
func TestServedRoundTrip(t *testing.T) {
	in := &chanflow.Served{Locks: []string{"example.com/p.T.mu"}, Needs: []string{"example.com/p.T.Mutex"}}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	out := new(chanflow.Served)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), in.String(); got != want {
		t.Errorf("round trip: got %s, want %s", got, want)
	}
	if out.Bounded("example.com/p.T.mu") || !out.Bounded("example.com/p.T.Mutex") || out.Bounded("example.com/p.U.mu") {
		t.Errorf("Bounded: a sender must hold a needed lock and none the loops take")
	}
}

// TestServeHoldout checks the Served facts of robfig/cron's run loop,
// stopped by a signal sent under the lock its senders hold.
func TestServeHoldout(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), chanflow.ServeAnalyzer, "loopblock/holdoutcron")
}
