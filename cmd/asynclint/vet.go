package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/asynclint/asynclint/internal/vetjson"

	"github.com/asynclint/asynclint/passes"
)

// The standalone driver runs the go command's vet path underneath:
//
//	go list -e      resolves the patterns, so that a bad pattern or a
//	                package that cannot load is reported by name while
//	                the others are still analysed;
//	go vet -vettool=<this binary> -json
//	                analyses the loadable packages with the unitchecker
//	                protocol, so facts flow between packages through the
//	                go command's vetx files and results are cached by the
//	                go command (a warm re-run on unchanged code is fast).
//
// It then sorts, deduplicates (a package and its test variant report the
// same finding twice) and prints the findings.

// A finding is one diagnostic, in the driver's form.
type finding struct {
	Check    string
	Pos      position
	End      position
	Message  string
	Category string
	Fixes    []suggestedFix
	Related  []related
}

type position struct {
	File      string // absolute
	Line, Col int    // 1-based; Col counts bytes
}

// ruleID names the finding's check and rule, "loopblock.lock-chan", as
// -checks takes it; findings of asynclint itself (internal errors,
// directives) name only the check.
func (f finding) ruleID() string {
	if f.Category == "" || f.Category == passes.InternalErrorCategory || f.Category == passes.DirectiveCategory {
		return f.Check
	}
	return f.Check + "." + f.Category
}

func (p position) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

type suggestedFix struct {
	Message string
	Edits   []textEdit
}

type textEdit struct {
	File       string
	Start, End int // byte offsets
	New        string
}

type related struct {
	Pos     position
	Message string
}

// results is what one run produced.
type results struct {
	findings       []finding
	loadErrors     []string // one line each, naming the package or path
	internalErrors int
	moduleRoot     string // directory of the main module's go.mod ("" outside a module)
}

// vet resolves the patterns and analyses the packages that load.
// Package patterns are analysed in one go vet run; file arguments (as
// go vet takes them: the named files form one package) in one run per
// directory, so the files of several packages can be named at once, as
// a pre-commit hook does.
func vet(opts *options, checks []passes.Check, stderr io.Writer) (*results, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return nil, fmt.Errorf("the go command is not on PATH: asynclint runs go list and go vet underneath, so it needs Go installed (https://go.dev/dl)")
	}
	res := &results{moduleRoot: moduleRoot()}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find the asynclint binary to pass to go vet: %w", err)
	}
	files, patterns := splitFileArgs(opts.patterns)
	var units [][]string // go vet's package arguments, one run each
	total := 0           // vet units expected, for -v
	if len(patterns) > 0 {
		pkgs, n, loadErrors, err := listPackages(opts, patterns)
		if err != nil {
			return nil, err
		}
		res.loadErrors = append(res.loadErrors, loadErrors...)
		if len(pkgs) > 0 {
			units = append(units, pkgs)
			total += n
		}
	}
	for _, group := range files {
		_, n, loadErrors, err := listPackages(opts, group)
		if err != nil {
			// go list stops at a file that does not exist.
			loadErrors = []string{err.Error()}
		}
		if len(loadErrors) > 0 {
			// go list names every file package command-line-arguments;
			// name the files instead.
			for _, e := range loadErrors {
				_, msg, _ := strings.Cut(e, ": ")
				res.loadErrors = append(res.loadErrors, fmt.Sprintf("%s: %s", strings.Join(group, " "), msg))
			}
			continue
		}
		units = append(units, group)
		total += n
	}
	p := &progress{w: stderr, on: opts.verbose, total: total}
	for _, unit := range units {
		if err := runVet(opts, checks, self, unit, res, p); err != nil {
			return nil, err
		}
	}
	if !opts.tests {
		res.findings = slices.DeleteFunc(res.findings, func(f finding) bool {
			return strings.HasSuffix(f.Pos.File, "_test.go")
		})
	}
	sortFindings(res.findings)
	res.findings = dedupe(res.findings)
	return res, nil
}

