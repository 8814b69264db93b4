package halfupdate_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/halfupdate"
)

func Test(t *testing.T) {
	checktest.AllRules(t, halfupdate.Analyzer)
	testdata := checktest.TestData()
	analysistest.Run(t, testdata, halfupdate.Analyzer, "halfupdate/split", "halfupdate/memory", "halfupdate/tx", "halfupdate/odd", "halfupdate/redis", "halfupdate/internal/sticky", "halfupdate/limits", "halfupdate/outerresult", "halfupdate/rederive", "halfupdate/exchange", "halfupdate/sentinel")
	analysistest.RunWithSuggestedFixes(t, testdata, halfupdate.Analyzer, "halfupdate/cleanup")
}

// TestDefaults runs the fixture of the default rules: opt-in findings
// are silent unless turned on.
func TestDefaults(t *testing.T) {
	checktest.DefaultRules(t, halfupdate.Analyzer, "halfupdate/defaults")
}
