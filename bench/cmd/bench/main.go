// Command bench measures asynclint's speed and memory against go vet and
// staticcheck on the pinned real modules of bench/modules.txt.
//
// Run it from the root of an asynclint checkout:
//
//	go run ./bench/cmd/bench            # all modules, 3 repetitions
//	go run ./bench/cmd/bench -quick     # smoke test: first module, 1 repetition, no cold run
//	go run ./bench/cmd/bench -only raft,nats.go -reps 5
//
// It builds ./cmd/asynclint from the checkout, installs staticcheck at a
// pinned version from the module proxy into a temporary GOBIN, fetches
// every module into a writable tree and then, for each module and each
// repetition, runs every tool once, side by side:
//
//	asynclint        re-analyse: a comment appended to one file of every
//	                 package first, so the module's own packages miss every
//	                 cache while dependencies hit
//	asynclint cold   the same with an empty GOCACHE (wiped before each run)
//	asynclint warm   an immediate re-run, nothing changed
//	vet -vettool     go vet -vettool=asynclint, re-analyse
//	go vet           plain go vet, re-analyse
//	staticcheck      staticcheck -checks all, re-analyse
//	staticcheck cold with empty GOCACHE and staticcheck cache
//
// "asynclint" is the standalone driver (asynclint ./...) when the binary
// has one (it has a -checks flag) and go vet -vettool otherwise.
//
// It prints a table (packages, lines of Go, median wall time and peak
// RSS per tool, ratios) and writes it to bench/RESULTS.md with the date,
// the machine and the versions.
package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/asynclint/asynclint/bench/internal/benchutil"
)

var (
	repoFlag     = flag.String("repo", ".", "root of the asynclint checkout to build and measure")
	modulesFlag  = flag.String("modules", "bench/modules.txt", "pinned module list")
	onlyFlag     = flag.String("only", "", "comma-separated substrings: measure only the modules whose path contains one")
	repsFlag     = flag.Int("reps", 3, "repetitions of each re-analyse and warm run (the median is reported)")
	coldRepsFlag = flag.Int("coldreps", 1, "repetitions of each cold run (0: skip cold runs)")
	quickFlag    = flag.Bool("quick", false, "smoke test: the first module only, 1 repetition, no cold run unless -coldreps is given")
	workFlag     = flag.String("work", filepath.Join(os.TempDir(), "asynclint-bench"), "work directory (modules, caches, logs)")
	outFlag      = flag.String("out", "bench/RESULTS.md", "results file to write (empty: don't write)")
	scFlag       = flag.String("staticcheck", "v0.8.2", "staticcheck version (honnef.co/go/tools) to install")
	modeFlag     = flag.String("mode", "auto", "how to run asynclint: auto, standalone (asynclint ./...) or vettool (go vet -vettool)")
	noteFlag     = flag.String("note", "", "a note to add to RESULTS.md")
	coldFlag     = flag.String("cold", "", "comma-separated substrings: make cold runs only on the modules whose path contains one (default all)")
)

// The tools, in the order they run and appear in the table.
const (
	tAsynclint  = "asynclint"
	tCold       = "asynclint cold"
	tWarm       = "asynclint warm"
	tVettool    = "vet -vettool"
	tVet        = "go vet"
	tStaticchk  = "staticcheck"
	tStaticCold = "staticcheck cold"
)

var toolOrder = []string{tAsynclint, tCold, tWarm, tVettool, tVet, tStaticchk, tStaticCold}

type result struct {
	mod     benchutil.Module
	pkgs    int
	lines   int
	samples map[string][]benchutil.Sample
	err     error
}

