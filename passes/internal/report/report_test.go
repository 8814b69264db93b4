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

// named returns an analyzer called name that reports every call of a
// function named finding, through report.Guard.
func named(name string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: name,
		Doc:  "reports every call of finding",
		Run: report.Guard(func(pass *analysis.Pass) (any, error) {
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok {
						if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "finding" {
							pass.Reportf(call.Pos(), "%s finding", name)
						}
					}
					return true
				})
			}
			return nil, nil
		}),
	}
}

// TestUnknownCheckInDirective: a directive naming a check that does not
// exist is not applied and is reported once, by the check whose name is
// nearest, like a directive without a reason.
func TestUnknownCheckInDirective(t *testing.T) {
	const src = `package p

func finding() {}

func f() {
	finding() //asynclint:ignore loopblok the misspelt name silences nothing
	finding() //asynclint:ignore loopblock,nosuch a known and an unknown name
	finding() //asynclint:ignore sigstate a well-formed directive
}
`
	diags, err := checktest.RunSource(src, []*analysis.Analyzer{named("loopblock"), named("unclosed"), named("sigstate")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.Message)
	}
	want := map[string]int{
		`this //asynclint: directive names no check "loopblok" (did you mean loopblock?); it is not applied`:         1,
		`this //asynclint: directive names no check "nosuch" (asynclint -list-checks lists them); it is not applied`: 1,
		"loopblock finding": 3, // the directives naming an unknown check silence nothing
		"unclosed finding":  3,
		"sigstate finding":  2, // the last line's is silenced
	}
	count := make(map[string]int)
	for _, m := range got {
		count[m]++
	}
	for m, n := range want {
		if count[m] != n {
			t.Errorf("%d × %q, want %d; all diagnostics:\n%q", count[m], m, n, got)
		}
	}
	if len(got) != 10 {
		t.Errorf("%d diagnostics, want 10:\n%q", len(got), got)
	}
}
