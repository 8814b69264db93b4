package passes

import (
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Categories of the diagnostics that asynclint's shared reporting emits
// for every check, so drivers can tell them from findings.
const (
	InternalErrorCategory = report.InternalErrorCategory // a check panicked
	DirectiveCategory     = report.DirectiveCategory     // a malformed or unused //asynclint:ignore
)

// Name returns the check's name, as used by -checks and in output.
func (c Check) Name() string { return c.Analyzer.Name }

// Title returns the one-line summary of the check.
func (c Check) Title() string { return lintdoc.Title(c.Doc) }

// Text returns the explanation of the check, without examples.
func (c Check) Text() string { return lintdoc.Text(c.Doc) }

// Explain returns the -explain page: title, text, examples, since,
// severity and link.
func (c Check) Explain() string {
	return lintdoc.Explain(c.Analyzer, c.Doc) + lintdoc.ExplainRules(c.Name(), c.Rules.List())
}

// Rule returns the check's rule of the given name.
func (c Check) Rule(name string) (lintdoc.Rule, bool) { return lintdoc.Lookup(c.Rules.List(), name) }

// RulesFlag is the name of every check's analyzer flag that selects its
// rules (-loopblock.rules=default,+lock-chan).
const RulesFlag = report.RulesFlag

// HelpMarkdown returns the -explain page in Markdown.
func (c Check) HelpMarkdown() string { return c.Doc.Compile().FormatMarkdown(true) }

// Level returns the check's severity as SARIF names it: "error",
// "warning" or "note".
func (c Check) Level() string { return lintdoc.SeverityName(c.Doc) }

// URL returns the link to the check's documentation.
func (c Check) URL() string { return c.Analyzer.URL }
