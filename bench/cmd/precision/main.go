// Command precision runs every asynclint check on the pinned real modules
// of bench/realcode.txt and compares the findings with the triaged
// baseline bench/triage.txt, so a change in precision is never silent.
//
// Run it from the root of an asynclint checkout:
//
//	go run ./bench/cmd/precision                 # compare; exit 1 on an untriaged finding
//	go run ./bench/cmd/precision -only raft,pgx  # some modules only
//	go run ./bench/cmd/precision -write          # add new findings as unsure, drop vanished ones
//
// It builds ./cmd/asynclint from the checkout and runs it as a vet tool
// (go vet -vettool=asynclint -json ./...) in a writable copy of each
// module fetched from the module proxy.
//
// The baseline has one finding per line, tab-separated:
//
//	module@version  file:line  check  verdict  reason  message
//
// where verdict is true, false or unsure. A finding matches a baseline
// line with the same module path, file, check and message (the version
// and line may change; among equal keys the nearest lines pair up).
// Findings with no baseline line are printed with "+" and make the
// command exit 1; baseline lines with no finding (in the modules that
// ran) are printed with "-". Unsure lines also make it exit 1 unless
// -allow-unsure is given: they are findings nobody has judged yet.
//
// At the end it prints, per check, the counts of true and false
// positives and the precision, true / (true + false).
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/asynclint/asynclint/internal/vetjson"
	"github.com/asynclint/asynclint/passes"

	"github.com/asynclint/asynclint/bench/internal/benchutil"
)

var (
	repoFlag    = flag.String("repo", ".", "root of the asynclint checkout to build")
	modulesFlag = flag.String("modules", "bench/realcode.txt", "pinned module list")
	triageFlag  = flag.String("triage", "bench/triage.txt", "triaged baseline")
	onlyFlag    = flag.String("only", "", "comma-separated substrings: run only the modules whose path contains one")
	workFlag    = flag.String("work", filepath.Join(os.TempDir(), "asynclint-precision"), "work directory (modules, cache)")
	writeFlag   = flag.Bool("write", false, "rewrite the baseline: add new findings as unsure, drop vanished ones, update lines")
	unsureFlag  = flag.Bool("allow-unsure", false, "do not fail on findings triaged as unsure")
	rulesFlag   = flag.String("rules", "all", "rules to run: all (every rule of every check, opt-in ones included), default, or a comma-separated list of CHECK.RULE (to measure new rules alone; other checks run none)")
)

// A Finding is one diagnostic, or one baseline line.
type Finding struct {
	Module  string // path@version
	File    string // relative to the module root, slash-separated
	Line    int
	Check   string // the check and its rule: "loopblock.lock-chan"; only the check in old baselines
	Verdict string // true, false, unsure; empty for a fresh finding
	Reason  string
	Message string
}

func (f Finding) modPath() string { p, _, _ := strings.Cut(f.Module, "@"); return p }

// checkName returns the check of f without its rule.
func (f Finding) checkName() string { c, _, _ := strings.Cut(f.Check, "."); return c }

// rule returns f's rule, "" for a baseline line of an older run.
func (f Finding) rule() string { _, r, _ := strings.Cut(f.Check, "."); return r }

// key matches a finding with its baseline line: rules were named after
// most findings were triaged, so the key has the check, not the rule.
func (f Finding) key() string {
	return strings.Join([]string{f.modPath(), f.File, f.checkName(), f.Message}, "\t")
}

