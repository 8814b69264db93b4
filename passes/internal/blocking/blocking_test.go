package blocking_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/checktest"
)

// Test checks the MayBlock facts of the loopblock checks' dependency
// fixture; the checks' own tests cover the Result.
func Test(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), blocking.Analyzer, "loopblock/lib")
}
