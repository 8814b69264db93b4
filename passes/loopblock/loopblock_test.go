package loopblock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/loopblock"
)

// Test runs every fixture with its suggested fixes: a package whose
// findings have fixes has a .golden file beside each input.
func Test(t *testing.T) {
	checktest.AllRules(t, loopblock.Analyzer)
	analysistest.RunWithSuggestedFixes(t, checktest.TestData(), loopblock.Analyzer,
		"loopblock/handler", "loopblock/loop", "loopblock/lock", "loopblock/crosspkg",
		"loopblock/mainpkg", "loopblock/fix",
		"loopblock/chansendhelper",
		"loopblock/chansendserve",
		"loopblock/chansendfetch",
		"loopblock/chansendreload",
		"loopblock/lockwait",
		"loopblock/limits",
		"loopblock/holdoutexit",
		"loopblock/holdoutbuffer",
		"loopblock/holdoutjoin",
		"loopblock/holdoutserve",
		"loopblock/chanparam",
		"loopblock/chanbuffer",
		"loopblock/chanotify",
		"loopblock/bounded",
		"loopblock/lockpaths",
		"loopblock/worker",
		"loopblock/callbacks",
		"loopblock/bus",
		"loopblock/bususer",
		"loopblock/selfjoin",
		"loopblock/workerx",
	)
}

// TestDefaults runs the fixture of the default rules: opt-in findings
// are silent unless turned on.
func TestDefaults(t *testing.T) {
	checktest.DefaultRules(t, loopblock.Analyzer, "loopblock/defaults")
}
