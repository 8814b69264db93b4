package chanflow_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/passes/internal/chanflow"
	"github.com/asynclint/asynclint/passes/internal/checktest"
)

func Test(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), chanflow.Analyzer, "unjoined/lib")
}
