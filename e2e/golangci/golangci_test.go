package golangci_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/asynclint/asynclint/e2e"
)

// TestGolangciLint builds golangci-lint v2 with asynclint's module plugin
// (scripts/build-golangci-lint.sh, the steps of `golangci-lint custom`
// from the module proxy) and lints testdata/e2e/golangci with it.
//
// ASYNCLINT_GCL_BIN names an already built binary to use instead.
func TestGolangciLint(t *testing.T) {
	e2e.RequireEnv(t, "ASYNCLINT_E2E_GOLANGCI", "scripts/e2e-golangci.sh", "a custom golangci-lint")
	bin := e2e.Binary(t, "ASYNCLINT_GCL_BIN", "build-golangci-lint.sh", "custom-gcl")

	t.Run("findings", func(t *testing.T) {
		dir := e2e.CopyFixture(t, "golangci")
		src, err := os.ReadFile(filepath.Join(dir, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		out, code := runGolangci(t, bin, dir)
		if code != 1 {
			t.Fatalf("golangci-lint exited with %d, want 1 (issues found); output:\n%s", code, out)
		}
		// golangci-lint's text format: file:line:col: text (linter).
		for _, want := range []struct{ line, text string }{
			{"signal.Notify(stop, syscall.SIGTERM)", `sigstate: signal.Notify with unbuffered channel stop drops a signal`},
			{"signal.Notify(hup, syscall.SIGHUP, os.Kill)", `sigstate: os.Kill \(SIGKILL\) cannot be trapped`},
		} {
			n := e2e.LineOf(t, string(src), want.line)
			rx := regexp.MustCompile(fmt.Sprintf(`(?m)^main\.go:%d:\d+: %s.*\(asynclint\)$`, n, want.text))
			if !rx.MatchString(out) {
				t.Errorf("no asynclint finding on main.go:%d matching %q; output:\n%s", n, want.text, out)
			}
		}
		for _, directive := range []string{"//nolint:asynclint", "//asynclint:ignore sigstate"} {
			n := e2e.LineOf(t, string(src), directive)
			if strings.Contains(out, fmt.Sprintf("main.go:%d:", n)) {
				t.Errorf("%s on main.go:%d did not silence the finding; output:\n%s", directive, n, out)
			}
		}
		if n := strings.Count(out, "(asynclint)"); n != 2 {
			t.Errorf("got %d asynclint findings, want 2; output:\n%s", n, out)
		}
	})

	// Without their directives, the silenced lines do report: the
	// "findings" subtest's silence is the directives' doing.
	t.Run("without-directives", func(t *testing.T) {
		dir := e2e.CopyFixture(t, "golangci")
		file := filepath.Join(dir, "main.go")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		stripped := regexp.MustCompile(`//(nolint:asynclint|asynclint:ignore sigstate).*`).ReplaceAllString(string(src), "")
		if err := os.WriteFile(file, []byte(stripped), 0o644); err != nil {
			t.Fatal(err)
		}
		out, _ := runGolangci(t, bin, dir)
		for _, line := range []string{"signal.Notify(quiet, os.Interrupt)", "signal.Notify(polled, os.Interrupt)"} {
			n := e2e.LineOf(t, string(src), line)
			if !strings.Contains(out, fmt.Sprintf("main.go:%d:16: sigstate: signal.Notify with unbuffered channel", n)) {
				t.Errorf("main.go:%d does not report once its directive is gone; output:\n%s", n, out)
			}
		}
	})

	t.Run("unknown-setting", func(t *testing.T) {
		dir := e2e.CopyFixture(t, "golangci")
		cfg := filepath.Join(dir, ".golangci.yml")
		b, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		bad := strings.Replace(string(b), "checks: [sigstate]", "checks: [sigstate]\n          chekcs: [unclosed]", 1)
		if bad == string(b) {
			t.Fatal("fixture .golangci.yml has no `checks: [sigstate]` line to follow")
		}
		if err := os.WriteFile(cfg, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		out, code := runGolangci(t, bin, dir)
		if code == 0 || code == 1 {
			t.Errorf("golangci-lint exited with %d on an unknown setting, want a failure status", code)
		}
		if !strings.Contains(out, `unknown setting "chekcs"`) {
			t.Errorf("output does not name the unknown setting:\n%s", out)
		}
	})
}

// runGolangci runs `golangci-lint run ./...` in dir with a private cache
// and returns its combined output and exit status.
func runGolangci(t *testing.T, bin, dir string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, "run", "--color=never", "--show-stats=false", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir(), "GOWORK=off")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	t.Logf("golangci-lint run took %s", time.Since(start).Round(10*time.Millisecond))
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return buf.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("running %s: %v", bin, err)
	}
	return buf.String(), 0
}
