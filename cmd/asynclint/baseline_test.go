package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaseline adopts asynclint on a codebase with findings: after
// -baseline-write, lines inserted above an old finding do not revive it,
// and only a newly added bug is reported and fails the run.
func TestBaseline(t *testing.T) {
	dir := fixture(t, "service")
	baseline := filepath.Join(dir, "asynclint-baseline.json")
	w := asynclint(t, dir, "-baseline-write", baseline, "./...")
	wantCode(t, w, 0)
	wantCode(t, asynclint(t, dir, "-baseline", baseline, "./..."), 0)

	// Move the old finding down by inserting lines above it.
	store := filepath.Join(dir, "store", "store.go")
	data, _ := os.ReadFile(store)
	moved := strings.Replace(string(data), "// Hangup waits for SIGHUP.", "// unrelated edit\nvar _ = 1\n\nvar _ = 2\n\n// Hangup waits for SIGHUP.", 1)
	// And add a new bug.
	moved += `
// Reload waits for SIGHUP too, with the same mistake.
func Reload() {
	reload := make(chan os.Signal)
	signal.Notify(reload, os.Interrupt)
	<-reload
}
`
	if err := os.WriteFile(store, []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	r := asynclint(t, dir, "-baseline", baseline, "./...")
	wantCode(t, r, 1)
	want := "store/store.go:24:16: signal.Notify with unbuffered channel reload drops a signal that arrives while nobody receives: make it with capacity 1 (sigstate.unbuffered)\n"
	if r.stdout != want {
		t.Errorf("with baseline:\n%s\nwant only the new finding:\n%s", r.stdout, want)
	}
	wantCode(t, asynclint(t, dir, "-baseline", filepath.Join(dir, "missing.json"), "./..."), 2)
}
