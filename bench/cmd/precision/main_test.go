package main

import (
	"strings"
	"testing"

	"github.com/asynclint/asynclint/bench/internal/benchutil"
)

const vetOutput = `# example.com/sig
{
	"example.com/sig": {
		"sigstate": [
			{
				"posn": "/src/sig/main.go:11:16",
				"message": "signal.Notify with unbuffered channel ch drops a signal"
			}
		]
	}
}
# example.com/sig [example.com/sig.test]
{
	"example.com/sig [example.com/sig.test]": {
		"sigstate": [
			{
				"posn": "/src/sig/main.go:11:16",
				"message": "signal.Notify with unbuffered channel ch drops a signal"
			}
		],
		"loopblock": {"error": "boom"}
	}
}
{}
go: finding module for package github.com/nats-io/jwt/v2
go: found github.com/nats-io/jwt/v2 in github.com/nats-io/jwt/v2 v2.8.3
sub/x.go:3:1: syntax error: unexpected }
`

func TestParseVetJSON(t *testing.T) {
	m := benchutil.Module{Path: "example.com/sig", Version: "v1.0.0"}
	fs, problems, err := parseVetJSON(strings.NewReader(vetOutput), m, "/src/sig")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1 (the test variant repeats the package's): %v", len(fs), fs)
	}
	want := Finding{Module: "example.com/sig@v1.0.0", File: "main.go", Line: 11, Check: "sigstate",
		Message: "signal.Notify with unbuffered channel ch drops a signal"}
	if fs[0] != want {
		t.Errorf("got %+v, want %+v", fs[0], want)
	}
	if len(problems) != 2 || !strings.Contains(problems[0]+problems[1], "boom") || !strings.Contains(problems[0]+problems[1], "syntax error") {
		t.Errorf("problems = %q, want the analyzer error and the build error", problems)
	}
}

func TestCompare(t *testing.T) {
	f := func(mod, file string, line int, check, verdict, msg string) Finding {
		return Finding{Module: mod, File: file, Line: line, Check: check, Verdict: verdict, Message: msg}
	}
	baseline := []Finding{
		f("a@v1", "x.go", 10, "sigstate", "true", "m1"),
		f("a@v1", "x.go", 50, "sigstate", "false", "m1"),
		f("a@v1", "y.go", 5, "unclosed", "false", "gone"),
		f("b@v1", "z.go", 1, "unclosed", "true", "not run"),
	}
	found := []Finding{
		f("a@v2", "x.go", 52, "sigstate", "", "m1"), // moved: pairs with line 50.
		f("a@v2", "x.go", 12, "sigstate", "", "m1"), // moved: pairs with line 10.
		f("a@v2", "x.go", 80, "sigstate", "", "m1"), // a third one: new.
		f("a@v2", "w.go", 3, "loopblock", "", "m2"), // new.
	}
	matched, fresh, vanished := compare(baseline, found, map[string]bool{"a": true})
	if len(matched) != 2 || matched[0].Line != 12 || matched[0].Verdict != "true" || matched[1].Line != 52 || matched[1].Verdict != "false" || matched[0].Module != "a@v2" {
		t.Errorf("matched = %v", matched)
	}
	if len(fresh) != 2 || fresh[0].File != "w.go" || fresh[1].Line != 80 {
		t.Errorf("fresh = %v", fresh)
	}
	if len(vanished) != 1 || vanished[0].Message != "gone" {
		t.Errorf("vanished = %v (module b did not run: its line must not vanish)", vanished)
	}
}

func TestCheckRules(t *testing.T) {
	for _, tc := range []struct{ v, check, want string }{
		{"all", "loopblock", "all"},
		{"default", "unclosed", "default"},
		{"loopblock.lock-leak,loopblock.lock-again", "loopblock", "lock-leak,lock-again"},
		{"loopblock.lock-leak, unclosed.body", "unclosed", "body"},
		{"loopblock.lock-leak", "sigstate", "none"},
	} {
		if got := checkRules(tc.v, tc.check); got != tc.want {
			t.Errorf("checkRules(%q, %q) = %q, want %q", tc.v, tc.check, got, tc.want)
		}
	}
}
