package main_test

// End-to-end tests of the command line a Go developer expects from a
// linter: the per-check flags go vet accepts, file arguments, -tests,
// -v, and usage errors printed once.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const (
	notifyFinding     = "notify/notify.go:13:16: signal.Notify with unbuffered channel c drops a signal"
	notifyTestFinding = "notify/notify_test.go:11:16: signal.Notify with unbuffered channel c drops a signal"
	leaseFinding      = "pool/pool.go:16:12: Lease from p.Acquire is not released when !ok"
	leaseOption       = "-unclosed.resources=example.com/options/pool.Lease:Release"
	daemonFinding     = "daemon/daemon.go:13:16: signal.Notify with unbuffered channel hup drops a signal"
)

// checksOf returns the check names that end the text output's finding
// lines ("(check)" or "(check.rule)"), in order.
func checksOf(stdout string) []string {
	var checks []string
	for _, m := range regexp.MustCompile(`(?m)^\S.* \((\w+)(?:\.[\w-]+)?\)$`).FindAllStringSubmatch(stdout, -1) {
		checks = append(checks, m[1])
	}
	return checks
}

// TestCheckOptions: an analyzer option works standalone as under go vet,
// and so do go vet's -CHECK enable flags.
func TestCheckOptions(t *testing.T) {
	dir := fixture(t, "options")
	plain := asynclint(t, dir, "./...")
	wantCode(t, plain, 1)
	if strings.Contains(plain.stdout, leaseFinding) {
		t.Errorf("the lease is reported without the option:\n%s", plain.stdout)
	}
	with := asynclint(t, dir, leaseOption, "./...")
	wantCode(t, with, 1)
	if !strings.Contains(with.stdout, leaseFinding) {
		t.Errorf("%s: the lease is not reported:\n%s%s", leaseOption, with.stdout, with.stderr)
	}
	vet := run(t, dir, "go", "vet", "-vettool="+binary, leaseOption, "./pool")
	if !strings.Contains(vet.stderr, leaseFinding) {
		t.Errorf("go vet %s does not report the lease either:\n%s", leaseOption, vet.stderr)
	}

	only := asynclint(t, dir, "-unclosed", leaseOption, "./...")
	wantCode(t, only, 1)
	if got := checksOf(only.stdout); strings.Join(got, ",") != "unclosed" {
		t.Errorf("-unclosed: reported checks %v, want only unclosed:\n%s", got, only.stdout)
	}
	without := asynclint(t, dir, "-sigstate=false", "./...")
	wantCode(t, without, 0)
	both := asynclint(t, dir, "-checks=unclosed,sigstate", "-sigstate=false", leaseOption, "./...")
	if got := checksOf(both.stdout); strings.Join(got, ",") != "unclosed" {
		t.Errorf("-checks=unclosed,sigstate -sigstate=false: reported checks %v", got)
	}

	bad := asynclint(t, dir, "-unclosed.resources=nodot", "./...")
	wantCode(t, bad, 2)
	if !strings.Contains(bad.stderr, `invalid value "nodot" for flag -unclosed.resources`) {
		t.Errorf("bad option value: stderr %q", bad.stderr)
	}
}

// TestUsageErrorOnce: a usage error is one line on stderr, not the
// message twice around the whole usage text; -help prints the usage.
func TestUsageErrorOnce(t *testing.T) {
	dir := fixture(t, "options")
	for _, args := range [][]string{{"-nosuch", "./..."}, {"-unclosed.resources=nodot"}, {"-f", "xml"}} {
		r := asynclint(t, dir, args...)
		wantCode(t, r, 2)
		if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "asynclint: ") {
			t.Errorf("asynclint %s: stderr is not one line:\n%s", strings.Join(args, " "), r.stderr)
		}
	}
	help := asynclint(t, dir, "-help")
	wantCode(t, help, 0)
	for _, want := range []string{"Usage:", "-unclosed.resources", "-loopblock", "-tests", "-diff"} {
		if !strings.Contains(help.stderr, want) {
			t.Errorf("-help lacks %q:\n%s", want, help.stderr)
		}
	}
}

// TestExamplesLoopblockComment runs the command examples/loopblock's
// package comment suggests.
func TestExamplesLoopblockComment(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "loopblock", "webhooks.go"))
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "asynclint -loopblock ./..."
	if !strings.Contains(string(src), "`"+cmd+"`") {
		t.Fatalf("examples/loopblock no longer suggests %q; update this test with it", cmd)
	}
	r := asynclint(t, copyTree(t, filepath.Join("..", "..", "examples")), strings.Fields(cmd)[1:]...)
	wantCode(t, r, 1)
	got := checksOf(r.stdout)
	if len(got) == 0 {
		t.Fatalf("%s reported nothing:\n%s", cmd, r.stderr)
	}
	for _, c := range got {
		if c != "loopblock" {
			t.Errorf("%s reported a %s finding:\n%s", cmd, c, r.stdout)
		}
	}
}

