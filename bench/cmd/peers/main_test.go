package main

import (
	"fmt"
	"slices"
	"testing"
)

const wantSrc = `package p

func f() {
	a() // want "response body must be closed"
	b() /* want "x" ` + "`y`" + ` */
	// want +1 "next line"
	c()
	d() // want fact:"only a fact"
	e() // wanted: not analysistest's syntax, no expectation
	g() // see // want "nested want"
	h() // a comment that is no want
	i() //want"no space"
}
`

func TestParseWants(t *testing.T) {
	es, err := parseWants("p/p.go", []byte(wantSrc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, fmt.Sprintf("%s:%d %q", e.File, e.Line, e.Msgs))
	}
	want := []string{
		`p/p.go:4 ["response body must be closed"]`,
		`p/p.go:5 ["x" "y"]`,
		`p/p.go:7 ["next line"]`,
		`p/p.go:10 ["nested want"]`,
		`p/p.go:12 ["no space"]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("parseWants:\n got %q\nwant %q", got, want)
	}
}

const results = `# github.com/ryanrolds/sqlclosecheck/testdata/sqlx_examples
testdata/sqlx_examples/failure_generics.go:6:21: Rows/Stmt/NamedStmt was not closed
testdata/sqlx_examples/non_defer_close.go:30:12: Close should use defer
not a result line
`

func TestParseResultsAndMerge(t *testing.T) {
	rs := parseResults(results, "expected_results.txt")
	if len(rs) != 2 || rs[0].File != "testdata/sqlx_examples/failure_generics.go" || rs[0].Line != 6 ||
		rs[0].Msgs[0] != "Rows/Stmt/NamedStmt was not closed" || rs[1].Line != 30 || rs[1].Msgs[0] != "Close should use defer" {
		t.Fatalf("parseResults = %+v", rs)
	}
	// A want on a results line wins; the results line is not counted twice.
	es := mergeExpects(append(rs, Expect{File: rs[0].File, Line: 6, Msgs: []string{"rx"}, Source: "want"}))
	if len(es) != 2 || es[0].Source != "want" || es[1].Source != "expected_results.txt" {
		t.Errorf("mergeExpects = %+v", es)
	}
}

func TestMatch(t *testing.T) {
	exp := []Expect{
		{File: "a/a.go", Line: 4, Source: "want"},
		{File: "a/a.go", Line: 9, Source: "want"},
		{File: "b/b.go", Line: 4, Source: "want"},
	}
	fs := []Finding{
		{File: "a/a.go", Line: 4, Category: "body", Message: "m1"},
		{File: "a/a.go", Line: 4, Category: "defer-loop", Message: "m2"}, // a second finding on a found line is no extra
		{File: "a/a.go", Line: 10, Category: "body", Message: "near, but another line"},
		{File: "c/c.go", Line: 4, Category: "sql", Message: "m3"},
	}
	found, missed, extra := match(exp, fs)
	if len(found) != 1 || found[0].Line != 4 || found[0].File != "a/a.go" {
		t.Errorf("found = %+v", found)
	}
	if len(missed) != 2 || missed[0].Line != 9 || missed[1].File != "b/b.go" {
		t.Errorf("missed = %+v", missed)
	}
	if len(extra) != 2 || extra[0].Line != 10 || extra[1].File != "c/c.go" {
		t.Errorf("extra = %+v", extra)
	}
	if got := bySource(found, exp); got != "want 1/3" {
		t.Errorf("bySource = %q", got)
	}
}

func TestParseFindings(t *testing.T) {
	out := `{"findings": [
	{"check": "unclosed", "file": "a/a.go", "line": 53, "message": "response body  from http.Get\nis never closed", "category": "body"},
	{"check": "unclosed", "file": "/w/src/a/a.go", "line": 53, "message": "response body  from http.Get\nis never closed", "category": "body"},
	{"check": "sigstate", "file": "a/a.go", "line": 3, "message": "other check"}
], "errors": ["x: does not load"]}`
	fs, problems, err := parseFindings([]byte(out), "/w/src", "testdata/src")
	if err != nil {
		t.Fatal(err)
	}
	want := Finding{File: "testdata/src/a/a.go", Line: 53, Category: "body", Message: "response body from http.Get is never closed"}
	if len(fs) != 1 || fs[0] != want {
		t.Errorf("findings = %+v, want [%+v] (relative and absolute paths of one finding merge; other checks drop)", fs, want)
	}
	if len(problems) != 1 {
		t.Errorf("problems = %q", problems)
	}
}
