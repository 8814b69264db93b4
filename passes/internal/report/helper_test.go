package report_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/report"
	"github.com/asynclint/asynclint/passes/loopblock"
)

// TestHelperPanic checks that under analysistest a panic of a helper
// analyzer (blocking, which loopblock Requires directly and through
// chanserve) reaches the check as its internal-error finding with the
// panic text, not as "failed prerequisites" or silence. cmd/asynclint's
// TestHelperPanic checks the standalone and go vet drivers.
func TestHelperPanic(t *testing.T) {
	defer report.SetPanicHelper("blocking")()
	analysistest.Run(t, checktest.TestData(), loopblock.Analyzer, "report/helperpanic")
}
