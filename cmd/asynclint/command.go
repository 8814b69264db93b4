package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/asynclint/asynclint/passes"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

// options are the command line of a standalone run.
type options struct {
	checks        string
	rules         map[string]string // -CHECK.rules values that -checks selects, by check
	format        string
	fix           bool
	diff          bool
	tests         bool
	verbose       bool
	checkFlags    *checkFlags
	explain       string
	list          bool
	baseline      string
	baselineWrite string
	tags          string
	showVersion   bool
	dir           string
	patterns      []string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	opts := new(options)
	fs := flag.NewFlagSet("asynclint", flag.ContinueOnError)
	// Errors are printed once, by runCommand; -help prints the usage.
	fs.SetOutput(io.Discard)
	fs.StringVar(&opts.checks, "checks", "all", "comma-separated checks to run: `list` of names, \"all\", or \"all,-name\" to leave one out; CHECK.RULE turns an opt-in rule on, -CHECK.RULE a rule off (asynclint -explain CHECK lists its rules)")
	fs.StringVar(&opts.format, "f", "text", "output `format`: text, json or sarif")
	fs.BoolVar(&opts.fix, "fix", false, "apply the suggested fixes to the files (gofmt'd, written atomically); a finding with alternative fixes gets none")
	fs.BoolVar(&opts.diff, "diff", false, "print the changes -fix would make as a unified diff, and write nothing")
	fs.BoolVar(&opts.tests, "tests", true, "report findings in _test.go files; false drops them (test files are still analysed, as go vet always does)")
	fs.BoolVar(&opts.verbose, "v", false, "print a progress line on stderr as each package is analysed")
	fs.StringVar(&opts.explain, "explain", "", "print the documentation of `check` and exit")
	fs.BoolVar(&opts.list, "list-checks", false, "list the checks with their titles and exit")
	fs.BoolVar(&opts.list, "list", false, "same as -list-checks")
	fs.StringVar(&opts.baseline, "baseline", "", "report only findings not recorded in this baseline `file`")
	fs.StringVar(&opts.baselineWrite, "baseline-write", "", "record the current findings in this baseline `file` and exit 0")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated build `tags`, as for go build")
	fs.BoolVar(&opts.showVersion, "version", false, "print the version and exit")
	fs.StringVar(&opts.dir, "C", "", "change to `dir` before doing anything else, as go -C does")
	opts.checkFlags = registerCheckFlags(fs)
	fs.Usage = func() {} // the flag package calls it on every error too
	printUsage := func() {
		fs.SetOutput(stderr)
		fmt.Fprintf(stderr, `asynclint reports the concurrency pitfalls of network services.

Usage:
	asynclint [flags] [packages]        (packages as the go command takes them; default ./...)
	asynclint [flags] files.go...       (files, as go vet takes them)
	go vet -vettool=$(which asynclint) [packages]

Exit status: 0 no findings, 1 findings, 2 bad usage, 3 some packages failed
to load (findings in the others are still printed), 4 a check crashed.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage()
		}
		return nil, err
	}
	opts.patterns = fs.Args()
	if len(opts.patterns) == 0 {
		opts.patterns = []string{"./..."}
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		return nil, fmt.Errorf("unknown output format %q: use text, json or sarif", opts.format)
	}
	if opts.diff && (opts.format != "text" || opts.baselineWrite != "") {
		return nil, errors.New("-diff prints a patch on stdout: it cannot be combined with -f json, -f sarif or -baseline-write")
	}
	return opts, nil
}

// runCommand is the standalone asynclint: it returns the exit status.
func runCommand(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		fmt.Fprintf(stderr, "asynclint: %v (asynclint -help lists the flags)\n", err)
		return exitUsage
	}
	switch {
	case opts.showVersion:
		fmt.Fprintf(stdout, "asynclint %s\n", version)
		return exitClean
	case opts.list:
		listChecks(stdout)
		return exitClean
	case opts.explain != "":
		return explain(opts.explain, stdout, stderr)
	}
	if opts.dir != "" {
		if err := os.Chdir(opts.dir); err != nil {
			fmt.Fprintf(stderr, "asynclint: -C: %v\n", err)
			return exitUsage
		}
	}
	checks, rules, err := selectChecks(opts.checks)
	if err == nil {
		checks, err = opts.checkFlags.filter(checks)
	}
	if err != nil {
		fmt.Fprintf(stderr, "asynclint: %v\n", err)
		return exitUsage
	}
	opts.rules = rules
	return analyse(opts, checks, stdout, stderr)
}

func listChecks(w io.Writer) {
	for _, c := range passes.All {
		fmt.Fprintf(w, "%-11s %s\n", c.Name(), c.Title())
	}
}

func explain(name string, stdout, stderr io.Writer) int {
	c, ok := passes.Lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "asynclint: no check named %q; asynclint -list-checks lists them\n", name)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s: %s", name, c.Explain())
	return exitClean
}

// selectChecks interprets -checks: "all", "a,b", "all,-b", and rules by
// CHECK.RULE: "all,loopblock.lock-chan" turns an opt-in rule on,
// "-unclosed.defer-loop" a default one off. It returns the checks and,
// for each check whose rules differ from the default, the value of its
// rules flag.
func selectChecks(spec string) ([]passes.Check, map[string]string, error) {
	enabled := make(map[string]bool)
	rules := make(map[string]string)
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if name, rule, ok := strings.Cut(strings.TrimPrefix(item, "-"), "."); ok {
			c, found := passes.Lookup(name)
			if !found {
				return nil, nil, fmt.Errorf("-checks: no check named %q (asynclint -list-checks lists them)", name)
			}
			if _, found := c.Rule(rule); !found && rule != "all" && rule != "none" {
				return nil, nil, fmt.Errorf("-checks: %s has no rule named %q (asynclint -explain %s lists them)", name, rule, name)
			}
			sign := "+"
			if strings.HasPrefix(item, "-") {
				sign = "-"
			} else {
				enabled[name] = true
			}
			if rule == "all" || rule == "none" {
				if sign == "-" {
					return nil, nil, fmt.Errorf("-checks: %s cannot be turned off; use %s.none or -%s", item, name, name)
				}
				sign = ""
			}
			rules[name] = strings.TrimPrefix(rules[name]+","+sign+rule, ",")
			continue
		}
		switch {
		case item == "":
		case item == "all":
			for _, c := range passes.All {
				enabled[c.Analyzer.Name] = true
			}
		case strings.HasPrefix(item, "-"):
			name := item[1:]
			if _, ok := passes.Lookup(name); !ok {
				return nil, nil, fmt.Errorf("-checks: no check named %q", name)
			}
			delete(enabled, name)
		default:
			if _, ok := passes.Lookup(item); !ok {
				return nil, nil, fmt.Errorf("-checks: no check named %q (asynclint -list-checks lists them)", item)
			}
			enabled[item] = true
		}
	}
	var checks []passes.Check
	for _, c := range passes.All {
		if enabled[c.Analyzer.Name] {
			checks = append(checks, c)
		}
	}
	if len(checks) == 0 {
		return nil, nil, fmt.Errorf("-checks=%s selects no check", spec)
	}
	return checks, rules, nil
}

// analyse runs the checks over the packages and prints the results.
func analyse(opts *options, checks []passes.Check, stdout, stderr io.Writer) int {
	res, err := vet(opts, checks, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "asynclint: %v\n", err)
		return exitUsage
	}
	for _, e := range res.loadErrors {
		fmt.Fprintf(stderr, "asynclint: %s\n", e)
	}
	if opts.fix || opts.diff {
		res.findings = applyFixes(res.findings, res.moduleRoot, opts.diff, stdout, stderr)
		if opts.diff {
			// stdout holds the patch alone; the exit status still
			// tells whether there are findings.
			return exitStatus(res)
		}
	}
	if opts.baselineWrite != "" {
		if err := writeBaseline(opts.baselineWrite, res.findings); err != nil {
			fmt.Fprintf(stderr, "asynclint: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "asynclint: recorded %d findings in %s\n", len(res.findings), opts.baselineWrite)
		return exitClean
	}
	if opts.baseline != "" {
		kept, err := filterBaseline(opts.baseline, res.findings)
		if err != nil {
			fmt.Fprintf(stderr, "asynclint: %v\n", err)
			return exitUsage
		}
		res.findings = kept
	}
	if err := printFindings(opts.format, stdout, res, checks); err != nil {
		fmt.Fprintf(stderr, "asynclint: %v\n", err)
		return exitUsage
	}
	return exitStatus(res)
}

// exitStatus ranks what happened: a crash over a load error over findings.
func exitStatus(res *results) int {
	switch {
	case res.internalErrors > 0:
		return exitInternalError
	case len(res.loadErrors) > 0:
		return exitLoadError
	case len(res.findings) > 0:
		return exitFindings
	}
	return exitClean
}