// TestFileArguments: files are analysed as go vet analyses them (the
// named files form the package), and files of several packages can be
// named at once, as pre-commit hooks do.
func TestFileArguments(t *testing.T) {
	dir := fixture(t, "options")
	one := asynclint(t, dir, "notify/notify.go")
	wantCode(t, one, 1)
	if !strings.HasPrefix(one.stdout, notifyFinding) || strings.Count(one.stdout, "\n") != 1 {
		t.Errorf("asynclint notify/notify.go:\n%s%s", one.stdout, one.stderr)
	}
	vet := run(t, dir, "go", "vet", "-vettool="+binary, "notify/notify.go")
	if !strings.Contains(vet.stderr, notifyFinding) {
		t.Errorf("go vet notify/notify.go disagrees:\n%s", vet.stderr)
	}
	clean := asynclint(t, dir, "notify/helper.go")
	wantCode(t, clean, 0)

	several := asynclint(t, dir, "notify/helper.go", "daemon/daemon.go", "notify/notify.go")
	wantCode(t, several, 1)
	if !strings.Contains(several.stdout, notifyFinding) || !strings.Contains(several.stdout, daemonFinding) {
		t.Errorf("files of two packages:\n%s%s", several.stdout, several.stderr)
	}

	missing := asynclint(t, dir, "notify/notify.go", "notify/nosuch.go")
	wantCode(t, missing, 3)
	if !strings.Contains(missing.stderr, "asynclint: notify/notify.go notify/nosuch.go: stat notify/nosuch.go: no such file") || strings.Count(strings.TrimSpace(missing.stderr), "\n") != 0 {
		t.Errorf("a missing file: stderr\n%s", missing.stderr)
	}
}

// TestTestsFlag: -tests=false leaves out findings in test files.
func TestTestsFlag(t *testing.T) {
	dir := fixture(t, "options")
	all := asynclint(t, dir, "./...")
	if !strings.Contains(all.stdout, notifyTestFinding) {
		t.Fatalf("the finding in the test file is not reported by default:\n%s", all.stdout)
	}
	noTests := asynclint(t, dir, "-tests=false", "./...")
	wantCode(t, noTests, 1)
	if strings.Contains(noTests.stdout, notifyTestFinding) || !strings.Contains(noTests.stdout, notifyFinding) {
		t.Errorf("-tests=false:\n%s", noTests.stdout)
	}
}

// TestVerbose: -v prints one progress line per package on stderr and
// leaves stdout as it was.
func TestVerbose(t *testing.T) {
	dir := fixture(t, "options")
	quiet := asynclint(t, dir, "./...")
	v := asynclint(t, dir, "-v", "./...")
	wantCode(t, v, 1)
	if v.stdout != quiet.stdout {
		t.Errorf("-v changed stdout:\n%s\nwant:\n%s", v.stdout, quiet.stdout)
	}
	if quiet.stderr != "" {
		t.Errorf("without -v, stderr: %s", quiet.stderr)
	}
	// One line per block of go vet's output; test variants can add
	// blocks, so the count of lines is not fixed, only the last line.
	lines := strings.Split(strings.TrimSpace(v.stderr), "\n")
	progressLine := regexp.MustCompile(`^asynclint: analysed \d+ of 3 packages, \d+ findings so far$`)
	for _, l := range lines {
		if !progressLine.MatchString(l) {
			t.Errorf("-v printed %q, not a progress line", l)
		}
	}
	if len(lines) < 3 || lines[len(lines)-1] != "asynclint: analysed 3 of 3 packages, 3 findings so far" {
		t.Errorf("-v progress:\n%s", v.stderr)
	}
}

// TestDirectiveUnknownCheck: a misspelt check name in a directive is
// reported, and the finding it meant to silence is still printed.
func TestDirectiveUnknownCheck(t *testing.T) {
	dir := fixture(t, "service")
	file := filepath.Join(dir, "store", "store.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const notify = "\tsignal.Notify(hup, os.Interrupt)\n"
	fixed := strings.Replace(string(src), notify, "\t//asynclint:ignore sigstat nobody sends SIGHUP here\n"+notify, 1)
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	r := asynclint(t, dir, "./store")
	wantCode(t, r, 1)
	want := "store/store.go:12:2: this //asynclint: directive names no check \"sigstat\" (did you mean sigstate?); it is not applied (sigstate)\n" +
		"store/store.go:13:16: signal.Notify with unbuffered channel hup"
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("stdout:\n%s\nwant it to start:\n%s", r.stdout, want)
	}
}