// splitFileArgs separates file arguments (ending in .go, as the go
// command tells them) from package patterns, and groups the files by
// directory in the order they were named.
func splitFileArgs(args []string) (files [][]string, patterns []string) {
	byDir := make(map[string]int)
	for _, a := range args {
		if !strings.HasSuffix(a, ".go") {
			patterns = append(patterns, a)
			continue
		}
		dir := filepath.Dir(a)
		i, ok := byDir[dir]
		if !ok {
			i = len(files)
			byDir[dir] = i
			files = append(files, nil)
		}
		files[i] = append(files[i], a)
	}
	return files, patterns
}

// runVet runs go vet -vettool=self -json on one set of package
// arguments and decodes its findings into res as packages finish.
func runVet(opts *options, checks []passes.Check, self string, pkgs []string, res *results, p *progress) error {
	args := []string{"vet", "-vettool=" + self, "-json"}
	if opts.tags != "" {
		args = append(args, "-tags="+opts.tags)
	}
	if len(checks) < len(passes.All) {
		for _, c := range checks {
			args = append(args, "-"+c.Analyzer.Name)
		}
	}
	args = append(args, opts.checkFlags.vetArgs()...)
	for _, c := range checks {
		if spec, ok := opts.rules[c.Name()]; ok {
			args = append(args, "-"+c.Name()+"."+passes.RulesFlag+"="+spec)
		}
	}
	args = append(args, pkgs...)
	cmd := exec.Command("go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot run go vet: %w", err)
	}
	decodeErr := decodeVetJSON(stdout, res, p)
	if decodeErr != nil {
		io.Copy(io.Discard, stdout) // let go vet finish
	}
	runErr := cmd.Wait()
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		return fmt.Errorf("cannot run go vet: %w", runErr)
	}
	if decodeErr != nil {
		return decodeErr
	}
	before := len(res.loadErrors)
	res.loadErrors = append(res.loadErrors, vetErrors(stderr.String())...)
	if runErr != nil && p.findings == 0 && len(res.loadErrors) == before {
		// go vet failed and said nothing we understood: pass on its words.
		res.loadErrors = append(res.loadErrors, "go vet failed: "+oneLine(stderr.String()))
	}
	return nil
}

// progress prints -v's line on stderr as each package is analysed.
type progress struct {
	w        io.Writer
	on       bool
	total    int // packages (test variants counted apart) expected
	done     int
	findings int
}

func (p *progress) packageDone(findings int) {
	p.done++
	p.findings += findings
	if p.on {
		fmt.Fprintf(p.w, "asynclint: analysed %d of %d packages, %d findings so far\n", min(p.done, p.total), p.total, p.findings)
	}
}

// moduleRoot returns the main module's directory, or "".
func moduleRoot() string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return ""
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return ""
	}
	return filepath.Dir(gomod)
}

// listPackages resolves the patterns with go list -e. It returns the
// import paths that loaded, how many units go vet will analyse for them
// (a package, and its external test package apart), and one line for
// each package that did not load.
func listPackages(opts *options, patterns []string) (pkgs []string, units int, loadErrors []string, err error) {
	args := []string{"list", "-e", "-json=ImportPath,Error,DepsErrors,XTestGoFiles"}
	if opts.tags != "" {
		args = append(args, "-tags="+opts.tags)
	}
	args = append(args, "--")
	args = append(args, patterns...)
	cmd := exec.Command("go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	if runErr != nil {
		// go list -e fails only when it cannot start at all (no go.mod,
		// a broken go.work, bad flags): nothing can be analysed.
		return nil, 0, nil, fmt.Errorf("cannot list packages: %s", strings.TrimPrefix(oneLine(stderr.String()), "go: "))
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath   string
			Error        *struct{ Err string }
			DepsErrors   []*struct{ Err string }
			XTestGoFiles []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, 0, nil, fmt.Errorf("cannot read go list output: %w", err)
		}
		switch {
		case p.Error != nil:
			loadErrors = append(loadErrors, fmt.Sprintf("%s: %s", p.ImportPath, oneLine(p.Error.Err)))
		case len(p.DepsErrors) > 0:
			loadErrors = append(loadErrors, fmt.Sprintf("%s: cannot load an import: %s", p.ImportPath, oneLine(p.DepsErrors[0].Err)))
		default:
			pkgs = append(pkgs, p.ImportPath)
			units++
			if len(p.XTestGoFiles) > 0 {
				units++
			}
		}
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if msg, ok := strings.CutPrefix(line, "go: warning: "); ok {
			loadErrors = append(loadErrors, msg) // e.g. "./x/..." matched no packages
		}
	}
	return pkgs, units, loadErrors, nil
}

