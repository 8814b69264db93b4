package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func findingWithFix(file string, line int, msg string, edits ...textEdit) finding {
	return finding{
		Check: "sigstate", Pos: position{File: file, Line: line, Col: 1}, Message: msg,
		Fixes: []suggestedFix{{Message: "Fix " + msg, Edits: edits}},
	}
}

// TestOverlappingFixes: of two fixes that overlap, the first wins and
// the second is reported and stays open; fixes elsewhere still apply.
func TestOverlappingFixes(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	src := "package a\n\nvar X = 1\nvar Y = 2\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	x := strings.Index(src, "1")
	y := strings.Index(src, "2")
	fs := []finding{
		findingWithFix(file, 3, "one", textEdit{File: file, Start: x, End: x + 1, New: "10"}),
		findingWithFix(file, 3, "overlapping", textEdit{File: file, Start: x, End: x + 1, New: "11"}),
		findingWithFix(file, 4, "two", textEdit{File: file, Start: y, End: y + 1, New: "20"}),
	}
	var stderr bytes.Buffer
	open := applyFixes(fs, dir, &stderr)
	got, _ := os.ReadFile(file)
	if want := "package a\n\nvar X = 10\nvar Y = 20\n"; string(got) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if len(open) != 1 || open[0].Message != "overlapping" {
		t.Errorf("open findings: %+v", open)
	}
	if !strings.Contains(stderr.String(), `skipped "Fix overlapping"`) {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestFixVanishedAndInvalid: a file that vanished, and a fix that would
// leave invalid Go, give clear errors and leave their files alone,
// while another file is still fixed.
func TestFixVanishedAndInvalid(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.go")
	bad := filepath.Join(dir, "bad.go")
	gone := filepath.Join(dir, "gone.go")
	os.WriteFile(good, []byte("package a\nvar G = 1\n"), 0o644)
	os.WriteFile(bad, []byte("package a\nvar B = 1\n"), 0o644)
	fs := []finding{
		findingWithFix(gone, 1, "vanished", textEdit{File: gone, Start: 0, End: 0, New: "x"}),
		findingWithFix(bad, 2, "invalid", textEdit{File: bad, Start: 18, End: 19, New: "}}"}),
		findingWithFix(good, 2, "fine", textEdit{File: good, Start: 18, End: 19, New: "2"}),
	}
	var stderr bytes.Buffer
	open := applyFixes(fs, dir, &stderr)
	if data, _ := os.ReadFile(good); string(data) != "package a\n\nvar G = 2\n" {
		t.Errorf("good.go = %q", data)
	}
	if data, _ := os.ReadFile(bad); string(data) != "package a\nvar B = 1\n" {
		t.Errorf("bad.go was changed: %q", data)
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("gone.go was created")
	}
	if len(open) != 2 {
		t.Errorf("open findings %d, want 2 (vanished, invalid)", len(open))
	}
	for _, want := range []string{"gone.go: ", "bad.go: the fixed text would not be valid Go"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}