type setup struct {
	work, bin, staticcheck string
	standalone             bool
	warmCache, coldCache   string // GOCACHE for warm and cold runs.
	scCache, scColdCache   string // XDG_CACHE_HOME for staticcheck.
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	flag.Parse()
	mods, err := benchutil.ReadList(*modulesFlag)
	if err != nil {
		log.Fatal(err)
	}
	mods = benchutil.Select(mods, *onlyFlag)
	if *quickFlag {
		// A cold run compiles the standard library: minutes. The smoke
		// test skips it unless -coldreps says otherwise.
		coldSet := false
		flag.Visit(func(f *flag.Flag) { coldSet = coldSet || f.Name == "coldreps" })
		mods = mods[:min(1, len(mods))]
		*repsFlag = 1
		if !coldSet {
			*coldRepsFlag = 0
		}
	}
	if len(mods) == 0 {
		log.Fatal("no modules selected")
	}
	repo, err := filepath.Abs(*repoFlag)
	if err != nil {
		log.Fatal(err)
	}
	work, err := filepath.Abs(*workFlag)
	if err != nil {
		log.Fatal(err)
	}
	s := &setup{
		work:        work,
		bin:         filepath.Join(work, "bin", "asynclint"),
		warmCache:   filepath.Join(work, "gocache"),
		coldCache:   filepath.Join(work, "gocache-cold"),
		scCache:     filepath.Join(work, "xdg"),
		scColdCache: filepath.Join(work, "xdg-cold"),
	}
	for _, d := range []string{work, s.warmCache, s.scCache, filepath.Join(work, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			log.Fatal(err)
		}
	}

	version, err := benchutil.BuildAsynclint(repo, s.bin)
	if err != nil {
		log.Fatal(err)
	}
	switch *modeFlag {
	case "auto":
		s.standalone = benchutil.Standalone(s.bin)
	case "standalone":
		s.standalone = true
	case "vettool":
	default:
		log.Fatalf("unknown -mode %q", *modeFlag)
	}
	log.Printf("asynclint %s built from %s (standalone driver: %v)", version, repo, s.standalone)

	s.staticcheck, err = installStaticcheck(work, *scFlag)
	if err != nil {
		log.Fatal(err)
	}
	scVersion, _ := benchutil.Output(work, nil, s.staticcheck, "-version")
	goVersion, _ := benchutil.Output(work, nil, "go", "version")

	var results []*result
	for _, m := range mods {
		log.Printf("%s: fetching", m)
		r := measureModule(s, m)
		if r.err != nil {
			log.Printf("%s: %v", m, r.err)
		}
		results = append(results, r)
		printTable(os.Stdout, results)
		// Write after every module: a long run stopped early keeps
		// what it measured.
		if *outFlag != "" {
			var b bytes.Buffer
			writeResults(&b, s, results, version, strings.TrimSpace(string(scVersion)), strings.TrimSpace(string(goVersion)))
			if err := os.WriteFile(*outFlag, b.Bytes(), 0o644); err != nil {
				log.Fatal(err)
			}
			log.Printf("wrote %s", *outFlag)
		}
	}
}

// installStaticcheck installs staticcheck@version into a temporary GOBIN.
func installStaticcheck(work, version string) (string, error) {
	gobin := filepath.Join(work, "gobin-"+version)
	bin := filepath.Join(gobin, "staticcheck")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	_, err := benchutil.Output(work, benchutil.Env("GOBIN="+gobin, "GOFLAGS=-buildvcs=false"),
		"go", "install", "honnef.co/go/tools/cmd/staticcheck@"+version)
	if err != nil {
		return "", err
	}
	return bin, nil
}