// TestDiff: -diff prints what -fix would change as a unified diff and
// writes nothing; the patch, applied, gives what -fix writes. A finding
// with alternative fixes gets none, and stderr says so.
func TestDiff(t *testing.T) {
	examples := filepath.Join("..", "..", "examples")
	dir := copyTree(t, examples)
	before := readTree(t, dir)
	// unjoined.blocked-send, whose finding offers two alternative fixes, and
	// halfupdate.cleanup, whose fix detaches a context, are opt-in.
	r := asynclint(t, dir, "-diff", "-checks=all,unjoined.blocked-send,halfupdate.cleanup", "./...")
	wantCode(t, r, 1)
	if !strings.HasPrefix(r.stdout, "--- a/") || !strings.Contains(r.stdout, "\n@@ -") {
		t.Fatalf("-diff printed no unified diff:\n%s", r.stdout)
	}
	if after := readTree(t, dir); !equalTrees(before, after) {
		t.Errorf("-diff changed files")
	}
	if !strings.Contains(r.stderr, "offers 2 alternative fixes") {
		t.Errorf("-diff does not name the finding with alternative fixes:\n%s", r.stderr)
	}

	fixed := copyTree(t, examples)
	asynclint(t, fixed, "-fix", "-checks=all,unjoined.blocked-send,halfupdate.cleanup", "./...")
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git to apply the patch with")
	}
	patch := filepath.Join(t.TempDir(), "fix.patch")
	if err := os.WriteFile(patch, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	if apply := run(t, dir, "git", "apply", "--unsafe-paths", "--directory=.", patch); apply.code != 0 {
		t.Fatalf("git apply: %s", apply.stderr)
	}
	if !equalTrees(readTree(t, dir), readTree(t, fixed)) {
		t.Errorf("the -diff patch, applied, differs from what -fix writes")
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestExplainClaimsNoRelease: asynclint has no published release, so
// -explain must not say a check is available since a version number.
func TestExplainClaimsNoRelease(t *testing.T) {
	version := regexp.MustCompile(`Available since\n\s*v\d`)
	for _, name := range []string{"loopblock", "unclosed", "unjoined", "halfupdate", "sigstate"} {
		ex := asynclint(t, t.TempDir(), "-explain", name)
		wantCode(t, ex, 0)
		if version.MatchString(ex.stdout) || !strings.Contains(ex.stdout, "Available since\n    the first release") {
			t.Errorf("-explain %s claims a release:\n%s", name, ex.stdout)
		}
	}
}

// TestNoGoCommand: without the go command on PATH, asynclint says so in
// one line and exits 2.
func TestNoGoCommand(t *testing.T) {
	dir := fixture(t, "service")
	r := runEnv(t, dir, []string{"PATH=" + t.TempDir()}, binary, "./...")
	wantCode(t, r, 2)
	want := "asynclint: the go command is not on PATH: asynclint runs go list and go vet underneath, so it needs Go installed (https://go.dev/dl)\n"
	if r.stderr != want || r.stdout != "" {
		t.Errorf("stdout %q, stderr %q; want stderr %q", r.stdout, r.stderr, want)
	}
}

// TestFixQualityExamples is the fix quality rule on examples/, as a user
// runs it: after asynclint -fix, no line a fix changed has a finding of
// a check whose fix was applied in that file.
func TestFixQualityExamples(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "..", "examples"))
	type jsonFindings struct {
		Findings []struct {
			Check, File    string
			Line           int
			SuggestedFixes []struct{ Message string } `json:"suggested_fixes"`
		}
	}
	var before jsonFindings
	// halfupdate.cleanup, the examples' finding with a fix, is opt-in.
	const rules = "-checks=all,halfupdate.cleanup"
	if err := json.Unmarshal([]byte(asynclint(t, dir, "-f", "json", rules, "./...").stdout), &before); err != nil {
		t.Fatal(err)
	}
	fixedChecks := make(map[string]map[string]bool) // file -> checks whose single fix -fix applies
	for _, f := range before.Findings {
		if len(f.SuggestedFixes) == 1 {
			if fixedChecks[f.File] == nil {
				fixedChecks[f.File] = make(map[string]bool)
			}
			fixedChecks[f.File][f.Check] = true
		}
	}
	changed := addedLines(asynclint(t, dir, "-diff", rules, "./...").stdout)
	if len(changed) == 0 {
		t.Fatal("-diff shows no change to examples/")
	}
	if r := asynclint(t, dir, "-fix", rules, "./..."); !strings.Contains(r.stderr, "applied") {
		t.Fatalf("-fix applied nothing:\n%s", r.stderr)
	}
	var after jsonFindings
	if err := json.Unmarshal([]byte(asynclint(t, dir, "-f", "json", rules, "./...").stdout), &after); err != nil {
		t.Fatal(err)
	}
	for _, f := range after.Findings {
		if changed[f.File][f.Line] && fixedChecks[f.File][f.Check] {
			t.Errorf("%s:%d, changed by a %s fix, has a %s finding after -fix", f.File, f.Line, f.Check, f.Check)
		}
	}
}

// addedLines reads a unified diff and returns, per file, the new file's
// line numbers of the lines it adds.
func addedLines(diff string) map[string]map[int]bool {
	out := make(map[string]map[int]bool)
	hunk := regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@`)
	var file string
	line := 0
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++ b/"):
			file = strings.TrimPrefix(l, "+++ b/")
			out[file] = make(map[int]bool)
		case strings.HasPrefix(l, "--- "):
		case hunk.MatchString(l):
			line, _ = strconv.Atoi(hunk.FindStringSubmatch(l)[1])
		case strings.HasPrefix(l, "+"):
			out[file][line] = true
			line++
		case strings.HasPrefix(l, " "):
			line++
		}
	}
	return out
}
