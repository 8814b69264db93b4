// Package checktest holds what the checks' analysistest tests share.
package checktest

import (
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestData returns the absolute path of the top-level testdata
// directory, whose src/<check>/<case> packages are the fixtures of every
// check (analysistest needs an absolute GOPATH entry).
func TestData() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("checktest: no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
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

// DefaultRules runs a's fixture pkgs twice: with the default selection of
// rules, where its // want lines must hold, and with every rule on, where
// it must report more, and only findings of opt-in rules beyond the
// default ones. So a fixture of the defaults shows opt-in findings as
// "// ok" lines that really are findings of an opt-in rule.
func DefaultRules(t *testing.T, a *analysis.Analyzer, pkgs ...string) {
	t.Helper()
	f := a.Flags.Lookup("rules")
	if f == nil {
		t.Fatalf("%s has no rules flag", a.Name)
	}
	old := f.Value.String()
	defer func() { _ = f.Value.Set(old) }()
	if err := f.Value.Set("default"); err != nil {
		t.Fatal(err)
	}
	def := count(analysistest.Run(t, TestData(), a, pkgs...))
	if err := f.Value.Set("all"); err != nil {
		t.Fatal(err)
	}
	all := count(analysistest.Run(quiet{}, TestData(), a, pkgs...))
	rules, ok := f.Value.(interface{ Enabled(string) bool })
	if !ok {
		t.Fatalf("%s's rules flag is a %T", a.Name, f.Value)
	}
	if err := f.Value.Set("default"); err != nil {
		t.Fatal(err)
	}
	extra := 0
	for rule, n := range all {
		if n <= def[rule] {
			continue
		}
		extra += n - def[rule]
		if rules.Enabled(rule) {
			t.Errorf("with every rule on, %s reports %d more findings of its default rule %q", a.Name, n-def[rule], rule)
		}
	}
	if extra == 0 {
		t.Errorf("%s reports nothing more with every rule on: the fixture shows no opt-in finding", a.Name)
	}
}

func count(results []*analysistest.Result) map[string]int {
	n := make(map[string]int)
	for _, r := range results {
		for _, d := range r.Diagnostics {
			n[d.Category]++
		}
	}
	return n
}

// quiet is an analysistest.Testing that ignores the mismatches of a run
// whose diagnostics are checked by the caller.
type quiet struct{}

func (quiet) Errorf(string, ...any) {}
