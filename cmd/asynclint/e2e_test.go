package main_test

// End-to-end tests: build the asynclint binary once, then run it the
// ways users do (standalone, go vet -vettool, -f json/sarif, -checks,
// -fix, -baseline) on fixture modules copied from testdata/e2e into
// temporary directories.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var binary string // the asynclint built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "asynclint-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "asynclint")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building asynclint: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fixture copies testdata/e2e/<name> into a fresh directory.
func fixture(t *testing.T, name string) string {
	t.Helper()
	return copyTree(t, filepath.Join("..", "..", "testdata", "e2e", name))
}

// copyTree copies the directory src into a fresh directory.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs name with args in dir and returns what it printed and its
// exit status.
func run(t *testing.T, dir string, name string, args ...string) result {
	t.Helper()
	return runEnv(t, dir, nil, name, args...)
}

// runEnv is run with extra environment variables, which override the
// default (no workspace).
func runEnv(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

func asynclint(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return run(t, dir, binary, args...)
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

const (
	storeFinding  = "store/store.go:12:16: signal.Notify with unbuffered channel hup drops a signal that arrives while nobody receives: make it with capacity 1 (sigstate.unbuffered)"
	workerFinding = "worker/worker.go:13:16: signal.Notify with unbuffered channel sigs drops a signal that arrives while nobody receives: make it with capacity 1 (sigstate.unbuffered)"
	workerKill    = "worker/worker.go:13:39: os.Kill (SIGKILL) cannot be trapped: signal.Notify has no effect for it (did you mean syscall.SIGTERM?) (sigstate.untrappable)"
)

// Mode 1: standalone, text output, stable order, exit statuses.
func TestStandalone(t *testing.T) {
	dir := fixture(t, "service")
	r := asynclint(t, dir, "./...")
	wantCode(t, r, 1)
	want := storeFinding + "\n" + workerFinding + "\n" + workerKill + "\n"
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
	again := asynclint(t, dir, "./...")
	if again.stdout != r.stdout {
		t.Errorf("second run printed a different order:\n%s", again.stdout)
	}

	clean := asynclint(t, dir, "./clean")
	wantCode(t, clean, 0)
	if clean.stdout != "" {
		t.Errorf("clean package reported:\n%s", clean.stdout)
	}

	byPath := asynclint(t, dir, "example.com/service/store")
	wantCode(t, byPath, 1)
	if byPath.stdout != storeFinding+"\n" {
		t.Errorf("import path pattern: got\n%s", byPath.stdout)
	}
}

// Mode 2: go vet -vettool runs the unitchecker protocol.
func TestVetTool(t *testing.T) {
	dir := fixture(t, "service")
	r := run(t, dir, "go", "vet", "-vettool="+binary, "./...")
	if r.code == 0 {
		t.Fatalf("go vet -vettool exited 0 despite findings:\n%s", r.stderr)
	}
	for _, want := range []string{"store/store.go:12:16: signal.Notify with unbuffered channel hup", "worker/worker.go:13:39: os.Kill (SIGKILL) cannot be trapped"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, r.stderr)
		}
	}
	only := run(t, dir, "go", "vet", "-vettool="+binary, "-sigstate", "./clean")
	if only.code != 0 {
		t.Errorf("go vet on a clean package: exit %d\n%s", only.code, only.stderr)
	}
	v := run(t, dir, binary, "-V=full")
	if v.code != 0 || !strings.Contains(v.stdout, "asynclint version") {
		t.Errorf("-V=full: exit %d, %q", v.code, v.stdout)
	}
}

