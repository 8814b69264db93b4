// Package checktest holds what the checks' analysistest tests share.
package checktest

import (
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestData returns the absolute path of the top-level testdata
// directory, whose src/<check>/<case> packages are the fixtures of every
// check (analysistest needs an absolute GOPATH entry).
func TestData() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("checktest: no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata")
}

// AllRules turns on every rule of the check a runs, opt-in ones
// included, for the rest of the test: fixtures show every rule's
// findings, and the default selection is tested on its own. It sets the
// analyzer's flag, so a test that calls it must not run in parallel.
func AllRules(t testing.TB, a *analysis.Analyzer) {
	f := a.Flags.Lookup("rules")
	if f == nil {
		t.Fatalf("%s has no rules flag", a.Name)
	}
	old := f.Value.String()
	if err := f.Value.Set("all"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Value.Set(old) })
}