// oneLine folds a multi-line go command message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// decodeVetJSON reads the stream of JSON trees that go vet -json prints,
// one per package: {"pkg": {"check": [diagnostic...] | {"error": "..."}}}.
func decodeVetJSON(r io.Reader, res *results, p *progress) error {
	dec := json.NewDecoder(r)
	for {
		var tree vetjson.Tree
		if err := dec.Decode(&tree); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("cannot read go vet output: %w", err)
		}
		before := len(res.findings)
		for pkg, byCheck := range tree {
			for check, raw := range byCheck {
				if err := decodeCheck(pkg, check, raw, res); err != nil {
					return err
				}
			}
		}
		p.packageDone(len(res.findings) - before)
	}
}

func decodeCheck(pkg, check string, raw json.RawMessage, res *results) error {
	diags, failure, err := vetjson.DecodeResult(raw)
	if err != nil {
		return fmt.Errorf("cannot read go vet output for %s: %w", pkg, err)
	}
	if failure != "" {
		res.loadErrors = append(res.loadErrors, fmt.Sprintf("%s: check %s failed: %s", pkg, check, oneLine(failure)))
		return nil
	}
	for _, d := range diags {
		f := finding{Check: check, Pos: parsePosn(d.Posn), End: parsePosn(d.End), Message: d.Message, Category: d.Category}
		if f.Category == passes.InternalErrorCategory {
			res.internalErrors++
		}
		for _, sf := range d.SuggestedFixes {
			fix := suggestedFix{Message: sf.Message}
			for _, e := range sf.Edits {
				fix.Edits = append(fix.Edits, textEdit{File: e.Filename, Start: e.Start, End: e.End, New: e.New})
			}
			f.Fixes = append(f.Fixes, fix)
		}
		for _, r := range d.Related {
			f.Related = append(f.Related, related{Pos: parsePosn(r.Posn), Message: r.Message})
		}
		res.findings = append(res.findings, f)
	}
	return nil
}

// parsePosn reads a go vet position into the driver's form.
func parsePosn(s string) position {
	file, line, col := vetjson.ParsePosn(s)
	return position{File: file, Line: line, Col: col}
}

// vetErrors turns what go vet printed on stderr into one line per
// problem, each naming its package: the go command prints "# pkg" and
// then the type checker's or parser's errors for that package.
func vetErrors(stderr string) []string {
	var errs []string
	pkg := ""
	sc := bufio.NewScanner(strings.NewReader(stderr))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "# "):
			pkg = strings.TrimPrefix(line, "# ")
		case strings.HasPrefix(line, "\t") && len(errs) > 0:
			errs[len(errs)-1] += " " + strings.TrimSpace(line)
		case pkg != "":
			errs = append(errs, fmt.Sprintf("%s: %s", pkg, line))
		default:
			errs = append(errs, line)
		}
	}
	return errs
}

func sortFindings(fs []finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Message < b.Message
	})
}

// dedupe drops repeats of a finding, which go vet reports once for a
// package and once more for its test variant.
func dedupe(fs []finding) []finding {
	var out []finding
	for i, f := range fs {
		if i > 0 {
			prev := out[len(out)-1]
			if prev.Pos == f.Pos && prev.Check == f.Check && prev.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}
