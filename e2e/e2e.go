// Package e2e holds the helpers of asynclint's end-to-end tests of its
// integrations: golangci/ tests a custom golangci-lint binary with the
// module plugin, gopls/ drives gopls built with asynclint's analyzers as
// an LSP client. They build real binaries (minutes on a cold cache), so
// each runs only when its environment variable is set;
// scripts/e2e-golangci.sh and scripts/e2e-gopls.sh set it. hooks/ runs
// the GitHub Action (action.yml) and the pre-commit hooks
// (.pre-commit-hooks.yaml) on examples/; it always runs.
//
// This is a module of its own so that the LSP client the gopls test uses
// never becomes a dependency of asynclint's users (or of the golangci-lint
// and gopls binaries built with asynclint); the two tests are separate
// packages so that the golangci-lint one does not compile that client.
package e2e

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// RepoRoot returns the asynclint checkout the test runs in: the nearest
// directory above the working directory that holds passes/all.go.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "passes", "all.go")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("%s is not inside an asynclint checkout", dir)
		}
	}
}

// RequireEnv skips the test unless the environment variable env is "1".
func RequireEnv(t testing.TB, env, script, what string) {
	t.Helper()
	if os.Getenv(env) != "1" {
		t.Skipf("end-to-end test: builds %s (minutes on a cold cache); run it with %s=1 go test -run %s -timeout 30m ./... in e2e/, or with %s",
			what, env, t.Name(), script)
	}
}

// Binary returns the binary named by the environment variable env if it
// is set, else builds it with the asynclint build script into a temporary
// directory, logging how long the build took.
func Binary(t testing.TB, env, script, name string) string {
	t.Helper()
	if bin := os.Getenv(env); bin != "" {
		t.Logf("using %s=%s", env, bin)
		return bin
	}
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("bash", filepath.Join(RepoRoot(t), "scripts", script), "-o", out)
	start := time.Now()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/%s: %v\n%s", script, err, tail(string(b), 60))
	}
	t.Logf("scripts/%s built %s in %s", script, name, time.Since(start).Round(time.Second))
	return out
}

// CopyFixture copies the fixture module testdata/e2e/NAME to a fresh
// directory, so tools that write caches or edits never touch the checkout.
func CopyFixture(t testing.TB, name string) string {
	t.Helper()
	return CopyDir(t, filepath.Join(RepoRoot(t), "testdata", "e2e", name))
}

// CopyDir copies the directory src (a path in the checkout, such as
// examples/) to a fresh directory and returns it.
func CopyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// LineOf returns the 1-based number of the only line of text containing
// substr, so that tests name lines by their content, not by number.
func LineOf(t testing.TB, text, substr string) int {
	t.Helper()
	n := 0
	for i, line := range strings.Split(text, "\n") {
		if strings.Contains(line, substr) {
			if n != 0 {
				t.Fatalf("fixture has %q on lines %d and %d", substr, n, i+1)
			}
			n = i + 1
		}
	}
	if n == 0 {
		t.Fatalf("fixture has no line containing %q", substr)
	}
	return n
}

func tail(s string, lines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}
