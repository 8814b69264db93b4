package unclosed

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/closes"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
	"github.com/asynclint/asynclint/passes/internal/resources"
)

var Analyzer = &analysis.Analyzer{
	Name:     "unclosed",
	Doc:      lintdoc.Compile(Doc),
	URL:      lintdoc.URL("unclosed"),
	Requires: []*analysis.Analyzer{buildssa.Analyzer, closes.Analyzer, ctrlflow.Analyzer, inspect.Analyzer},
	Run:      report.Guard(run),
}

// extra holds the user's -resources setting; drivers set it once,
// before any package is analysed.
var extra resources.Flag

func init() {
	Rules.AddFlag(Analyzer)
	Analyzer.Flags.Var(&extra, "resources",
		`extra resource types, comma-separated "importpath.Type:Method" (alternatives "Commit|Rollback")`)
}

func run(pass *analysis.Pass) (any, error) {
	set := resources.NewSet(extra.Kinds)
	if !importsAny(pass.Pkg, set) {
		return nil, nil // no resource type can reach this package.
	}
	c := &checker{
		pass:   pass,
		set:    set,
		closes: report.HelperResult[*closes.Result](pass, closes.Analyzer),
		cfgs:   pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		memo:   make(map[memoKey]int),

		leaking: make(map[*ssa.Call]bool),
	}
	for _, fn := range pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
		c.checkFunc(fn)
	}
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c.checkDeferInLoop(inspect)
	c.checkTransportPerRequest(inspect)
	return nil, nil
}

// importsAny reports whether pkg imports, directly or not, a package
// that declares a resource type.
func importsAny(pkg *types.Package, set *resources.Set) bool {
	seen := make(map[*types.Package]bool)
	var visit func(p *types.Package) bool
	visit = func(p *types.Package) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		if set.HasPackage(p.Path()) {
			return true
		}
		return slices.ContainsFunc(p.Imports(), visit)
	}
	return visit(pkg)
}

// A checker holds what checking one package needs.
type checker struct {
	pass   *analysis.Pass
	set    *resources.Set
	closes *closes.Result
	cfgs   *ctrlflow.CFGs
	memo   map[memoKey]int // closure ownership answers: 1 yes, 2 no, 3 in progress

	leaking map[*ssa.Call]bool // whether an acquisition leaks (see leaks)
}

type memoKey struct {
	fn   *ssa.Function
	idx  int // free variable (2k, 2k+1 for its body) or parameter (below zero) index
	kind *resources.Kind
}

// checkFunc checks every acquisition in fn.
func (c *checker) checkFunc(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if acq := c.acquisition(call); acq != nil {
				c.checkAcquisition(acq, b, i)
			}
		}
	}
}
