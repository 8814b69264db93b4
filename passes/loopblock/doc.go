// Package loopblock defines an Analyzer: calls that can block without bound should not run in an event goroutine.
//
// # Analyzer loopblock
//
// loopblock: calls that can block without bound should not run in an event goroutine
//
// See Doc for the full text; asynclint -explain loopblock prints it.
package loopblock

import "github.com/asynclint/asynclint/passes/internal/lintdoc"

// Doc is loopblock's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title:    "Calls that can block without bound should not run in an event goroutine",
	Text:     `TODO: not yet implemented.`,
	Since:    "v0.1.0",
	Severity: lintdoc.SeverityWarning,
}
