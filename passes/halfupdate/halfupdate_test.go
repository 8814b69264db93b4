package halfupdate_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/halfupdate"
)

func Test(t *testing.T) {
	testdata := checktest.TestData()
	analysistest.Run(t, testdata, halfupdate.Analyzer, "halfupdate/split", "halfupdate/memory", "halfupdate/tx", "halfupdate/odd", "halfupdate/redis", "halfupdate/internal/sticky", "halfupdate/limits")
	analysistest.RunWithSuggestedFixes(t, testdata, halfupdate.Analyzer, "halfupdate/cleanup")
}
