// Command peers measures asynclint's unclosed check on the test suites of
// two peer linters, bodyclose (unclosed HTTP response bodies) and
// sqlclosecheck (unclosed database/sql rows and statements): how many of
// the lines the peers expect a diagnostic on asynclint reports, which it
// misses, and what else it reports in those packages.
//
// Run it from the root of an asynclint checkout:
//
//	go run ./bench/cmd/peers
//	go run ./bench/cmd/peers -rules default   # the rules that are on by default only
//
// The peers' code is not part of this repository (it is theirs, under
// their licenses): the harness fetches the pinned versions below from the
// Go module proxy at run time (go mod download -json), copies their test
// packages to a work directory, builds ./cmd/asynclint from the checkout
// and runs it there as
//
//	asynclint -checks=unclosed -unclosed.rules=all -f json PACKAGES
//
// GOPATH-layout suites (testdata/src/PKG, as analysistest loads them) run
// with GO111MODULE=off and GOPATH set to the copy; module suites run in a
// copy of the peer's go.mod and go.sum with -mod=mod, so their imports
// (pgx, sqlx) come from the proxy.
//
// Expected lines are the lines of a "// want" comment in the suites' Go
// files, with analysistest's semantics (the comment's own line, moved by
// a "+N" offset; a want of facts only expects no diagnostic), plus, for
// sqlclosecheck, the lines of its expected_results.txt files (the go vet
// output its Makefile diffs against; its sqlx_examples have no want
// comments). An expected line counts as found when asynclint reports any
// unclosed finding, of any rule, on it; its other findings in the suites'
// packages are listed as extra.
//
// sqlclosecheck's analysistest suite (pkg/analyzer/testdata) is a nested
// module since v0.5, so the zips of v0.5.1 and v0.6.0 hold only the
// top-level testdata; its rows and stmt packages are taken from v0.4.0,
// the last version whose zip has them.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/scanner"

	"github.com/asynclint/asynclint/bench/internal/benchutil"
)

// A Suite is a set of test packages of one peer at one pinned version.
type Suite struct {
	Peer    string // bodyclose, sqlclosecheck
	Module  string // module path
	Version string
	// GOPATH is the directory of the module, relative to its root, that
	// is a GOPATH (packages under GOPATH/src, analysistest's layout); ""
	// for packages of the module itself.
	GOPATH string
	// Pkgs are the packages to analyse: import paths under GOPATH/src,
	// or directories relative to the module root.
	Pkgs []string
	// Results are go vet outputs (path:line:col: message) the peer
	// expects, relative to the module root.
	Results []string
	// Unread lists the packages whose tests the peer runs with its
	// "closed and consumed" mode on (bodyclose's -check-consumption):
	// asynclint runs them with its unread rule, the others without,
	// as the peer configures itself.
	Unread []string
}

func (s Suite) String() string { return s.Module + "@" + s.Version }

// suites are the pinned peer test suites.
var suites = []Suite{
	{
		Peer: "bodyclose", Module: "github.com/timakin/bodyclose", Version: "v0.0.0-20260723120731-857993a2939c",
		GOPATH: "passes/bodyclose/testdata", Pkgs: []string{"a", "consumption", "handledresponse"},
		Unread: []string{"consumption"}, // consumption_test.go sets check-consumption
	},
	{
		Peer: "sqlclosecheck", Module: "github.com/ryanrolds/sqlclosecheck", Version: "v0.6.0",
		Pkgs:    []string{"testdata/pgx_examples", "testdata/sqlx_examples"},
		Results: []string{"testdata/pgx_examples/expected_results.txt", "testdata/sqlx_examples/expected_results.txt"},
	},
	{
		Peer: "sqlclosecheck", Module: "github.com/ryanrolds/sqlclosecheck", Version: "v0.4.0",
		GOPATH: "pkg/analyzer/testdata", Pkgs: []string{"rows", "stmt"},
	},
}

// An Expect is a line a peer expects a diagnostic on.
type Expect struct {
	File   string // relative to the module root, slash-separated
	Line   int
	Msgs   []string // the expected messages (regular expressions for a want)
	Source string   // "want" or the results file it comes from
}

// A Finding is one asynclint diagnostic.
type Finding struct {
	File     string // relative to the module root, slash-separated
	Line     int
	Category string // the rule
	Message  string
}

// A Result is what one suite measured.
type Result struct {
	Suite    Suite
	Expected []Expect
	Found    []Expect
	Missed   []Expect
	Extra    []Finding
	Problems []string
}

