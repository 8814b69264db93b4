package report_test

import (
	"go/ast"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
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

// ruledRules are the rules of ruled: "on" by default, "off" opt-in.
var ruledRules = report.NewRules(
	lintdoc.Rule{Name: "on", Title: "functions named On...", Default: true},
	lintdoc.Rule{Name: "off", Title: "functions named Off..."},
)

// ruled reports every function whose name starts with On or Off under
// the rule of that name, and one named Bogus... under a rule it lacks.
var ruled = &analysis.Analyzer{
	Name: "ruled",
	Doc:  "ruled reports functions under named rules, to test rule selection",
	Run: report.Guard(func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok {
					continue
				}
				for _, rule := range []string{"on", "off", "bogus"} {
					if strings.HasPrefix(strings.ToLower(fn.Name.Name), rule) {
						pass.Report(analysis.Diagnostic{Pos: fn.Pos(), Category: rule, Message: "rule " + rule})
					}
				}
			}
		}
		return nil, nil
	}),
}

func init() { ruledRules.AddFlag(ruled) }

// TestRules checks that Guard reports a finding only when its rule is
// selected, that an ignore directive covering an unselected rule's
// finding is not reported as stale, and that a finding of a rule the
// check does not declare is an internal error.
func TestRules(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), ruled, "report/rules", "report/unknownrule")
	if err := ruled.Flags.Set(report.RulesFlag, "all"); err != nil {
		t.Fatal(err)
	}
	defer ruled.Flags.Set(report.RulesFlag, "default")
	analysistest.Run(t, checktest.TestData(), ruled, "report/rulesall")
}
