package loopblock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/passes/internal/checktest"
	"github.com/asynclint/asynclint/passes/loopblock"
)

func Test(t *testing.T) {
	testdata := checktest.TestData()
	analysistest.Run(t, testdata, loopblock.Analyzer,
		"loopblock/handler", "loopblock/loop", "loopblock/lock", "loopblock/crosspkg", "loopblock/mainpkg")
	analysistest.RunWithSuggestedFixes(t, testdata, loopblock.Analyzer, "loopblock/fix")
}
