// Package passes is asynclint's registry: every driver (the asynclint
// command, go vet -vettool, the golangci-lint plugin, gopls) takes its
// checks from All, so a new check is a package, its fixtures and one
// line here.
package passes

import (
	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/halfupdate"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/loopblock"
	"github.com/asynclint/asynclint/passes/sigstate"
	"github.com/asynclint/asynclint/passes/unclosed"
	"github.com/asynclint/asynclint/passes/unjoined"
)

// A Check is one asynclint check: its analyzer and its documentation.
type Check struct {
	Analyzer *analysis.Analyzer
	Doc      *lintdoc.Doc
}

// All lists asynclint's checks in the order -list-checks shows them.
var All = []Check{
	{loopblock.Analyzer, loopblock.Doc},
	{unclosed.Analyzer, unclosed.Doc},
	{unjoined.Analyzer, unjoined.Doc},
	{halfupdate.Analyzer, halfupdate.Doc},
	{sigstate.Analyzer, sigstate.Doc},
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