var (
	repoFlag  = flag.String("repo", ".", "root of the asynclint checkout to build")
	workFlag  = flag.String("work", filepath.Join(os.TempDir(), "asynclint-peers"), "work directory (copies of the suites, the binary)")
	rulesFlag = flag.String("rules", "all", "value of -unclosed.rules")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("peers: ")
	flag.Parse()
	repo, err := filepath.Abs(*repoFlag)
	if err != nil {
		log.Fatal(err)
	}
	work, err := filepath.Abs(*workFlag)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		log.Fatal(err)
	}
	bin := filepath.Join(work, "bin", "asynclint")
	version, err := benchutil.BuildAsynclint(repo, bin)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("asynclint %s (built from %s), -checks=unclosed -unclosed.rules=%s\n", version, repo, *rulesFlag)

	var results []Result
	for _, s := range suites {
		exp, fs, problems, err := run(s, work, bin)
		if err != nil {
			log.Fatalf("%s: %v", s, err)
		}
		found, missed, extra := match(exp, fs)
		results = append(results, Result{Suite: s, Expected: exp, Found: found, Missed: missed, Extra: extra, Problems: problems})
	}
	report(os.Stdout, results)
}

// run fetches suite s, copies its packages to the work directory, reads
// its expectations and runs asynclint on it.
func run(s Suite, work, bin string) ([]Expect, []Finding, []string, error) {
	env := benchutil.Env()
	out, err := benchutil.Output(work, env, "go", "mod", "download", "-json", s.String())
	if err != nil {
		return nil, nil, nil, err
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return nil, nil, nil, fmt.Errorf("go mod download: %w", err)
	}
	if info.Error != "" || info.Dir == "" {
		return nil, nil, nil, fmt.Errorf("go mod download: %s", info.Error)
	}
	name := strings.NewReplacer("/", "_", "@", "_").Replace(s.String())
	root := filepath.Join(work, "src", name) // the copy's module root
	if err := os.RemoveAll(root); err != nil {
		return nil, nil, nil, err
	}
	var dirs []string // the package directories, relative to root
	for _, p := range s.Pkgs {
		if s.GOPATH != "" {
			p = path.Join(s.GOPATH, "src", p)
		}
		dirs = append(dirs, p)
	}
	copies := dirs
	if s.GOPATH == "" {
		copies = append([]string{"go.mod", "go.sum"}, dirs...)
	}
	for _, c := range copies {
		if err := copyPath(filepath.Join(info.Dir, c), filepath.Join(root, c)); err != nil {
			return nil, nil, nil, err
		}
	}

	var exp []Expect
	for _, d := range dirs {
		es, err := dirWants(root, d)
		if err != nil {
			return nil, nil, nil, err
		}
		exp = append(exp, es...)
	}
	for _, rf := range s.Results {
		data, err := os.ReadFile(filepath.Join(root, rf))
		if err != nil {
			return nil, nil, nil, err
		}
		exp = append(exp, parseResults(string(data), path.Base(rf))...)
	}
	exp = mergeExpects(exp)

	// Run asynclint where the packages' paths resolve: GOPATH/src, or
	// the module root; once per selection of rules.
	dir := root
	var prefix string // from dir to the module root
	if s.GOPATH != "" {
		prefix = path.Join(s.GOPATH, "src")
		dir = filepath.Join(root, filepath.FromSlash(prefix))
		env = append(env, "GO111MODULE=off", "GOPATH="+filepath.Join(root, filepath.FromSlash(s.GOPATH)), "GOFLAGS=")
	}
	groups := make(map[string][]string) // -unclosed.rules value -> package arguments
	for _, p := range s.Pkgs {
		rules := *rulesFlag
		if !slices.Contains(s.Unread, p) {
			rules += ",-unread"
		}
		arg := p
		if s.GOPATH == "" {
			arg = "./" + p
		}
		groups[rules] = append(groups[rules], arg)
	}
	var fs []Finding
	var problems []string
	for _, rules := range slices.Sorted(maps.Keys(groups)) {
		args := append([]string{"-checks=unclosed", "-unclosed.rules=" + rules, "-f", "json"}, groups[rules]...)
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = dir, env
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		// Exit 1: findings; 3: some packages failed to load (reported in
		// the output's errors).
		if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 && code != 3 {
			return nil, nil, nil, fmt.Errorf("asynclint: %v: %s", err, benchutil.Tail(stderr.String(), 2000))
		}
		f, p, err := parseFindings(stdout.Bytes(), dir, prefix)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("asynclint output: %w: %s", err, benchutil.Tail(stderr.String(), 2000))
		}
		fs, problems = append(fs, f...), append(problems, p...)
	}
	return exp, fs, problems, nil
}

