package unjoined

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/asynclint/asynclint/passes/internal/assigns"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/chanflow"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:     "unjoined",
	Doc:      lintdoc.Compile(Doc),
	URL:      lintdoc.URL("unjoined"),
	Requires: []*analysis.Analyzer{inspect.Analyzer, buildssa.Analyzer, chanflow.Analyzer, assigns.Analyzer, index.Analyzer},
	Run:      report.Guard(run),
}

// checker holds what one run needs.
type checker struct {
	pass    *analysis.Pass
	pkg     *ssa.Package
	chans   *chanflow.Result
	assigns *assigns.Index
	read    map[*ssa.Function]bool // goroutine bodies already checked
	funcs   []*ssa.Function
	// silent caches silentFields; nil until first asked.
	silent map[*types.Var]bool
	// once holds the functions of package main that run once per
	// process (onceFuncs).
	once map[*ssa.Function]bool
	// helpers caches helperStops.
	helpers map[*ssa.Function]stopKind
	// callees resolves calls of func fields and interface methods to
	// the package's functions; nil until first asked.
	callees *code.Callees
}

// silentFields returns the package's silent channel fields (computed once).
func (c *checker) silentFields() map[*types.Var]bool {
	if c.silent == nil {
		c.silent = silentFields(c.pkg, c.funcs)
	}
	return c.silent
}

func init() { Rules.AddFlag(Analyzer) }

func run(pass *analysis.Pass) (any, error) {
	prog := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	if prog.Pkg == nil {
		return nil, nil // nothing was built.
	}
	c := &checker{
		pass:    pass,
		pkg:     prog.Pkg,
		chans:   report.HelperResult[*chanflow.Result](pass, chanflow.Analyzer),
		assigns: report.HelperResult[*assigns.Index](pass, assigns.Analyzer),
		read:    make(map[*ssa.Function]bool),
		helpers: make(map[*ssa.Function]stopKind),
		funcs:   allFuncs(prog),
	}
	c.once = onceFuncs(c.pkg, c.funcs)
	for _, fn := range prog.SrcFuncs {
		if !c.mayLeak(fn) {
			continue
		}
		groups := c.checkGroups(fn)
		c.checkChannels(fn, groups)
		c.checkGoroutines(fn)
	}
	// These rules cost a walk of their own: they run only when on.
	if Rules.Enabled("no-partner") {
		c.checkNoPartner()
	}
	c.checkWaits()
	return nil, nil
}

// mayLeak reports whether a goroutine started in fn can outlive something
// that matters: not in main, init or TestMain, whose goroutines end with
// the process, nor in a function of package main that only they call,
// once (onceFuncs). Tests are checked: a leak there slows or hangs the
// suite.
func (c *checker) mayLeak(fn *ssa.Function) bool {
	if fn.Blocks == nil || !fn.Pos().IsValid() {
		return false // no body, or synthetic.
	}
	root := rootOf(fn)
	switch {
	case root.Synthetic != "":
		return false
	case c.once[root]:
		return false // runs once per process: its goroutines live with it.
	case root.Signature.Recv() != nil:
		return true
	case root.Name() == "main" && c.pkg.Pkg.Name() == "main",
		root.Name() == "TestMain",
		root.Name() == "init", strings.HasPrefix(root.Name(), "init#"): // go/ssa names func init() "init#1"
		return false
	}
	return true
}

// allFuncs returns the package's source functions and, unlike SrcFuncs,
// the function literals of package-level variable initializers (test
// suites built with Describe(..., func() {...}) live there).
func allFuncs(prog *buildssa.SSA) []*ssa.Function {
	funcs := prog.SrcFuncs
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		for _, anon := range fn.AnonFuncs {
			funcs = append(funcs, anon)
			add(anon)
		}
	}
	if init := prog.Pkg.Func("init"); init != nil {
		funcs = append(funcs[:len(funcs):len(funcs)], init)
		add(init)
	}
	return funcs
}

// rootOf returns the named function that encloses fn.
func rootOf(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// displayName names fn in a message.
func (c *checker) displayName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the enclosing func literal"
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := types.TypeString(recv.Type(), types.RelativeTo(c.pass.Pkg))
		if strings.HasPrefix(t, "*") {
			t = "(" + t + ")"
		}
		return t + "." + fn.Name()
	}
	return fn.Name()
}

// threads groups the uses of a flow by the goroutine they run in.
func threads(f *flow) map[ssa.Instruction][]use {
	m := make(map[ssa.Instruction][]use)
	for _, u := range f.uses {
		if u.thread != nil {
			m[u.thread] = append(m[u.thread], u)
		}
	}
	return m
}

// spawnOrder returns the goroutines of m in the order they are started.
func spawnOrder(m map[ssa.Instruction][]use) []ssa.Instruction {
	var order []ssa.Instruction
	for t := range m {
		order = append(order, t)
	}
	sortByPos(order)
	return order
}

func sortByPos(instrs []ssa.Instruction) {
	for i := 1; i < len(instrs); i++ {
		for j := i; j > 0 && instrs[j].Pos() < instrs[j-1].Pos(); j-- {
			instrs[j], instrs[j-1] = instrs[j-1], instrs[j]
		}
	}
}

// makeSite returns the make call at lparen and the name it is assigned
// to ("" when it is not assigned to a variable or field).
func (c *checker) makeSite(lparen token.Pos) (*ast.CallExpr, string) {
	site, ok := c.assigns.CallAt(lparen)
	if !ok {
		return nil, "" // no call there: synthesized by SSA
	}
	if site.Target == nil {
		return site.Expr, ""
	}
	return site.Expr, types.ExprString(site.Target)
}
