package main

import (
	"strings"
	"testing"
)

// TestInternalErrorExit checks that a recovered panic, which reaches the
// driver as a diagnostic of category internal-error, is printed with the
// other findings and makes the exit status 4.
func TestInternalErrorExit(t *testing.T) {
	vetOutput := `{
	"example.com/p": {
		"sigstate": [{"posn": "/m/p/p.go:1:1", "end": "/m/p/p.go:1:1", "category": "internal-error", "message": "internal error: check sigstate panicked on package example.com/p: boom (at passes/sigstate/sigstate.go:10)"}],
		"unclosed": [{"posn": "/m/p/p.go:7:2", "end": "/m/p/p.go:7:9", "message": "response body is not closed"}]
	}
}`
	res := new(results)
	if err := decodeVetJSON(strings.NewReader(vetOutput), res, &progress{}); err != nil {
		t.Fatal(err)
	}
	if len(res.findings) != 2 || res.internalErrors != 1 {
		t.Fatalf("findings %d, internal errors %d; want 2 and 1", len(res.findings), res.internalErrors)
	}
	if got := exitStatus(res); got != exitInternalError {
		t.Errorf("exit status %d, want %d", got, exitInternalError)
	}
}

func TestVetErrors(t *testing.T) {
	stderr := "# example.com/b\nb/b.go:2:24: cannot use \"s\"\n# example.com/c\nc/c.go:2:17: expected operand\nno required module provides package x; to add it:\n\tgo get x\n"
	got := vetErrors(stderr)
	want := []string{
		`example.com/b: b/b.go:2:24: cannot use "s"`,
		"example.com/c: c/c.go:2:17: expected operand",
		"example.com/c: no required module provides package x; to add it: go get x",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("vetErrors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
