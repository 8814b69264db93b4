package sigstate

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/asynclint/asynclint/passes/internal/assigns"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Analyzer reports signal handlers whose effect never reaches the
// goroutines that must stop, and signal registrations that cannot work.
var Analyzer = &analysis.Analyzer{
	Name:     "sigstate",
	Doc:      lintdoc.Compile(Doc),
	URL:      lintdoc.URL("sigstate"),
	Requires: []*analysis.Analyzer{inspect.Analyzer, assigns.Analyzer},
	Run:      report.Guard(run),
}

func init() { Rules.AddFlag(Analyzer) }

func run(pass *analysis.Pass) (any, error) {
	if !code.Imports(pass, "os/signal") {
		return nil, nil // no signal handling here.
	}
	c := &checker{
		pass:     pass,
		insp:     pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
		assigns:  report.HelperResult[*assigns.Index](pass, assigns.Analyzer),
		reported: make(map[ast.Node]bool),
	}
	c.regs = c.registrations()
	seen := make(map[ast.Node]bool) // receives already checked
	for _, reg := range c.regs {
		c.checkRegistration(reg)
		for _, h := range reg.handlers {
			if seen[h.recv.Node()] {
				continue // one channel, several Notify calls: check its handler once
			}
			seen[h.recv.Node()] = true
			h.signals = c.sameChannelSignals(h)
			c.checkHandler(h)
		}
	}
	return nil, nil
}

// checkRegistration applies the rules about one signal.Notify or
// signal.NotifyContext call.
func (c *checker) checkRegistration(reg *registration) {
	if code.IsCallTo(c.pass.TypesInfo, reg.call, "os/signal.Notify") {
		c.checkNotifyChannel(reg.call)
	}
	checkUncatchable(c.pass, reg.call)
	c.checkNeverReceived(reg)
	c.checkUnhandledSignals(reg)
}

// checkHandler applies the rules about the code that runs after a
// signal is received. checkCopy runs before checkRace: a write to a copy
// is reported as such, not also as a race.
func (c *checker) checkHandler(h *handler) {
	c.checkShadow(h)
	c.checkCopy(h)
	c.checkCopyCallee(h)
	c.checkRace(h)
	c.checkReadRace(h)
	c.checkUnwatched(h)
	c.checkLogOnly(h)
	c.checkExit(h)
}

// A checker holds what one run over a package shares between the rules.
type checker struct {
	pass     *analysis.Pass
	insp     *inspector.Inspector
	assigns  *assigns.Index
	uses     map[types.Object][]inspector.Cursor // built on first use
	reported map[ast.Node]bool                   // statements already reported by an earlier rule
	regs     []*registration                     // every registration of the package
	goFuncs  map[any]bool                        // literals and functions started by go statements; built on first use
}

// usesOf returns the identifiers that use obj, in source order.
func (c *checker) usesOf(obj types.Object) []inspector.Cursor {
	if c.uses == nil {
		c.uses = make(map[types.Object][]inspector.Cursor)
		for cur := range c.insp.Root().Preorder((*ast.Ident)(nil)) {
			if obj := c.pass.TypesInfo.Uses[cur.Node().(*ast.Ident)]; obj != nil {
				c.uses[obj] = append(c.uses[obj], cur)
			}
		}
	}
	return c.uses[obj]
}

// checkNotifyChannel reports signal.Notify(ch, ...) where ch is made
// unbuffered in the same function.
func (c *checker) checkNotifyChannel(call *ast.CallExpr) {
	id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok {
		return // a field or call result: its make site is out of sight.
	}
	obj := c.pass.TypesInfo.Uses[id]
	if obj == nil {
		return // missing type information.
	}
	mk := c.makeOf(obj)
	if mk == nil || len(mk.Args) > 1 {
		return // not made here, or made with a capacity.
	}
	c.pass.Report(analysis.Diagnostic{
		Category: "unbuffered",
		Pos:      call.Args[0].Pos(), End: call.Args[0].End(),
		Message: "signal.Notify with unbuffered channel " + id.Name + " drops a signal that arrives while nobody receives: make it with capacity 1",
		SuggestedFixes: []analysis.SuggestedFix{{
			Message: "Give the channel capacity 1",
			TextEdits: []analysis.TextEdit{{
				Pos: mk.Rparen, End: mk.Rparen, NewText: []byte(", 1"),
			}},
		}},
	})
}

// makeOf returns the make(chan T) call that initialises obj, if obj is
// a variable defined by one.
func (c *checker) makeOf(obj types.Object) *ast.CallExpr {
	init := c.assigns.InitialValue(obj)
	if init == nil {
		return nil
	}
	return isMakeChan(c.pass, init)
}

func isMakeChan(pass *analysis.Pass, e ast.Expr) *ast.CallExpr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil
	}
	if b, ok := pass.TypesInfo.Uses[code.IdentOf(call.Fun)].(*types.Builtin); !ok || b.Name() != "make" {
		return nil
	}
	return call
}

// checkUncatchable reports os.Kill, syscall.SIGKILL and syscall.SIGSTOP
// (and x/sys/unix's) passed to signal.Notify. They are told by object,
// not by number, which differs between operating systems.
func checkUncatchable(pass *analysis.Pass, call *ast.CallExpr) {
	for _, arg := range call.Args[1:] {
		if isOSKill(pass, arg) {
			pass.Report(analysis.Diagnostic{Pos: arg.Pos(), Category: "untrappable", Message: fmt.Sprintf("os.Kill (SIGKILL) cannot be trapped: signal.Notify has no effect for it (did you mean syscall.SIGTERM?)")})
			continue
		}
		name, ok := uncatchableSignal(pass.TypesInfo, arg)
		if !ok {
			continue
		}
		pass.Report(analysis.Diagnostic{Pos: arg.Pos(), Category: "untrappable", Message: fmt.Sprintf("%s cannot be trapped: signal.Notify has no effect for it (did you mean syscall.SIGTERM?)", name)})
	}
}

// uncatchableSignal reports whether e names a signal that cannot be
// trapped (see knowledge.UncatchableSignal), and which.
func uncatchableSignal(info *types.Info, e ast.Expr) (string, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return knowledge.UncatchableSignal(info.Uses[e])
	case *ast.SelectorExpr:
		return knowledge.UncatchableSignal(info.Uses[e.Sel])
	}
	return "", false
}

// isSignalType reports whether t is syscall.Signal (which
// golang.org/x/sys/unix.Signal aliases).
func isSignalType(t types.Type) bool {
	return code.IsNamedType(t, "syscall", "Signal")
}

// constantInt returns the value of an integer constant expression.
func constantInt(tv types.TypeAndValue) (int64, bool) {
	if tv.Value == nil || tv.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(tv.Value)
}

// isOSKill reports whether e names the variable os.Kill.
func isOSKill(pass *analysis.Pass, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "os" && v.Name() == "Kill"
}