// copyPath copies the file or directory tree src to dst (writable).
func copyPath(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return os.CopyFS(dst, os.DirFS(src))
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// dirWants returns the want lines of the Go files of directory dir
// (relative to root, slash-separated).
func dirWants(root, dir string) ([]Expect, error) {
	ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil, err
	}
	var out []Expect
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		file := path.Join(dir, e.Name())
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			return nil, err
		}
		es, err := parseWants(file, src)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// parseWants returns the lines of file's "// want" comments that expect
// a diagnostic, as analysistest reads them: a // or /* */ comment whose
// text, trimmed, starts with "want" (or that holds "// want"), followed by
// an optional +N line offset and quoted regular expressions; name:"rx"
// expects a fact, not a diagnostic. A comment analysistest could not
// parse is not an expectation.
func parseWants(file string, src []byte) ([]Expect, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil && f == nil {
		return nil, err
	}
	var out []Expect
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if e, ok := wantComment(c); ok {
				e.File = file
				e.Line += fset.Position(c.Pos()).Line
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// wantComment parses comment c; the returned Line is the offset.
func wantComment(c *ast.Comment) (Expect, bool) {
	text := strings.TrimPrefix(c.Text, "//")
	if text == c.Text {
		text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
	}
	if i := strings.Index(text, "// want"); i >= 0 {
		text = text[i+len("// "):]
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(text), "want")
	if !ok {
		return Expect{}, false
	}
	delta, msgs, ok := parseExpectations(rest)
	if !ok || len(msgs) == 0 {
		return Expect{}, false
	}
	return Expect{Line: delta, Msgs: msgs, Source: "want"}, true
}

// parseExpectations follows analysistest's parser of the same name and
// returns the line offset and the diagnostic patterns.
func parseExpectations(text string) (delta int, msgs []string, ok bool) {
	var sc scanner.Scanner
	sc.Init(strings.NewReader(text))
	bad := false
	sc.Error = func(*scanner.Scanner, string) { bad = true }
	sc.Mode = scanner.ScanIdents | scanner.ScanStrings | scanner.ScanRawStrings | scanner.ScanInts
	for {
		switch tok := sc.Scan(); tok {
		case '+':
			if sc.Scan() != scanner.Int {
				return 0, nil, false
			}
			delta, _ = strconv.Atoi(sc.TokenText())
		case scanner.String, scanner.RawString:
			s, err := strconv.Unquote(sc.TokenText())
			if err != nil {
				return 0, nil, false
			}
			msgs = append(msgs, s)
		case scanner.Ident: // name:"rx", a fact
			if sc.Scan() != ':' {
				return 0, nil, false
			}
			if t := sc.Scan(); t != scanner.String && t != scanner.RawString {
				return 0, nil, false
			}
		case scanner.EOF:
			return delta, msgs, !bad
		default:
			return 0, nil, false
		}
	}
}

// parseResults reads a go vet text output ("# pkg" headers, then
// path:line:col: message), the form of sqlclosecheck's
// expected_results.txt.
func parseResults(data, source string) []Expect {
	var out []Expect
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, ":", 4)
		if len(f) < 3 {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		e := Expect{File: path.Clean(filepath.ToSlash(f[0])), Line: n, Source: source}
		if len(f) == 4 {
			e.Msgs = []string{strings.TrimSpace(f[3])}
		} else if _, err := strconv.Atoi(f[2]); err != nil {
			e.Msgs = []string{strings.TrimSpace(f[2])}
		}
		out = append(out, e)
	}
	return out
}

// mergeExpects merges the expectations of one line (a want and a
// results line): the want's source and patterns win.
func mergeExpects(es []Expect) []Expect {
	var out []Expect
	at := map[string]int{}
	for _, e := range es {
		k := fmt.Sprintf("%s:%d", e.File, e.Line)
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, e)
			continue
		}
		if out[i].Source != "want" && e.Source == "want" {
			out[i] = e
		} else if out[i].Source == e.Source {
			out[i].Msgs = append(out[i].Msgs, e.Msgs...)
		}
	}
	sortExpects(out)
	return out
}

