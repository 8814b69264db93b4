package report_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// panicky crashes on any package declaring a function named Trigger.
var panicky = &analysis.Analyzer{
	Name: "panicky",
	Doc:  "panicky panics, to test that report.Guard recovers",
	Run: report.Guard(func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "Trigger" {
					panic("boom on Trigger")
				}
			}
		}
		return nil, nil
	}),
}

// TestGuardRecoversPanic checks that a panic in a check becomes one
// internal-error diagnostic naming the check, the package and the place.
func TestGuardRecoversPanic(t *testing.T) {
	results := analysistest.Run(t, checktest.TestData(), panicky, "report/panics")
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if d.Category != report.InternalErrorCategory {
				t.Errorf("category = %q, want %q", d.Category, report.InternalErrorCategory)
			}
		}
	}
}
