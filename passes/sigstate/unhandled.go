package sigstate

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/locks"
)

// checkNeverReceived reports a registration whose channel nobody
// receives from (or whose NotifyContext context is discarded): the
// signals lose their default action and nothing handles them.
func (c *checker) checkNeverReceived(reg *registration) {
	if code.IsCallTo(c.pass.TypesInfo, reg.call, "os/signal.NotifyContext") {
		assign, ok := reg.cur.Parent().Node().(*ast.AssignStmt)
		if ok && len(assign.Lhs) == 2 && isBlank(assign.Lhs[0]) {
			c.pass.Report(analysis.Diagnostic{Pos: assign.Lhs[0].Pos(), Category: "dropped", Message: fmt.Sprintf("the context of signal.NotifyContext is discarded, so the registered signals are caught and dropped: watch ctx.Done() and shut down, or use signal.Ignore if ignoring is intended")})
		}
		return
	}
	name := "a channel made in the call" // signal.Notify(make(chan os.Signal, 1), ...): nobody can receive
	if reg.ch != nil {
		name = reg.ch.Name()
	}
	switch {
	case reg.ch == nil && isMakeChan(c.pass, reg.call.Args[0]) == nil:
		return // a call result or an expression we do not follow.
	case reg.ch != nil && (reg.escapes || len(reg.handlers) > 0):
		return // received or handed on.
	case reg.ch != nil:
		// An unexported field is only reachable from this package; every
		// use of it was followed (an alias or a hand-off escapes).
		if v := reg.ch.(*types.Var); v.Exported() && !isLocal(v) || isLocal(v) && c.makeOf(v) == nil || v.IsField() && !c.fieldMade(v) {
			return // visible to other packages, or made by a caller or out of sight.
		}
	}
	if c.handledElsewhere(reg) {
		return // another registration handles the same signals.
	}
	if !c.trapsTermination(reg) {
		return // swallowing SIGQUIT or SIGUSR1 this way is an idiom (ginkgo's SwallowSigQuit).
	}
	c.pass.Report(analysis.Diagnostic{Pos: reg.call.Args[0].Pos(), Category: "dropped", Message: fmt.Sprintf("signals registered on %s are never received: signal.Notify stops their default action, so they are caught and dropped; receive from it and shut down, or use signal.Ignore if ignoring is intended",
		name)})
}

// handledElsewhere reports whether every signal reg registers is also
// registered, with a handler, by another registration in the same
// function declaration.
func (c *checker) handledElsewhere(reg *registration) bool {
	if len(reg.signals) == 0 {
		return false
	}
	for _, s := range reg.signals {
		if !c.alsoHandled(reg, c.signalNum(s)) {
			return false
		}
	}
	return true
}

// alsoHandled reports whether a registration other than reg, in the
// same function declaration, traps the signal numbered n and is received
// from or handed on.
func (c *checker) alsoHandled(reg *registration, n int64) bool {
	if n < 0 {
		return false
	}
	decl := outerDecl(reg.cur)
	for _, other := range c.regs {
		if other == reg || other.ch != nil && other.ch == reg.ch || len(other.handlers) == 0 && !other.escapes || outerDecl(other.cur) != decl {
			continue
		}
		if len(other.signals) == 0 {
			return true
		}
		for _, s := range other.signals {
			if c.signalNum(s) == n {
				return true
			}
		}
	}
	return false
}

// outerDecl returns the function declaration holding cur, or the root.
func outerDecl(cur inspector.Cursor) inspector.Cursor {
	for decl := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		return decl
	}
	return cur.Inspector().Root()
}

// checkUnhandledSignals reports a registered signal that the only
// handler's closing switch on the signal has no case for.
func (c *checker) checkUnhandledSignals(reg *registration) {
	if len(reg.handlers) != 1 || reg.escapes {
		return // several receivers share the signals.
	}
	sw := c.signalSwitch(reg.handlers[0])
	if sw == nil {
		return
	}
	handled := make(map[int64]bool)
	for _, s := range sw.Body.List {
		cc := s.(*ast.CaseClause)
		if cc.List == nil {
			return // a default case handles the rest.
		}
		for _, e := range cc.List {
			n := c.signalNum(e)
			if n < 0 {
				return // a case we cannot read.
			}
			handled[n] = true
		}
	}
	for _, s := range reg.signals {
		n := c.signalNum(s)
		if _, cannot := uncatchableSignal(c.pass.TypesInfo, s); n >= 0 && !handled[n] && !cannot {
			c.pass.Report(analysis.Diagnostic{
				Category: "dropped",
				Pos:      s.Pos(), End: s.End(),
				Message: types.ExprString(s) + " is registered but the switch on the received signal has no case for it: it is caught and dropped; add a case or stop registering it",
				Related: []analysis.RelatedInformation{{Pos: sw.Pos(), Message: "the switch without a case for it"}},
			})
		}
	}
}

