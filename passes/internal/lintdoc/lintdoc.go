// Package lintdoc turns a check's documentation, kept as data in the
// check's doc.go, into the text every driver shows: Analyzer.Doc, the
// -explain page, SARIF rule descriptions and the README anchor.
//
// The data is staticcheck's lint.RawDocumentation (title, text, a bad and
// a good example, since, severity), so the form is one that Go linter
// authors already know; only the links are asynclint's own.
package lintdoc

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"
	"honnef.co/go/tools/analysis/lint"
)

// Doc is the documentation of one check.
type Doc = lint.RawDocumentation

// Severity levels a check may declare.
const (
	SeverityError   = lint.SeverityError
	SeverityWarning = lint.SeverityWarning
	SeverityInfo    = lint.SeverityInfo
)

// Home is where asynclint's documentation lives; each check has an
// anchor of its own name in the README.
const Home = "https://github.com/asynclint/asynclint"

// FirstRelease is the Since of the checks that have been there from the
// start. asynclint has no published release yet, so -explain must not
// name a version number; when the first one is tagged, this becomes its
// tag and a later check names the release that added it.
const FirstRelease = "the first release (none is published yet)"

// URL returns the documentation link of the named check.
func URL(check string) string { return Home + "#" + check }

// Compile returns the text for Analyzer.Doc: the title on the first line
// (drivers show it as the summary), then the full explanation.
func Compile(doc *Doc) string {
	return doc.Compile().Format(false)
}

// Explain renders the -explain page of a check.
func Explain(a *analysis.Analyzer, doc *Doc) string {
	var b strings.Builder
	b.WriteString(doc.Compile().Format(true))
	fmt.Fprintf(&b, "\nSeverity\n    %s\n", SeverityName(doc))
	fmt.Fprintf(&b, "\nOnline documentation\n    %s\n", a.URL)
	return b.String()
}

// Title returns the one-line summary of a check.
func Title(doc *Doc) string { return doc.Compile().Title }

// Text returns the explanation of a check without its examples.
func Text(doc *Doc) string { return doc.Compile().Text }

// SeverityName returns "error", "warning" or "note", the words SARIF uses.
func SeverityName(doc *Doc) string {
	switch doc.Severity {
	case lint.SeverityError:
		return "error"
	case lint.SeverityInfo, lint.SeverityHint:
		return "note"
	default:
		return "warning"
	}
}
