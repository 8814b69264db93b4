package sigstate_test

import (
	"go/constant"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/sigstate"
)

func Test(t *testing.T) {
	checktest.AllRules(t, sigstate.Analyzer)
	testdata := checktest.TestData()
	analysistest.Run(t, testdata, sigstate.Analyzer, "sigstate/notifyok", "sigstate/generated", "sigstate/race", "sigstate/copy", "sigstate/exit", "sigstate/unhandled", "sigstate/unwatched", "sigstate/odd", "sigstate/realworld", "sigstate/pkgshadow", "sigstate/copyflag", "sigstate/readrace", "sigstate/norecv", "sigstate/exitdefer")
	analysistest.RunWithSuggestedFixes(t, testdata, sigstate.Analyzer, "sigstate/notify", "sigstate/shadow", "sigstate/notifyctx")
}

// TestGOOS loads the goos fixture for each of the operating systems
// whose signal numbers differ: analysistest's go/packages passes the
// environment's GOOS on to go list, so syscall is type-checked for it,
// as the SIGSTOP value it saw shows.
func TestGOOS(t *testing.T) {
	sigstop := map[string]int64{"linux": 19, "darwin": 17, "freebsd": 17}
	for _, goos := range []string{"linux", "darwin", "freebsd"} {
		t.Run(goos, func(t *testing.T) {
			t.Setenv("GOOS", goos)
			t.Setenv("CGO_ENABLED", "0")
			results := analysistest.Run(t, checktest.TestData(), sigstate.Analyzer, "sigstate/goos")
			if len(results) != 1 {
				t.Fatalf("got %d results, want 1", len(results))
			}
			if got := sigstopValue(t, results[0].Pass.Pkg); got != sigstop[goos] {
				t.Fatalf("syscall.SIGSTOP = %d as loaded, want %d: the package was not loaded for %s", got, sigstop[goos], goos)
			}
		})
	}
}

// sigstopValue returns the value of syscall.SIGSTOP as pkg imports it.
func sigstopValue(t *testing.T, pkg *types.Package) int64 {
	for _, imp := range pkg.Imports() {
		if imp.Path() != "syscall" {
			continue
		}
		c, ok := imp.Scope().Lookup("SIGSTOP").(*types.Const)
		if !ok {
			t.Fatal("syscall has no constant SIGSTOP")
		}
		v, _ := constant.Int64Val(c.Val())
		return v
	}
	t.Fatalf("%s does not import syscall", pkg.Path())
	return 0
}
