package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
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
	open := applyFixes(fs, dir, false, io.Discard, &stderr)
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
	open := applyFixes(fs, dir, false, io.Discard, &stderr)
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

// TestFixAlternativesTakesNone: a finding with alternative fixes gets
// none of them, and stderr says so; a single fix beside it is applied.
func TestFixAlternativesTakesNone(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	src := "package a\n\nvar X = 1\nvar Y = 2\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	x, y := strings.Index(src, "1"), strings.Index(src, "2")
	alt := findingWithFix(file, 3, "one", textEdit{File: file, Start: x, End: x + 1, New: "10"})
	alt.Fixes = append(alt.Fixes, suggestedFix{Message: "Fix other", Edits: []textEdit{{File: file, Start: x, End: x + 1, New: "11"}}})
	fs := []finding{alt, findingWithFix(file, 4, "two", textEdit{File: file, Start: y, End: y + 1, New: "20"})}
	var stderr bytes.Buffer
	open := applyFixes(fs, dir, false, io.Discard, &stderr)
	if got, _ := os.ReadFile(file); string(got) != "package a\n\nvar X = 1\nvar Y = 20\n" {
		t.Errorf("fixed file:\n%s", got)
	}
	if len(open) != 1 || open[0].Message != "one" {
		t.Errorf("open findings: %+v", open)
	}
	if want := `a.go:3 offers 2 alternative fixes ("Fix one", "Fix other"); -fix takes none of them`; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
	}
}

// TestUnifiedDiff pins the format on a change with context on both
// sides, two hunks, and a file without a final newline.
func TestUnifiedDiff(t *testing.T) {
	var old, new []string
	for i := 1; i <= 20; i++ {
		old = append(old, fmt.Sprintf("line %d\n", i))
	}
	new = append(new, old...)
	new[2] = "line three\n"
	new = append(new[:15], append([]string{"inserted\n"}, new[15:]...)...)
	var b strings.Builder
	unifiedDiff(&b, "x/a.go", []byte(strings.Join(old, "")), []byte(strings.Join(new, "")))
	want := `--- a/x/a.go
+++ b/x/a.go
@@ -1,6 +1,6 @@
 line 1
 line 2
-line 3
+line three
 line 4
 line 5
 line 6
@@ -13,6 +13,7 @@
 line 13
 line 14
 line 15
+inserted
 line 16
 line 17
 line 18
`
	if b.String() != want {
		t.Errorf("diff:\n%s\nwant:\n%s", b.String(), want)
	}

	b.Reset()
	unifiedDiff(&b, "b.go", []byte("a\nb"), []byte("a\nc\n"))
	if want := "--- a/b.go\n+++ b/b.go\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"; b.String() != want {
		t.Errorf("diff without final newline:\n%q\nwant:\n%q", b.String(), want)
	}
	b.Reset()
	unifiedDiff(&b, "same.go", []byte("a\n"), []byte("a\n"))
	if b.String() != "" {
		t.Errorf("equal texts gave a diff: %q", b.String())
	}
}

// TestDiffLinesRebuilds: applying diffLines' operations to a gives b,
// over many small random texts.
func TestDiffLinesRebuilds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := func() []string {
		var lines []string
		for range rng.IntN(12) {
			lines = append(lines, string(rune('a'+rng.IntN(4)))+"\n")
		}
		return lines
	}
	for range 2000 {
		a, b := text(), text()
		var got []string
		at := 0
		for _, op := range diffLines(a, b) {
			if op.aStart < at {
				t.Fatalf("operations out of order for %q -> %q", a, b)
			}
			got = append(got, a[at:op.aStart]...)
			got = append(got, b[op.bStart:op.bEnd]...)
			at = op.aEnd
		}
		got = append(got, a[at:]...)
		if strings.Join(got, "") != strings.Join(b, "") {
			t.Fatalf("%q -> %q rebuilt as %q", a, b, got)
		}
	}
}
