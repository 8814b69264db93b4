package detach_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/mutation/detach"
)

func Test(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), detach.Analyzer, "halfupdate/lib", "halfupdate/internal/pool")
}