// Mode 3: JSON output.
func TestJSON(t *testing.T) {
	dir := fixture(t, "service")
	r := asynclint(t, dir, "-f", "json", "./...")
	wantCode(t, r, 1)
	var out struct {
		Findings []struct {
			Check, File, Message string
			Line, Column         int
			SuggestedFixes       []struct{ Message string } `json:"suggested_fixes"`
		}
		Errors []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	if len(out.Findings) != 3 || len(out.Errors) != 0 {
		t.Fatalf("got %d findings and errors %q, want 3 and none", len(out.Findings), out.Errors)
	}
	f := out.Findings[0]
	if f.Check != "sigstate" || !strings.HasSuffix(f.File, filepath.Join("store", "store.go")) || f.Line != 12 || f.Column != 16 {
		t.Errorf("first finding = %+v", f)
	}
	if len(f.SuggestedFixes) != 1 || f.SuggestedFixes[0].Message != "Give the channel capacity 1" {
		t.Errorf("first finding's fixes = %+v", f.SuggestedFixes)
	}
}

// Mode 4: -checks picks checks.
func TestChecksFlag(t *testing.T) {
	dir := fixture(t, "service")
	wantCode(t, asynclint(t, dir, "-checks=sigstate", "./..."), 1)
	wantCode(t, asynclint(t, dir, "-checks=all,-sigstate", "./..."), 0)
	wantCode(t, asynclint(t, dir, "-checks=loopblock,unclosed", "./..."), 0)
	bad := asynclint(t, dir, "-checks=nosuch", "./...")
	wantCode(t, bad, 2)
	if !strings.Contains(bad.stderr, `no check named "nosuch"`) {
		t.Errorf("stderr: %s", bad.stderr)
	}

	// Rules: -CHECK.RULE turns one off, and the driver passes the
	// selection to the vet tool as -sigstate.rules.
	noUnbuffered := asynclint(t, dir, "-checks=all,-sigstate.unbuffered", "./...")
	wantCode(t, noUnbuffered, 1)
	if noUnbuffered.stdout != workerKill+"\n" {
		t.Errorf("-checks=all,-sigstate.unbuffered printed:\n%s", noUnbuffered.stdout)
	}
	onlyKill := asynclint(t, dir, "-checks=sigstate.none,sigstate.untrappable", "./...")
	if onlyKill.stdout != workerKill+"\n" {
		t.Errorf("-checks=sigstate.none,sigstate.untrappable printed:\n%s", onlyKill.stdout)
	}
	viaVet := run(t, dir, "go", "vet", "-vettool="+binary, "-sigstate.rules=-unbuffered", "./...")
	if strings.Contains(viaVet.stderr, "unbuffered channel") || !strings.Contains(viaVet.stderr, "cannot be trapped") {
		t.Errorf("go vet -sigstate.rules=-unbuffered printed:\n%s", viaVet.stderr)
	}
	badRule := asynclint(t, dir, "-checks=sigstate.nosuch", "./...")
	wantCode(t, badRule, 2)
	if !strings.Contains(badRule.stderr, `sigstate has no rule named "nosuch"`) {
		t.Errorf("stderr: %s", badRule.stderr)
	}
}

// Mode 5: -fix applies the fixes, gofmt'd, and a second run is clean of
// the fixed findings.
func TestFix(t *testing.T) {
	dir := fixture(t, "service")
	file := filepath.Join(dir, "worker", "worker.go")
	if err := os.Chmod(file, 0o640); err != nil {
		t.Fatal(err)
	}
	r := asynclint(t, dir, "-fix", "./...")
	wantCode(t, r, 1) // os.Kill has no fix
	if r.stdout != workerKill+"\n" {
		t.Errorf("after -fix, still reported:\n%s", r.stdout)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "sigs := make(chan os.Signal, 1)\n") {
		t.Errorf("worker.go not fixed:\n%s", data)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o640 {
		t.Errorf("mode changed to %v", info.Mode().Perm())
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "worker", ".*asynclint*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
	again := asynclint(t, dir, "-fix", "./...")
	if again.stdout != workerKill+"\n" || strings.Contains(again.stderr, "applied") {
		t.Errorf("second -fix changed something: %s %s", again.stdout, again.stderr)
	}
}

func TestExplainAndList(t *testing.T) {
	dir := t.TempDir()
	list := asynclint(t, dir, "-list-checks")
	wantCode(t, list, 0)
	for _, name := range []string{"loopblock", "unclosed", "unjoined", "halfupdate", "sigstate"} {
		if !strings.Contains(list.stdout, name+" ") {
			t.Errorf("-list-checks lacks %s:\n%s", name, list.stdout)
		}
		ex := asynclint(t, dir, "-explain", name)
		wantCode(t, ex, 0)
		if !strings.Contains(ex.stdout, "https://github.com/asynclint/asynclint#"+name) || !strings.Contains(ex.stdout, "Available since") || !strings.Contains(ex.stdout, "\nRules ") {
			t.Errorf("-explain %s:\n%s", name, ex.stdout)
		}
	}
	wantCode(t, asynclint(t, dir, "-explain", "nosuch"), 2)
}

// Bad input: each gives a clear one-line error naming the package or
// path, exit 3, and the findings of the packages that loaded.
func TestBadInput(t *testing.T) {
	dir := fixture(t, "broken")
	if err := os.Mkdir(filepath.Join(dir, "nogo"), 0o755); err != nil {
		t.Fatal(err)
	}
	goodFinding := "good/good.go:12:16: signal.Notify with unbuffered channel hup"
	tests := []struct {
		name     string
		patterns []string
		stderr   string
		findings bool
	}{
		{"type error", []string{"./good", "./typeerr"}, `example.com/broken/typeerr: typeerr/typeerr.go:4:27: cannot use "three"`, true},
		{"syntax error", []string{"./good", "./syntaxerr"}, "example.com/broken/syntaxerr: syntaxerr/syntaxerr.go:4:22: expected", true},
		{"no Go files", []string{"./good", "./nogo"}, "./nogo: no Go files in", true},
		{"missing directory", []string{"./good", "./missing"}, "./missing: stat", true},
		{"pattern matching nothing", []string{"./good", "./nogo/..."}, `"./nogo/..." matched no packages`, true},
		{"whole module", []string{"./..."}, "example.com/broken/typeerr:", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := asynclint(t, dir, tt.patterns...)
			wantCode(t, r, 3)
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, r.stderr)
			}
			for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
				if !strings.HasPrefix(line, "asynclint: ") {
					t.Errorf("stderr line not a one-line asynclint error: %q", line)
				}
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
				t.Errorf("stack trace in output:\n%s", r.stderr)
			}
			if got := strings.Contains(r.stdout, goodFinding); got != tt.findings {
				t.Errorf("finding in the good package printed = %v, want %v:\n%s", got, tt.findings, r.stdout)
			}
		})
	}
}

