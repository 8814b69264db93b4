package halfupdate

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/mutation/detach"
	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:     "halfupdate",
	Doc:      lintdoc.Compile(Doc),
	URL:      lintdoc.URL("halfupdate"),
	Requires: []*analysis.Analyzer{inspect.Analyzer, index.Analyzer, detach.Analyzer},
	Run:      report.Guard(run),
}

func init() { Rules.AddFlag(Analyzer) }

func run(pass *analysis.Pass) (any, error) {
	usesContext := code.Imports(pass, "context")
	if !usesContext && !code.Imports(pass, "database/sql") {
		return nil, nil // no cancellation point and no transaction here.
	}
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	detaches := report.HelperResult[*detach.Result](pass, detach.Analyzer)
	inStep := &stepIndex{pass: pass}
	for cur := range inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		if decl.Body == nil || code.IsTestFile(pass, decl) {
			continue // no body, or a test: tests set up state on purpose.
		}
		sc := newScope(pass, detaches, inStep, decl)
		for _, fn := range sc.funcs {
			if usesContext {
				checkSplitWrites(sc, fn)
				checkCleanups(sc, fn)
				checkMemory(sc, fn)
			}
			checkTxs(sc, fn)
		}
	}
	return nil, nil
}
