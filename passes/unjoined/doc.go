// Package unjoined defines an Analyzer: goroutines should be joined or given a way to stop.
//
// # Analyzer unjoined
//
// unjoined: goroutines should be joined or given a way to stop
//
// See Doc for the full text; asynclint -explain unjoined prints it.
package unjoined

import "github.com/asynclint/asynclint/passes/internal/lintdoc"

// Doc is unjoined's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title:    "Goroutines should be joined or given a way to stop",
	Text:     `TODO: not yet implemented.`,
	Since:    "v0.1.0",
	Severity: lintdoc.SeverityWarning,
}