func (f Finding) String() string {
	return fmt.Sprintf("%s\t%s:%d\t%s\t%s\t%s\t%s", f.Module, f.File, f.Line, f.Check, f.Verdict, f.Reason, f.Message)
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("precision: ")
	flag.Parse()
	mods, err := benchutil.ReadList(*modulesFlag)
	if err != nil {
		log.Fatal(err)
	}
	mods = benchutil.Select(mods, *onlyFlag)
	if len(mods) == 0 {
		log.Fatal("no modules selected")
	}
	baseline, err := readTriage(*triageFlag)
	if err != nil {
		log.Fatal(err)
	}
	repo, err := filepath.Abs(*repoFlag)
	if err != nil {
		log.Fatal(err)
	}
	work, err := filepath.Abs(*workFlag)
	if err != nil {
		log.Fatal(err)
	}
	bin := filepath.Join(work, "bin", "asynclint")
	version, err := benchutil.BuildAsynclint(repo, bin)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("asynclint %s built from %s", version, repo)

	env := benchutil.Env("GOCACHE=" + filepath.Join(work, "gocache"))
	ran := map[string]bool{}
	var found []Finding
	failed := 0
	for _, m := range mods {
		start := time.Now()
		fs, problems, err := analyse(m, work, bin, env)
		if err != nil {
			log.Printf("%s: %v", m, err)
			failed++
			continue
		}
		ran[m.Path] = true
		found = append(found, fs...)
		log.Printf("%s: %d findings in %.1fs", m, len(fs), time.Since(start).Seconds())
		for _, p := range problems {
			log.Printf("%s: %s", m, p)
		}
	}

	matched, fresh, vanished := compare(baseline, found, ran)
	for _, f := range fresh {
		fmt.Printf("+ %s\n", f)
	}
	for _, f := range vanished {
		fmt.Printf("- %s\n", f)
	}
	var unsure []Finding
	for _, f := range matched {
		if f.Verdict == "unsure" {
			unsure = append(unsure, f)
			fmt.Printf("? %s\n", f)
		}
	}
	summary(os.Stdout, matched, fresh)

	if *writeFlag {
		var keep []Finding
		for _, f := range baseline {
			if !ran[f.modPath()] {
				keep = append(keep, f)
			}
		}
		keep = append(keep, matched...)
		for _, f := range fresh {
			f.Verdict, f.Reason = "unsure", "untriaged"
			keep = append(keep, f)
		}
		if err := writeTriage(*triageFlag, keep); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %s: %d new findings added as unsure, %d vanished dropped", *triageFlag, len(fresh), len(vanished))
		return
	}
	switch {
	case len(fresh) > 0:
		log.Fatalf("%d untriaged findings (+ lines): judge them, or run with -write and triage the unsure lines", len(fresh))
	case len(unsure) > 0 && !*unsureFlag:
		log.Fatalf("%d findings triaged as unsure (? lines): judge them", len(unsure))
	case failed > 0:
		log.Fatalf("%d modules could not be analysed", failed)
	}
}

// analyse runs asynclint on module m and returns its findings and the
// problems (packages that failed to load) it reported.
func analyse(m benchutil.Module, work, bin string, env []string) ([]Finding, []string, error) {
	dir, err := benchutil.Fetch(m, work, env)
	if err != nil {
		return nil, nil, err
	}
	// go vet stops at a package that fails to load (a missing embed
	// pattern, a build-constrained dependency): analyse the others and
	// report those.
	list, err := benchutil.Output(dir, env, "go", "list", "-e", "-f", "{{if or .Error .DepsErrors}}! {{.ImportPath}}: {{if .Error}}{{.Error}}{{else}}{{index .DepsErrors 0}}{{end}}{{else}}{{.ImportPath}}{{end}}", "./...")
	if err != nil {
		return nil, nil, err
	}
	var args, skipped []string
	for _, line := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		if strings.HasPrefix(line, "! ") {
			skipped = append(skipped, "skipped, does not load: "+strings.Join(strings.Fields(line[2:]), " "))
		} else if line != "" {
			args = append(args, line)
		}
	}
	if len(args) == 0 {
		return nil, skipped, nil
	}
	var out bytes.Buffer
	vetArgs := []string{"vet", "-vettool=" + bin, "-json"}
	for _, c := range passes.All {
		vetArgs = append(vetArgs, "-"+c.Name()+"."+passes.RulesFlag+"="+checkRules(*rulesFlag, c.Name()))
	}
	if _, err := benchutil.Measure(dir, env, &out, "go", append(vetArgs, args...)...); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(work, m.Name()+".log"), out.Bytes(), 0o644); err != nil {
		return nil, nil, err
	}
	fs, problems, err := parseVetJSON(&out, m, dir)
	return fs, append(skipped, problems...), err
}

