package unclosed_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/passes/internal/checktest"
	"github.com/asynclint/asynclint/passes/unclosed"
)

func Test(t *testing.T) {
	testdata := checktest.TestData()
	analysistest.Run(t, testdata, unclosed.Analyzer, "unclosed/httpok")
	analysistest.RunWithSuggestedFixes(t, testdata, unclosed.Analyzer, "unclosed/http")
}
