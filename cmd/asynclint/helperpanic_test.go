package main_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelperPanic checks the helper contract end to end: a helper
// analyzer that panics (here assigns, which sigstate and unjoined
// Require) turns into an internal-error finding of each check that
// needed it, naming the helper, the check and the package, instead of
// silently turning the checks off. The panic is injected by a binary
// built with the test-only tag asynclint_testhook.
func TestHelperPanic(t *testing.T) {
	hooked := filepath.Join(t.TempDir(), "asynclint-hooked")
	build := exec.Command("go", "build", "-tags", "asynclint_testhook", "-o", hooked, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building asynclint with the test hook: %v\n%s", err, out)
	}
	env := []string{"ASYNCLINT_TEST_PANIC_HELPER=assigns"}
	const want = "internal error: helper assigns failed on package example.com/service/store, so check sigstate did not run: panic: injected panic in helper assigns (at passes/internal/report/inject.go:"

	t.Run("standalone", func(t *testing.T) {
		dir := fixture(t, "service")
		r := runEnv(t, dir, env, hooked, "./...")
		wantCode(t, r, 4)
		if !strings.Contains(r.stdout, "store/store.go:2:1: "+want) {
			t.Errorf("stdout lacks the internal error of sigstate on store:\n%s", r.stdout)
		}
		if strings.Contains(r.stdout, "signal.Notify with unbuffered channel") {
			t.Errorf("sigstate ran although its helper failed:\n%s", r.stdout)
		}
		if !strings.Contains(r.stdout, "check unjoined did not run") {
			t.Errorf("stdout lacks the internal error of unjoined, which needs assigns too:\n%s", r.stdout)
		}
	})
	t.Run("vettool", func(t *testing.T) {
		dir := fixture(t, "service")
		r := runEnv(t, dir, env, "go", "vet", "-vettool="+hooked, "./...")
		// The go command sets go vet's exit status itself: 1 for any
		// finding. The standalone driver maps the category to 4.
		if r.code == 0 {
			t.Fatalf("go vet -vettool exited 0 although a helper panicked:\n%s", r.stderr)
		}
		if !strings.Contains(r.stderr, "store/store.go:2:1: "+want) {
			t.Errorf("go vet output lacks the internal error of sigstate on store:\n%s", r.stderr)
		}
		j := runEnv(t, dir, env, "go", "vet", "-vettool="+hooked, "-json", "./store")
		if !strings.Contains(j.stderr+j.stdout, `"category": "internal-error"`) || !strings.Contains(j.stderr+j.stdout, "helper assigns failed") {
			t.Errorf("go vet -json lacks an internal-error finding for the helper:\n%s%s", j.stdout, j.stderr)
		}
	})
}
