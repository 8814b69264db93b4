package sigstate_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/passes/internal/checktest"
	"github.com/asynclint/asynclint/passes/sigstate"
)

func Test(t *testing.T) {
	checktest.AllRules(t, sigstate.Analyzer)
	testdata := checktest.TestData()
	analysistest.Run(t, testdata, sigstate.Analyzer, "sigstate/notifyok", "sigstate/generated", "sigstate/race", "sigstate/copy", "sigstate/exit", "sigstate/unhandled", "sigstate/unwatched", "sigstate/odd", "sigstate/realworld", "sigstate/pkgshadow", "sigstate/copyflag", "sigstate/readrace", "sigstate/norecv", "sigstate/exitdefer")
	analysistest.RunWithSuggestedFixes(t, testdata, sigstate.Analyzer, "sigstate/notify", "sigstate/shadow", "sigstate/notifyctx")
}