func measureModule(s *setup, m benchutil.Module) *result {
	r := &result{mod: m, samples: map[string][]benchutil.Sample{}}
	env := benchutil.Env("GOCACHE="+s.warmCache, "XDG_CACHE_HOME="+s.scCache)
	dir, err := benchutil.Fetch(m, s.work, env)
	if err != nil {
		r.err = err
		return r
	}
	pkgs, err := benchutil.ListPackages(dir, env)
	if err != nil {
		r.err = err
		return r
	}
	r.pkgs = len(pkgs)
	if r.lines, err = benchutil.CountLines(pkgs); err != nil {
		r.err = err
		return r
	}
	logDir := filepath.Join(s.work, "logs", m.Name())
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		r.err = err
		return r
	}

	asynclint := []string{"go", "vet", "-vettool=" + s.bin, "./..."}
	if s.standalone {
		asynclint = []string{s.bin, "./..."}
	}
	vettool := []string{"go", "vet", "-vettool=" + s.bin, "./..."}
	govet := []string{"go", "vet", "./..."}
	staticcheck := []string{s.staticcheck, "-checks", "all", "./..."}
	coldEnv := benchutil.Env("GOCACHE="+s.coldCache, "XDG_CACHE_HOME="+s.scColdCache)

	// Fill the dependency caches first, untimed.
	log.Printf("%s: %d packages, %d lines; warming the dependency caches", m, r.pkgs, r.lines)
	for _, c := range [][]string{govet, vettool, staticcheck} {
		if _, err := benchutil.Measure(dir, env, io.Discard, c[0], c[1:]...); err != nil {
			r.err = err
			return r
		}
	}

	// The stamps differ across invocations too: a second invocation on the
	// same work directory must not recreate byte-identical files that go
	// vet and staticcheck answer from their caches.
	invocation := time.Now().UnixNano()
	stamp := 0
	run := func(tool string, rep int, env []string, touch bool, argv []string) {
		if touch {
			stamp++
			if err := benchutil.Touch(pkgs, fmt.Sprintf("%d-%d", invocation, stamp)); err != nil {
				r.err = err
				return
			}
		}
		f, err := os.Create(filepath.Join(logDir, fmt.Sprintf("%s-%d.log", strings.ReplaceAll(tool, " ", "-"), rep)))
		if err != nil {
			r.err = err
			return
		}
		defer f.Close()
		fmt.Fprintf(f, "$ %s\n", strings.Join(argv, " "))
		sm, err := benchutil.Measure(dir, env, f, argv[0], argv[1:]...)
		if err != nil {
			r.err = err
			return
		}
		fmt.Fprintf(f, "# exit %d, %v, max RSS %d MiB\n", sm.ExitCode, sm.Wall, sm.MaxRSS>>20)
		r.samples[tool] = append(r.samples[tool], sm)
		log.Printf("%s: %-16s rep %d: %6.2fs %5d MiB (exit %d)", m, tool, rep, sm.Wall.Seconds(), sm.MaxRSS>>20, sm.ExitCode)
	}
	coldReps := *coldRepsFlag
	if len(benchutil.Select([]benchutil.Module{m}, *coldFlag)) == 0 {
		coldReps = 0
	}
	for rep := 1; rep <= max(*repsFlag, coldReps); rep++ {
		if rep <= *repsFlag {
			run(tAsynclint, rep, env, true, asynclint)
			run(tWarm, rep, env, false, asynclint)
			run(tVettool, rep, env, true, vettool)
			run(tVet, rep, env, true, govet)
			run(tStaticchk, rep, env, true, staticcheck)
		}
		if rep <= coldReps {
			for _, d := range []string{s.coldCache, s.scColdCache} {
				if err := os.RemoveAll(d); err != nil {
					r.err = err
					return r
				}
			}
			run(tCold, rep, coldEnv, true, asynclint)
			for _, d := range []string{s.coldCache, s.scColdCache} {
				if err := os.RemoveAll(d); err != nil {
					r.err = err
					return r
				}
			}
			run(tStaticCold, rep, coldEnv, true, staticcheck)
		}
		if r.err != nil {
			return r
		}
	}
	return r
}

// median returns the median sample by wall time and the largest peak
// RSS of all samples.
func median(ss []benchutil.Sample) (time.Duration, int64, bool) {
	if len(ss) == 0 {
		return 0, 0, false
	}
	walls := make([]time.Duration, len(ss))
	var rss int64
	for i, s := range ss {
		walls[i] = s.Wall
		rss = max(rss, s.MaxRSS)
	}
	slices.Sort(walls)
	med := walls[len(walls)/2]
	if len(walls)%2 == 0 {
		med = (walls[len(walls)/2-1] + walls[len(walls)/2]) / 2
	}
	return med, rss, true
}

func cell(ss []benchutil.Sample) string {
	w, rss, ok := median(ss)
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.2fs %dM", w.Seconds(), rss>>20)
}

func ratio(a, b []benchutil.Sample) string {
	wa, _, oka := median(a)
	wb, _, okb := median(b)
	if !oka || !okb || wb == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", wa.Seconds()/wb.Seconds())
}

func rssRatio(a, b []benchutil.Sample) string {
	_, ra, oka := median(a)
	_, rb, okb := median(b)
	if !oka || !okb || rb == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", float64(ra)/float64(rb))
}

var header = []string{"module", "pkgs", "lines"}
var ratioHeader = []string{"asynclint/go vet", "asynclint/staticcheck", "cold/staticcheck cold", "vettool/go vet", "RSS asynclint/staticcheck"}