// parseVetJSON reads go vet -json output: "# pkg" headers, each followed
// by a JSON object {pkg: {analyzer: [diagnostic...] or {error}}}, mixed
// with the go command's own messages (build errors).
func parseVetJSON(r io.Reader, m benchutil.Module, dir string) ([]Finding, []string, error) {
	var (
		findings []Finding
		problems []string
		obj      []string
		seen     = map[string]bool{}
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case obj == nil && line == "{":
			obj = []string{line}
			continue
		case obj != nil:
			obj = append(obj, line)
			if line != "}" {
				continue
			}
		case strings.HasPrefix(line, "# ") || strings.TrimSpace(line) == "" || line == "{}" || strings.HasPrefix(line, "$ "),
			strings.HasPrefix(line, "go: downloading "), strings.HasPrefix(line, "go: finding "), strings.HasPrefix(line, "go: found "):
			// headers and the go command resolving test dependencies.
			continue
		default:
			problems = append(problems, line)
			continue
		}
		var tree vetjson.Tree
		err := json.Unmarshal([]byte(strings.Join(obj, "\n")), &tree)
		obj = nil
		if err != nil {
			return nil, nil, fmt.Errorf("parsing go vet -json output: %w", err)
		}
		for pkg, byCheck := range tree {
			for check, raw := range byCheck {
				diags, failure, err := vetjson.DecodeResult(raw)
				if err != nil {
					return nil, nil, fmt.Errorf("parsing diagnostics of %s: %w", check, err)
				}
				if failure != "" {
					problems = append(problems, fmt.Sprintf("%s: %s: %s", pkg, check, failure))
					continue
				}
				for _, d := range diags {
					id := check
					if d.Category != "" {
						id += "." + d.Category
					}
					f := finding(m, dir, id, d.Posn, d.Message)
					k := fmt.Sprintf("%s:%d\t%s", f.File, f.Line, f.key())
					if !seen[k] { // the package and its test variant report the same line.
						seen[k] = true
						findings = append(findings, f)
					}
				}
			}
		}
	}
	return findings, problems, sc.Err()
}

func finding(m benchutil.Module, dir, check, posn, msg string) Finding {
	file, line, _ := vetjson.ParsePosn(posn)
	if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		file = filepath.ToSlash(rel)
	}
	msg = strings.Join(strings.Fields(msg), " ") // one line, no tabs.
	return Finding{Module: m.String(), File: file, Line: line, Check: check, Message: msg}
}

// compare pairs findings with baseline lines of the modules that ran.
// matched holds the baseline verdicts with the findings' current module
// version and line.
func compare(baseline, found []Finding, ran map[string]bool) (matched, fresh, vanished []Finding) {
	byKey := map[string][]Finding{}
	for _, b := range baseline {
		if ran[b.modPath()] {
			byKey[b.key()] = append(byKey[b.key()], b)
		}
	}
	cur := map[string][]Finding{}
	var keys []string
	for _, f := range found {
		if cur[f.key()] == nil {
			keys = append(keys, f.key())
		}
		cur[f.key()] = append(cur[f.key()], f)
	}
	for _, k := range keys {
		fs, bs := cur[k], byKey[k]
		delete(byKey, k)
		// Pair the nearest lines first.
		type pair struct{ fi, bi, d int }
		var pairs []pair
		for fi, f := range fs {
			for bi, b := range bs {
				pairs = append(pairs, pair{fi, bi, abs(f.Line - b.Line)})
			}
		}
		slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(a.d, b.d) })
		usedF, usedB := map[int]bool{}, map[int]bool{}
		for _, p := range pairs {
			if usedF[p.fi] || usedB[p.bi] {
				continue
			}
			usedF[p.fi], usedB[p.bi] = true, true
			m := bs[p.bi]
			m.Module, m.Line, m.Check = fs[p.fi].Module, fs[p.fi].Line, fs[p.fi].Check
			matched = append(matched, m)
		}
		for fi, f := range fs {
			if !usedF[fi] {
				fresh = append(fresh, f)
			}
		}
		for bi, b := range bs {
			if !usedB[bi] {
				vanished = append(vanished, b)
			}
		}
	}
	for _, bs := range byKey {
		vanished = append(vanished, bs...)
	}
	for _, l := range [][]Finding{matched, fresh, vanished} {
		sortFindings(l)
	}
	return matched, fresh, vanished
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.modPath(), b.modPath()), cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line), cmp.Compare(a.Check, b.Check), cmp.Compare(a.Message, b.Message))
	})
}

