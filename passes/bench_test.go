//go:build unix

package passes_test

import (
	"go/ast"
	"go/types"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/packages"

	"github.com/asynclint/asynclint/internal/benchgen"
	"github.com/asynclint/asynclint/passes"
)

// maxIteration bounds one analysis of one input: no input may make a
// check run for minutes.
const maxIteration = time.Minute

// BenchmarkChecks runs every check of passes.All, all of them together,
// and the helper analyzers they share (inspect, ctrlflow, buildssa, for
// reference) on the generated inputs of benchgen.Inputs: one function of
// 1k/10k/50k statements, packages of 100/1,000/5,000 functions, call
// chains of depth 100/1,000/5,000 in a package and 10/50/250 across
// packages. Run it with
//
//	go test -run '^$' -bench Checks -benchtime 3x ./passes/
//
// Beside ns/op (the whole analysis, dependencies included) it reports
// input-ms (the time of the actions on the generated packages only: the
// standard library, loaded from export data, costs the same at every
// size), ns/stmt or ns/link (input-ms per statement or chain link, flat
// when the cost grows linearly) and cpu-ms (process CPU time per
// analysis, garbage collection included, steadier than wall time on a
// shared machine). The inputs are generated, and loaded once, when the
// benchmark starts; plain go test never does it.
func BenchmarkChecks(b *testing.B) {
	dir := b.TempDir()
	ins := benchgen.Inputs()
	if err := benchgen.Write(dir, ins); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	pkgs, err := packages.Load(&packages.Config{
		Mode:  packages.LoadSyntax,
		Dir:   dir,
		Env:   append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod"),
		Tests: false,
	}, "./...")
	if err != nil {
		b.Fatal(err)
	}
	byPath := map[string]*packages.Package{}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			b.Fatalf("generated package %s: %v", p.PkgPath, p.Errors[0])
		}
		byPath[p.PkgPath] = p
	}
	// The standard library comes from export data, without syntax, as
	// drivers like go vet do not compute facts for it; analyzers that
	// run on dependencies for facts (ctrlflow) need a non-nil TypesInfo.
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if p.TypesInfo == nil {
			p.TypesInfo = &types.Info{
				Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
				Uses: map[*ast.Ident]types.Object{}, Implicits: map[ast.Node]types.Object{},
				Selections: map[*ast.SelectorExpr]*types.Selection{}, Scopes: map[ast.Node]*types.Scope{},
				Instances: map[*ast.Ident]types.Instance{}, FileVersions: map[*ast.File]string{},
			}
		}
		if p.TypesSizes == nil {
			p.TypesSizes = types.SizesFor("gc", runtime.GOARCH)
		}
	})
	b.Logf("generated and loaded %d packages in %v", len(pkgs), time.Since(start))

	analyzers := []struct {
		name string
		as   []*analysis.Analyzer
	}{
		{"inspect", []*analysis.Analyzer{inspect.Analyzer}},
		{"ctrlflow", []*analysis.Analyzer{ctrlflow.Analyzer}},
		{"buildssa", []*analysis.Analyzer{buildssa.Analyzer}},
	}
	for _, c := range passes.All {
		analyzers = append(analyzers, struct {
			name string
			as   []*analysis.Analyzer
		}{c.Analyzer.Name, []*analysis.Analyzer{c.Analyzer}})
	}
	analyzers = append(analyzers, struct {
		name string
		as   []*analysis.Analyzer
	}{"all", passes.Analyzers()})

	for _, a := range analyzers {
		for _, in := range ins {
			root := byPath[in.Pkg()]
			if root == nil {
				b.Fatalf("input %s not loaded", in.Pkg())
			}
			size, unit := float64(countStmts(root)), "ns/stmt"
			if in.Kind == "chain" || in.Kind == "xchain" {
				size, unit = float64(in.N), "ns/link"
			}
			b.Run(a.name+"/"+in.Name, func(b *testing.B) {
				runtime.GC() // the previous input's garbage is not this one's cost.
				b.ReportAllocs()
				var own, cpu time.Duration
				for b.Loop() {
					t0, c0 := time.Now(), cpuTime()
					g, err := checker.Analyze(a.as, []*packages.Package{root}, &checker.Options{Sequential: true})
					if err != nil {
						b.Fatal(err)
					}
					cpu += cpuTime() - c0
					if d := time.Since(t0); d > maxIteration {
						b.Errorf("%s on %s took %v, more than %v", a.name, in.Name, d, maxIteration)
					}
					for act := range g.All() {
						if act.Err != nil {
							b.Fatalf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
						}
						if strings.HasPrefix(act.Package.PkgPath, benchgen.Module+"/") {
							own += act.Duration
						}
					}
				}
				perOp := float64(own.Nanoseconds()) / float64(b.N)
				b.ReportMetric(perOp/1e6, "input-ms")
				b.ReportMetric(perOp/size, unit)
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1e6, "cpu-ms")
			})
		}
	}
}

// countStmts counts the statements of the input's root package (block
// statements excluded); the chains are sized by their depth instead.
func countStmts(p *packages.Package) int {
	n := 0
	for _, f := range p.Syntax {
		ast.Inspect(f, func(node ast.Node) bool {
			if _, ok := node.(ast.Stmt); ok {
				if _, block := node.(*ast.BlockStmt); !block {
					n++
				}
			}
			return true
		})
	}
	return max(n, 1)
}

// cpuTime returns the CPU time (user and system, garbage collection
// included) the process has used: on a shared machine it varies less
// than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
