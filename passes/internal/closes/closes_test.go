package closes_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/closes"
)

func Test(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), closes.Analyzer, "unclosed/lib")
}
