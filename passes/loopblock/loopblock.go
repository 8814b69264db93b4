package loopblock

import (
	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name: "loopblock",
	Doc:  lintdoc.Compile(Doc),
	URL:  lintdoc.URL("loopblock"),
	Run:  report.Guard(run),
}

func run(pass *analysis.Pass) (any, error) {
	return nil, nil // TODO: the check is not written yet.
}
