// Package halfupdate defines an Analyzer: a cancellation point should not split two dependent updates.
//
// # Analyzer halfupdate
//
// halfupdate: a cancellation point should not split two dependent updates
//
// See Doc for the full text; asynclint -explain halfupdate prints it.
package halfupdate

import "github.com/asynclint/asynclint/passes/internal/lintdoc"

// Doc is halfupdate's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title:    "A cancellation point should not split two dependent updates",
	Text:     `TODO: not yet implemented.`,
	Since:    "v0.1.0",
	Severity: lintdoc.SeverityWarning,
}