// summary prints the counts of the findings of this run per check and
// per rule, and the precision of the rules that are on by default.
func summary(w io.Writer, matched, fresh []Finding) {
	type counts struct{ t, f, u, n int }
	by := map[string]*counts{}
	get := func(c string) *counts {
		if by[c] == nil {
			by[c] = &counts{}
		}
		return by[c]
	}
	add := func(f Finding, fresh bool) {
		keys := []string{f.checkName(), "all"}
		if f.rule() != "" {
			keys = append(keys, f.Check)
		}
		if isDefault(f) {
			keys = append(keys, "default rules")
		}
		for _, k := range keys {
			c := get(k)
			switch {
			case fresh:
				c.n++
			case f.Verdict == "true":
				c.t++
			case f.Verdict == "false":
				c.f++
			default:
				c.u++
			}
		}
	}
	for _, f := range matched {
		add(f, false)
	}
	for _, f := range fresh {
		add(f, true)
	}
	var rows []string
	for c := range by {
		if c != "all" && c != "default rules" {
			rows = append(rows, c)
		}
	}
	slices.Sort(rows) // each check, then its rules
	fmt.Fprintf(w, "\n%-26s %5s %5s %6s %10s %9s\n", "check / rule", "true", "false", "unsure", "untriaged", "precision")
	for _, c := range append(rows, "all", "default rules") {
		n := get(c)
		prec := "-"
		if n.t+n.f > 0 {
			prec = fmt.Sprintf("%.0f%%", 100*float64(n.t)/float64(n.t+n.f))
		}
		label := c
		if check, rule, ok := strings.Cut(c, "."); ok {
			label = "  " + rule
			if !isDefault(Finding{Check: check + "." + rule}) {
				label += " (opt-in)"
			}
		}
		fmt.Fprintf(w, "%-26s %5d %5d %6d %10d %9s\n", label, n.t, n.f, n.u, n.n, prec)
	}
}

// isDefault reports whether f's rule is on by default; a finding of an
// older baseline line, with no rule, counts as on.
func isDefault(f Finding) bool {
	c, ok := passes.Lookup(f.checkName())
	if !ok {
		return false
	}
	if f.rule() == "" {
		return true
	}
	r, ok := c.Rule(f.rule())
	return ok && r.Default
}

const triageHeader = `# asynclint real-code precision baseline, checked by go run ./bench/cmd/precision.
# One finding per line, tab-separated:
#	module@version	file:line	check.rule	verdict	reason	message
# verdict: true (a real pitfall), false (a false positive), unsure (not yet judged).
# Findings match on module path, file, check (not rule) and message; lines may move.
`

func readTriage(file string) ([]Finding, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var fs []Finding
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("%s:%d: want 6 tab-separated fields, got %d", file, i+1, len(f))
		}
		pos, lineStr, ok := strings.Cut(f[1], ":")
		n, err := strconv.Atoi(lineStr)
		if !ok || err != nil {
			return nil, fmt.Errorf("%s:%d: want file:line, got %q", file, i+1, f[1])
		}
		switch f[3] {
		case "true", "false", "unsure":
		default:
			return nil, fmt.Errorf("%s:%d: verdict must be true, false or unsure, got %q", file, i+1, f[3])
		}
		fs = append(fs, Finding{Module: f[0], File: pos, Line: n, Check: f[2], Verdict: f[3], Reason: f[4], Message: f[5]})
	}
	return fs, nil
}

func writeTriage(file string, fs []Finding) error {
	sortFindings(fs)
	var b bytes.Buffer
	b.WriteString(triageHeader)
	for _, f := range fs {
		fmt.Fprintln(&b, f)
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}

// checkRules returns the value of check's rules flag for the -rules
// value v: v itself when it is a keyword, else the rules v names for
// check ("none" when it names none).
func checkRules(v, check string) string {
	if !strings.Contains(v, ".") {
		return v
	}
	var names []string
	for _, r := range strings.Split(v, ",") {
		if c, name, ok := strings.Cut(strings.TrimSpace(r), "."); ok && c == check {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}
