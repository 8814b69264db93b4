package benchutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestTouchKeepsLineCount(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.go")
	b := filepath.Join(dir, "b.go")
	if err := os.WriteFile(a, []byte("package p\n\nfunc F() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("package p\n\n// no final newline"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs := []Package{{"p", dir, []string{a, b}}, {"q", dir, []string{b}}}
	before, err := CountLines(pkgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, stamp := range []string{"1", "2"} {
		if err := Touch(pkgs, stamp); err != nil {
			t.Fatal(err)
		}
	}
	after, err := CountLines(pkgs)
	if err != nil {
		t.Fatal(err)
	}
	if before != 9 || after != before {
		t.Errorf("lines: %d before touching, %d after; want 9 both times", before, after)
	}
	data, _ := os.ReadFile(b)
	if want := "package p\n\n// no final newline\n// asynclint bench 1\n// asynclint bench 2\n"; string(data) != want {
		t.Errorf("b.go = %q, want %q", data, want)
	}
}

func TestReadListAndSelect(t *testing.T) {
	file := filepath.Join(t.TempDir(), "mods.txt")
	text := "# comment\ngithub.com/a/b v1.2.3   a note here\n\nexample.com/c v0.1.0 # trailing\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	mods, err := ReadList(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 2 || mods[0].String() != "github.com/a/b@v1.2.3" || mods[0].Note != "a note here" || mods[1].Path != "example.com/c" {
		t.Fatalf("ReadList = %+v", mods)
	}
	if got := Select(mods, "example,zzz"); len(got) != 1 || got[0].Path != "example.com/c" {
		t.Errorf("Select = %+v", got)
	}
	if err := os.WriteFile(file, []byte("github.com/a/b latest\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadList(file); err == nil {
		t.Error("ReadList accepted a line without a pinned version")
	}
}