// TestFactsAcrossPackages: app passes two responses to functions of
// another package; only a "closes its argument" fact exported while
// analysing lib tells the one that is released (lib.Drain) from the one
// that leaks (lib.Status). Both the standalone mode and go vet -vettool
// must carry the fact across.
func TestFactsAcrossPackages(t *testing.T) {
	dir := fixture(t, "facts")
	const leak = "app/app.go:23:15: response body from http.Get is never closed"
	r := asynclint(t, dir, "-checks=all,unclosed.body", "./...") // the body rule is opt-in
	wantCode(t, r, 1)
	if !strings.Contains(r.stdout, leak) || strings.Count(r.stdout, "(unclosed.") != 1 {
		t.Errorf("standalone: want exactly the leak in Peek, got:\n%s", r.stdout)
	}
	v := run(t, dir, "go", "vet", "-vettool="+binary, "-unclosed.rules=+body", "./...")
	if v.code == 0 || !strings.Contains(v.stderr, leak) || strings.Contains(v.stderr, "app.go:13") {
		t.Errorf("go vet -vettool: want exactly the leak in Peek (exit %d):\n%s", v.code, v.stderr)
	}
}

// TestFixExamples applies every suggested fix to the examples module:
// the result builds and is gofmt-clean, and a second -fix changes nothing.
func TestFixExamples(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "..", "examples"))
	// halfupdate.cleanup, the examples' finding with a fix, is opt-in.
	const rules = "-checks=all,halfupdate.cleanup"
	first := asynclint(t, dir, "-fix", rules, "./...")
	if !strings.Contains(first.stderr, "applied") {
		t.Fatalf("-fix applied nothing to examples/:\n%s", first.stderr)
	}
	if build := run(t, dir, "go", "build", "./..."); build.code != 0 {
		t.Fatalf("examples/ no longer builds after -fix:\n%s", build.stderr)
	}
	if gofmt := run(t, dir, "gofmt", "-l", "."); gofmt.stdout != "" {
		t.Errorf("gofmt -l after -fix:\n%s", gofmt.stdout)
	}
	second := asynclint(t, dir, "-fix", rules, "./...")
	if strings.Contains(second.stderr, "applied") {
		t.Errorf("a second -fix changed more:\n%s", second.stderr)
	}
	// A fix may uncover another finding, but from here on nothing moves.
	third := asynclint(t, dir, "-fix", rules, "./...")
	if strings.Contains(third.stderr, "applied") || third.stdout != second.stdout {
		t.Errorf("-fix is not idempotent:\nsecond:\n%s%s\nthird:\n%s%s", second.stdout, second.stderr, third.stdout, third.stderr)
	}
}
