// Package report is the one place where every asynclint check's findings
// pass before they reach a driver. Because it wraps the check's Run
// function, it behaves the same in every mode (standalone, go vet
// -vettool, golangci-lint, gopls):
//
//   - findings in generated files (// Code generated ... DO NOT EDIT.)
//     are dropped;
//   - a finding on a line covered by an //asynclint:ignore directive naming
//     the check is dropped; a directive without a reason, or one that
//     silences nothing, is itself reported;
//   - a panic inside the check is recovered and reported as an internal
//     error naming the check, the package and the place, so the other
//     checks' findings are kept and the run goes on.
//
// The directive syntax:
//
//	//asynclint:ignore CHECK[,CHECK...] REASON
//
// on its own line silences findings of those checks on the next line;
// at the end of a line it silences findings on that line.
//
//	//asynclint:file-ignore CHECK[,CHECK...] REASON
//
// anywhere in a file silences those checks in the whole file.
package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// InternalErrorCategory is the Category of the diagnostic that reports
// a recovered panic; drivers map it to their "internal error" exit
// status.
const InternalErrorCategory = "internal-error"

// DirectiveCategory is the Category of diagnostics about malformed or
// unused //asynclint:ignore directives.
const DirectiveCategory = "directive"

// Guard wraps a check's run function with asynclint's reporting rules
// (see the package documentation). Every check in asynclint sets Run:
// report.Guard(run); helper analyzers use WrapRun (helper.go). When a
// helper the check Requires failed on the package, the check does not
// run and Guard reports the helper's failure as the check's internal
// error instead.
func Guard(run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (result any, err error) {
		if herr := upstreamError(pass); herr != nil {
			pass.Report(helperFailed(pass, herr))
			return nil, nil
		}
		forward := pass.Report
		var f *filter
		defer func() {
			pass.Report = forward
			if p := recover(); p != nil {
				forward(internalError(pass, p))
				result, err = nil, nil
				return
			}
			f.finish()
		}()
		f = newFilter(pass)
		pass.Report = f.report
		return run(pass)
	}
}

// internalError describes a recovered panic as a diagnostic at the
// package clause of the first file, naming the innermost asynclint frame.
func internalError(pass *analysis.Pass, p any) analysis.Diagnostic {
	var pos token.Pos
	if len(pass.Files) > 0 {
		pos = pass.Files[0].Package
	}
	return analysis.Diagnostic{
		Pos:      pos,
		Category: InternalErrorCategory,
		Message: fmt.Sprintf("internal error: check %s panicked on package %s: %v (at %s); please report this at %s/issues",
			pass.Analyzer.Name, pass.Pkg.Path(), p, panicSite(), "https://github.com/asynclint/asynclint"),
	}
}

// panicSite returns file:line of the innermost frame inside asynclint's
// own code on the panicking goroutine's stack.
func panicSite() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		fr, more := frames.Next()
		// Match on files, not function names: the compiler may inline
		// Guard into its caller, renaming the deferred function.
		if strings.Contains(fr.File, "/passes/") && !strings.HasSuffix(fr.File, "/internal/report/report.go") &&
			!strings.HasSuffix(fr.File, "/internal/report/helper.go") {
			return fmt.Sprintf("%s:%d", trimPath(fr.File), fr.Line)
		}
		if !more {
			return "unknown"
		}
	}
}

func trimPath(file string) string {
	if i := strings.LastIndex(file, "/passes/"); i >= 0 {
		return file[i+1:]
	}
	return file
}

// Checks are the names of asynclint's checks, in passes.All's order,
// which a directive may name. The report package cannot import the
// registry (every check imports report), so the list is kept here and
// passes' tests check that it equals passes.All.
var checks = [...]string{"loopblock", "unclosed", "unjoined", "halfupdate", "sigstate"}

// Checks returns the check names a directive may name.
func Checks() []string { return slices.Clone(checks[:]) }

// A directive is one //asynclint:ignore or //asynclint:file-ignore comment
// that names the running check, or that names an unknown check the
// running check reports. A directive naming a check that does not exist
// is reported like one without a reason, and not applied.
type directive struct {
	comment   *ast.Comment
	file      *token.File
	line      int  // the line it silences; 0 for file-ignore
	wholeFile bool // file-ignore
	reason    string
	used      bool
	// unknown is the first name that is no check's: the directive is not
	// applied, and the check whose name is nearest reports it once.
	unknown       string
	reportUnknown bool
}

// filter holds one check's view of one package's directives.
// It lives for one Run call.
type filter struct {
	pass       *analysis.Pass
	forward    func(analysis.Diagnostic) // the driver's pass.Report
	rules      *Rules                    // the check's rules; nil for a helper analyzer
	generated  map[*token.File]bool
	directives []*directive
}

func newFilter(pass *analysis.Pass) *filter {
	f := &filter{pass: pass, forward: pass.Report, rules: rulesOf(pass.Analyzer), generated: make(map[*token.File]bool)}
	for _, file := range pass.Files {
		tf := pass.Fset.File(file.FileStart)
		if tf == nil {
			continue // no position information; nothing to match
		}
		if isGenerated(file) {
			f.generated[tf] = true
			continue
		}
		f.directives = append(f.directives, parseDirectives(file, tf, pass.Fset, pass.Analyzer.Name)...)
	}
	return f
}

// isGenerated reports whether file is generated code that nobody edits.
// cmd/cgo's output is marked generated too, but it is the user's own code
// with //line directives back to it: go vet analyses a cgo package
// through those files, so they must not be skipped.
func isGenerated(file *ast.File) bool {
	if !ast.IsGenerated(file) {
		return false
	}
	for _, group := range file.Comments {
		if group.Pos() >= file.Package {
			break
		}
		if strings.Contains(group.Text(), "Code generated by cmd/cgo; DO NOT EDIT.") {
			return false
		}
	}
	return true
}

