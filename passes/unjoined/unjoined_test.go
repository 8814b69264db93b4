package unjoined_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/unjoined"
)

func Test(t *testing.T) {
	checktest.AllRules(t, unjoined.Analyzer)
	testdata := checktest.TestData()
	analysistest.RunWithSuggestedFixes(t, testdata, unjoined.Analyzer, "unjoined/watcher")
	analysistest.Run(t, testdata, unjoined.Analyzer, "unjoined/fanin", "unjoined/pool", "unjoined/lifecycle", "unjoined/endless", "unjoined/waitgroup", "unjoined/errgroup", "unjoined/facts", "unjoined/negatives", "unjoined/mainpkg", "unjoined/kafkalookup", "unjoined/redismock", "unjoined/grpctests", "unjoined/oddshapes", "unjoined/natsserver", "unjoined/cancelreturn", "unjoined/joinclose", "unjoined/mainonce", "unjoined/testfatal", "unjoined/overcap", "unjoined/nopartner", "unjoined/waits", "unjoined/stalecond", "unjoined/sendexit", "unjoined/subscribers", "unjoined/dynamic", "unjoined/onceonly")
}

// TestDefaults runs the fixture of the default rules: opt-in findings
// are silent unless turned on.
func TestDefaults(t *testing.T) {
	checktest.DefaultRules(t, unjoined.Analyzer, "unjoined/defaults")
}
