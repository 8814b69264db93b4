package assigns_test

import (
	"go/ast"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/assigns"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// probe reports, for each local variable, its initial value and, for
// each call, its assignment target, so the fixture can check both.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "report what assigns knows",
	Requires: []*analysis.Analyzer{assigns.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ix := report.HelperResult[*assigns.Index](pass, assigns.Analyzer)
		for id, obj := range pass.TypesInfo.Defs {
			if v, ok := obj.(*types.Var); ok && !v.IsField() && v.Parent() != pass.Pkg.Scope() {
				if init := ix.InitialValue(obj); init != nil {
					pass.Reportf(id.Pos(), "%s = %s", id.Name, types.ExprString(init))
				}
			}
		}
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if c, ok := ix.CallAt(call.Lparen); ok && c.Target != nil && c.Expr == call {
						pass.Reportf(call.Lparen, "assigned to %s", types.ExprString(c.Target))
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func Test(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), probe, "assigns/a")
}