// parseFindings reads asynclint's -f json output; file names are made
// relative to the module root (dir is where asynclint ran, prefix the
// path from the module root to dir).
func parseFindings(data []byte, dir, prefix string) ([]Finding, []string, error) {
	var out struct {
		Findings []struct {
			Check    string `json:"check"`
			File     string `json:"file"`
			Line     int    `json:"line"`
			Message  string `json:"message"`
			Category string `json:"category"`
		} `json:"findings"`
		Errors []string `json:"errors"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, nil, err
	}
	var fs []Finding
	seen := map[Finding]bool{}
	for _, f := range out.Findings {
		if f.Check != "unclosed" {
			continue
		}
		file := f.File
		if filepath.IsAbs(file) {
			if rel, err := filepath.Rel(dir, file); err == nil {
				file = rel
			}
		}
		file = path.Join(prefix, filepath.ToSlash(file))
		x := Finding{File: file, Line: f.Line, Category: f.Category, Message: strings.Join(strings.Fields(f.Message), " ")}
		if !seen[x] { // a package and its test variant report the same line.
			seen[x] = true
			fs = append(fs, x)
		}
	}
	return fs, out.Errors, nil
}

// match splits the expected lines into those with a finding on them and
// the missed ones, and returns the findings on no expected line.
func match(exp []Expect, fs []Finding) (found, missed []Expect, extra []Finding) {
	type key struct {
		file string
		line int
	}
	reported := map[key]bool{}
	for _, f := range fs {
		reported[key{f.File, f.Line}] = true
	}
	expected := map[key]bool{}
	for _, e := range exp {
		expected[key{e.File, e.Line}] = true
		if reported[key{e.File, e.Line}] {
			found = append(found, e)
		} else {
			missed = append(missed, e)
		}
	}
	for _, f := range fs {
		if !expected[key{f.File, f.Line}] {
			extra = append(extra, f)
		}
	}
	slices.SortFunc(extra, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Message, b.Message))
	})
	return found, missed, extra
}

func sortExpects(es []Expect) {
	slices.SortFunc(es, func(a, b Expect) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// report prints, per peer and in total, the counts, and per suite the
// missed lines and the extra findings.
func report(w io.Writer, results []Result) {
	var peers []string
	byPeer := map[string][]Result{}
	for _, r := range results {
		if byPeer[r.Suite.Peer] == nil {
			peers = append(peers, r.Suite.Peer)
		}
		byPeer[r.Suite.Peer] = append(byPeer[r.Suite.Peer], r)
	}
	counts := func(label string, rs []Result) {
		var exp []Expect
		var found, missed, extra int
		for _, r := range rs {
			exp = append(exp, r.Expected...)
			found += len(r.Found)
			missed += len(r.Missed)
			extra += len(r.Extra)
		}
		var fs []Expect
		for _, r := range rs {
			fs = append(fs, r.Found...)
		}
		fmt.Fprintf(w, "%s: expected %d, found %d%s, missed %d, extra findings %d; found by source: %s\n",
			label, len(exp), found, percent(found, len(exp)), missed, extra, bySource(fs, exp))
	}
	for _, p := range peers {
		fmt.Fprintln(w)
		counts(p, byPeer[p])
		for _, r := range byPeer[p] {
			s := r.Suite
			where := strings.Join(s.Pkgs, ", ")
			if s.GOPATH != "" {
				where = s.GOPATH + "/src/{" + where + "}"
			}
			fmt.Fprintf(w, "  %s %s: expected %d, found %d, missed %d, extra %d\n",
				s, where, len(r.Expected), len(r.Found), len(r.Missed), len(r.Extra))
			for _, e := range r.Missed {
				fmt.Fprintf(w, "    missed %s:%d\t%s %s\n", e.File, e.Line, e.Source, quote(e.Msgs))
			}
			for _, f := range r.Extra {
				fmt.Fprintf(w, "    extra  %s:%d\t%s: %s\n", f.File, f.Line, f.Category, f.Message)
			}
			for _, p := range r.Problems {
				fmt.Fprintf(w, "    problem: %s\n", p)
			}
		}
	}
	fmt.Fprintln(w)
	counts("total", results)
}

// bySource counts the found expectations of each source out of the
// expected ones: "want 9/19, expected_results.txt 2/6".
func bySource(found, exp []Expect) string {
	n, of := map[string]int{}, map[string]int{}
	var names []string
	for _, e := range exp {
		if of[e.Source] == 0 {
			names = append(names, e.Source)
		}
		of[e.Source]++
	}
	for _, e := range found {
		n[e.Source]++
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(boolInt(b == "want"), boolInt(a == "want")) /* want first */, cmp.Compare(a, b))
	})
	var parts []string
	for _, s := range names {
		parts = append(parts, fmt.Sprintf("%s %d/%d", s, n[s], of[s]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func percent(a, b int) string {
	if b == 0 {
		return ""
	}
	return fmt.Sprintf(" (%.0f%%)", 100*float64(a)/float64(b))
}

func quote(msgs []string) string {
	q := make([]string, len(msgs))
	for i, m := range msgs {
		q[i] = strconv.Quote(m)
	}
	return strings.Join(q, " ")
}