func row(r *result) []string {
	cells := []string{r.mod.String(), fmt.Sprint(r.pkgs), fmt.Sprint(r.lines)}
	for _, t := range toolOrder {
		cells = append(cells, cell(r.samples[t]))
	}
	ss := r.samples
	return append(cells,
		ratio(ss[tAsynclint], ss[tVet]),
		ratio(ss[tAsynclint], ss[tStaticchk]),
		ratio(ss[tCold], ss[tStaticCold]),
		ratio(ss[tVettool], ss[tVet]),
		rssRatio(ss[tAsynclint], ss[tStaticchk]))
}

func printTable(w io.Writer, results []*result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(slices.Concat(header, toolOrder, ratioHeader), "\t"))
	for _, r := range results {
		fmt.Fprintln(tw, strings.Join(row(r), "\t"))
	}
	tw.Flush()
}

func markdownTable(w io.Writer, results []*result) {
	cols := slices.Concat(header, toolOrder, ratioHeader)
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	for _, r := range results {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row(r), " | "))
	}
}

func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := "unknown memory"
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(data), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return fmt.Sprintf("%d cores (%s), %s, %s/%s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH)
}

func writeResults(w io.Writer, s *setup, results []*result, version, scVersion, goVersion string) {
	mode := "go vet -vettool=asynclint ./... (the binary has no standalone driver yet)"
	if s.standalone {
		mode = "asynclint ./... (standalone driver)"
	}
	fmt.Fprintf(w, "# asynclint benchmark results\n\n")
	fmt.Fprintf(w, "Written by `go run ./bench/cmd/bench %s` on %s.\n\n", strings.Join(os.Args[1:], " "), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- machine: %s\n", machine())
	fmt.Fprintf(w, "- asynclint: %s, run as %s\n", version, mode)
	fmt.Fprintf(w, "- %s; staticcheck %s (honnef.co/go/tools@%s)\n", goVersion, scVersion, *scFlag)
	fmt.Fprintf(w, "- repetitions: %d re-analyse/warm, %d cold (cold runs on: %s); cells are the median wall time and the largest peak RSS over the repetitions\n", *repsFlag, *coldRepsFlag, cmp.Or(*coldFlag, "all modules"))
	if *noteFlag != "" {
		fmt.Fprintf(w, "- note: %s\n", *noteFlag)
	}
	fmt.Fprintf(w, "\n")
	markdownTable(w, results)
	fmt.Fprintf(w, `
How to read it:

- Every run except "warm" first appends a comment to one file of every package of the
  module, so every tool re-analyses all of the module's packages while dependencies hit the
  caches (GOCACHE for go vet and asynclint, staticcheck's own cache for staticcheck).
- "cold" runs start from an empty GOCACHE (and, for staticcheck, an empty staticcheck
  cache): they compile or type-check every dependency, the standard library included.
- "warm" re-runs asynclint immediately, nothing changed: the go command's vet cache answers.
- Peak RSS is the largest single process of the run (wait4 rusage, as /usr/bin/time -v
  reports it), not the sum over the processes go vet runs in parallel.
- The machine is shared with other jobs: absolute times are noisy; the ratios, measured side
  by side in one run with the tools interleaved, are what matter.
- When the binary has no standalone driver, "asynclint" and "vet -vettool" run the same
  command; their difference is the noise of the machine.
- Per-check costs on generated inputs of growing size: CHECKS.md.
`)
	fmt.Fprintf(w, "\nSamples (wall seconds / peak MiB / exit code):\n\n")
	for _, r := range results {
		if r.err != nil {
			fmt.Fprintf(w, "- %s: error: %v\n", r.mod, strings.ReplaceAll(r.err.Error(), "\n", " "))
		}
		for _, t := range toolOrder {
			var cells []string
			for _, sm := range r.samples[t] {
				cells = append(cells, fmt.Sprintf("%.2f/%d/%d", sm.Wall.Seconds(), sm.MaxRSS>>20, sm.ExitCode))
			}
			if len(cells) > 0 {
				fmt.Fprintf(w, "- %s, %s: %s\n", r.mod, t, strings.Join(cells, " "))
			}
		}
	}
}