// parseDirectives returns the directives in file that name check.
func parseDirectives(file *ast.File, tf *token.File, fset *token.FileSet, check string) []*directive {
	var dirs []*directive
	for _, group := range file.Comments {
		for _, c := range group.List {
			kind, named, reason, ok := parseDirective(c.Text)
			if !ok {
				continue
			}
			unknown := firstUnknown(named)
			reportUnknown := unknown != "" && nearestCheck(unknown) == check
			if !names(named, check) && !reportUnknown {
				continue
			}
			d := &directive{comment: c, file: tf, reason: reason, wholeFile: kind == "file-ignore",
				unknown: unknown, reportUnknown: reportUnknown}
			if !d.wholeFile {
				d.line = silencedLine(fset, file, c)
			}
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// parseDirective splits "//asynclint:ignore a,b reason words".
func parseDirective(text string) (kind string, checks []string, reason string, ok bool) {
	rest, ok := strings.CutPrefix(text, "//asynclint:")
	if !ok {
		return "", nil, "", false
	}
	rest, _, _ = strings.Cut(rest, "//") // a trailing comment is not a reason
	fields := strings.Fields(rest)
	if len(fields) == 0 || (fields[0] != "ignore" && fields[0] != "file-ignore") {
		return "", nil, "", false
	}
	kind = fields[0]
	if len(fields) > 1 {
		checks = strings.Split(fields[1], ",")
	}
	if len(fields) > 2 {
		reason = strings.Join(fields[2:], " ")
	}
	return kind, checks, reason, true
}

// firstUnknown returns the first of the named checks that does not
// exist, or "".
func firstUnknown(named []string) string {
	for _, n := range named {
		if !names(checks[:], n) {
			return n
		}
	}
	return ""
}

// nearestCheck returns the check whose name is nearest to name in edit
// distance (the first such in registry order): a misspelt name is
// reported by the check that was meant, and every unknown name by
// exactly one check.
func nearestCheck(name string) string {
	best, bestDist := "", -1
	for _, c := range checks {
		if d := editDistance(name, c); bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func names(checks []string, check string) bool {
	for _, c := range checks {
		if c == check {
			return true
		}
	}
	return false
}

// silencedLine is the line a directive applies to: its own line when code
// precedes it there, otherwise the next line.
func silencedLine(fset *token.FileSet, file *ast.File, c *ast.Comment) int {
	pos := fset.Position(c.Slash)
	if pos.Column > 1 && codeBefore(fset, file, c) {
		return pos.Line
	}
	return pos.Line + 1
}

// codeBefore reports whether some token of file ends on the comment's
// line before the comment starts.
func codeBefore(fset *token.FileSet, file *ast.File, c *ast.Comment) bool {
	line := fset.Position(c.Slash).Line
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil || found {
			return false
		}
		if _, isComment := n.(*ast.CommentGroup); isComment {
			return false
		}
		start, end := fset.Position(n.Pos()).Line, fset.Position(n.End()).Line
		if start > line || end < line {
			return start <= line // skip subtrees that cannot reach the line
		}
		if end == line && n.End() <= c.Slash {
			found = true
		}
		return true
	})
	return found
}

// report is installed as pass.Report while the check runs.
func (f *filter) report(d analysis.Diagnostic) {
	tf := f.pass.Fset.File(d.Pos)
	if tf != nil && f.generated[tf] {
		return
	}
	if dir := f.silencing(tf, d.Pos); dir != nil {
		dir.used = true // even when the rule is off: the directive is not stale
		return
	}
	if f.rules != nil && !f.rules.selected(f.pass.Analyzer.Name, d) {
		return // the user did not select this finding's rule.
	}
	f.forward(d)
}

// silencing returns the well-formed directive that covers pos, if any.
func (f *filter) silencing(tf *token.File, pos token.Pos) *directive {
	if tf == nil || !pos.IsValid() {
		return nil
	}
	line := tf.Line(pos)
	for _, dir := range f.directives {
		if dir.file != tf || dir.reason == "" || dir.unknown != "" {
			continue
		}
		if dir.wholeFile || dir.line == line {
			return dir
		}
	}
	return nil
}

// finish reports directives without a reason and directives that
// silenced nothing.
func (f *filter) finish() {
	for _, dir := range f.directives {
		switch {
		case dir.unknown != "":
			if dir.reportUnknown {
				f.forward(analysis.Diagnostic{
					Pos: dir.comment.Slash, End: dir.comment.End(), Category: DirectiveCategory,
					Message: unknownMessage(dir.unknown),
				})
			}
		case dir.reason == "":
			f.forward(analysis.Diagnostic{
				Pos: dir.comment.Slash, End: dir.comment.End(), Category: DirectiveCategory,
				Message: fmt.Sprintf("this //asynclint: directive for %s needs a reason after the check name; it is not applied without one", f.pass.Analyzer.Name),
			})
		case !dir.used:
			f.forward(analysis.Diagnostic{
				Pos: dir.comment.Slash, End: dir.comment.End(), Category: DirectiveCategory,
				Message: fmt.Sprintf("this //asynclint: directive for %s silences no finding; remove it", f.pass.Analyzer.Name),
			})
		}
	}
}

// unknownMessage says that a directive names a check that does not
// exist, suggesting the nearest name when it is a likely misspelling.
func unknownMessage(name string) string {
	hint := "asynclint -list-checks lists them"
	if near := nearestCheck(name); editDistance(name, near) <= 2 {
		hint = fmt.Sprintf("did you mean %s?", near)
	}
	return fmt.Sprintf("this //asynclint: directive names no check %q (%s); it is not applied", name, hint)
}
