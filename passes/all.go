// Package passes is asynclint's registry: every driver (the asynclint
// command, go vet -vettool, the golangci-lint plugin, gopls) takes its
// checks from All, so a new check is a package, its fixtures and one
// line here.
package passes

import (
	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/halfupdate"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
	"github.com/asynclint/asynclint/passes/loopblock"
	"github.com/asynclint/asynclint/passes/sigstate"
	"github.com/asynclint/asynclint/passes/unclosed"
	"github.com/asynclint/asynclint/passes/unjoined"
)

// A Check is one asynclint check: its analyzer, its documentation and
// its named rules.
type Check struct {
	Analyzer *analysis.Analyzer
	Doc      *lintdoc.Doc
	Rules    *report.Rules
}

// All lists asynclint's checks in the order -list-checks shows them.
var All = []Check{
	{loopblock.Analyzer, loopblock.Doc, loopblock.Rules},
	{unclosed.Analyzer, unclosed.Doc, unclosed.Rules},
	{unjoined.Analyzer, unjoined.Doc, unjoined.Rules},
	{halfupdate.Analyzer, halfupdate.Doc, halfupdate.Rules},
	{sigstate.Analyzer, sigstate.Doc, sigstate.Rules},
}

// Analyzers returns the analyzers of All, for drivers that take a slice.
func Analyzers() []*analysis.Analyzer {
	as := make([]*analysis.Analyzer, len(All))
	for i, c := range All {
		as[i] = c.Analyzer
	}
	return as
}

// Lookup returns the check with the given name.
func Lookup(name string) (Check, bool) {
	for _, c := range All {
		if c.Analyzer.Name == name {
			return c, true
		}
	}
	return Check{}, false
}
