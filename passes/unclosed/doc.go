// Package unclosed defines an Analyzer: response bodies, database handles and connections should be released on every path.
//
// # Analyzer unclosed
//
// unclosed: response bodies, database handles and connections should be released on every path
//
// See Doc for the full text; asynclint -explain unclosed prints it.
package unclosed

import "github.com/asynclint/asynclint/passes/internal/lintdoc"

// Doc is unclosed's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title:    "Response bodies, database handles and connections should be released on every path",
	Text:     `TODO: not yet implemented.`,
	Since:    "v0.1.0",
	Severity: lintdoc.SeverityWarning,
}