// checkUnwatched reports a handler that cancels a context nobody uses or
// closes a channel nobody receives from: the shutdown it starts reaches
// no goroutine.
func (c *checker) checkUnwatched(h *handler) {
	for _, stmt := range h.body {
		cur, ok := h.fn.FindNode(stmt)
		if !ok {
			continue
		}
		for cc := range cur.Preorder((*ast.CallExpr)(nil)) {
			call := cc.Node().(*ast.CallExpr)
			if b, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Builtin); ok && b.Name() == "close" && len(call.Args) == 1 {
				c.checkUnwatchedClose(call)
				continue
			}
			c.checkUnwatchedCancel(call)
		}
	}
}

// checkUnwatchedClose reports close(ch) when ch is only ever made,
// sent to and closed.
func (c *checker) checkUnwatchedClose(call *ast.CallExpr) {
	ch := objOf(c.pass.TypesInfo, call.Args[0])
	if ch == nil || ch.Exported() && !isLocal(ch) {
		return // unknown, or other packages may receive.
	}
	for _, use := range c.usesOf(ch) {
		if !c.doesNotWatch(use) {
			return
		}
	}
	c.pass.Report(analysis.Diagnostic{Pos: call.Pos(), Category: "unwatched", Message: fmt.Sprintf("signal handler closes %s but no goroutine receives from it: the close stops nothing; select on %s in the workers, or cancel the context they use", ch.Name(), ch.Name())})
}

// doesNotWatch reports whether the use of a channel at cur (possibly
// the Sel of a selector) only makes, sends on or closes it.
func (c *checker) doesNotWatch(cur inspector.Cursor) bool {
	use := cur
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == cur.Node() {
		use = cur.Parent()
	}
	switch p := use.Parent().Node().(type) {
	case *ast.AssignStmt:
		return isLHS(p, use.Node())
	case *ast.SendStmt:
		return p.Chan == use.Node()
	case *ast.CallExpr:
		b, ok := typeutil.Callee(c.pass.TypesInfo, p).(*types.Builtin)
		return ok && (b.Name() == "close" || b.Name() == "len" || b.Name() == "cap")
	}
	return false
}

// checkUnwatchedCancel reports a call of a cancel function whose
// context is discarded at every place it is made.
func (c *checker) checkUnwatchedCancel(call *ast.CallExpr) {
	cancel := objOf(c.pass.TypesInfo, call.Fun)
	if cancel == nil || cancel.Exported() && !isLocal(cancel) {
		return
	}
	var site *ast.AssignStmt
	sites := c.usesOf(cancel)
	if def := c.defIdent(cancel.(*types.Var)); def != nil {
		sites = append(sites, *def)
	}
	for _, use := range sites {
		assign, ctx := c.contextMade(use)
		if assign == nil {
			continue
		}
		if ctx != nil {
			for _, u := range c.usesOf(ctx) {
				if !isAssignTarget(u) {
					return // someone uses the context
				}
			}
		}
		site = assign
	}
	if site == nil {
		return // made elsewhere, or not by context.With*
	}
	c.pass.Report(analysis.Diagnostic{
		Category: "unwatched",
		Pos:      call.Pos(), End: call.End(),
		Message: "signal handler cancels a context that no goroutine watches: it is discarded where it is made; pass it to the workers, or cancel the context they use",
		Related: []analysis.RelatedInformation{{Pos: site.Pos(), Message: "the context is made and discarded here"}},
	})
}

// contextMade returns the assignment at use, a use of a cancel
// function, that stores it from a context.With* call, and the context's
// variable (nil if blank).
func (c *checker) contextMade(use inspector.Cursor) (*ast.AssignStmt, types.Object) {
	node := use
	if sel, ok := use.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == use.Node() {
		node = use.Parent()
	}
	assign, ok := node.Parent().Node().(*ast.AssignStmt)
	if !ok || len(assign.Lhs) != 2 || len(assign.Rhs) != 1 || assign.Lhs[1] != node.Node() {
		return nil, nil
	}
	call, ok := assign.Rhs[0].(*ast.CallExpr)
	if !ok || !knowledge.ReturnsCancel(code.CalleeName(c.pass.TypesInfo, call)) {
		return nil, nil
	}
	if isBlank(assign.Lhs[0]) {
		return assign, nil
	}
	ctx := objOf(c.pass.TypesInfo, assign.Lhs[0])
	if ctx == nil || ctx.Exported() && !isLocal(ctx) {
		return nil, nil // other packages may watch it
	}
	return assign, ctx
}

// isBlank reports whether e is the blank identifier.
func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// takesLock reports whether a lock is taken anywhere under n.
func takesLock(info *types.Info, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && locks.TakesAny(info, call) {
			found = true
		}
		return !found
	})
	return found
}

// fieldMade reports whether the package stores a new channel into the
// field f: x.f = make(chan T, n), or f: make(chan T, n) in a composite
// literal.
func (c *checker) fieldMade(f *types.Var) bool {
	for _, use := range c.usesOf(f) {
		switch p := use.Parent().Node().(type) {
		case *ast.KeyValueExpr:
			if p.Key == use.Node() && isMakeChan(c.pass, p.Value) != nil {
				return true
			}
		case *ast.SelectorExpr:
			if as, ok := use.Parent().Parent().Node().(*ast.AssignStmt); ok && p.Sel == use.Node() && len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if l == p && isMakeChan(c.pass, as.Rhs[i]) != nil {
						return true
					}
				}
			}
		}
	}
	return false
}
