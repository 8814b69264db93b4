package sigstate

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
)

// checkLogOnly reports a handler of a termination signal that runs again
// for every signal and only logs it: SIGTERM is caught and dropped, and
// the process can no longer be stopped politely.
func (c *checker) checkLogOnly(h *handler) {
	if !code.IsCallTo(c.pass.TypesInfo, h.reg.call, "os/signal.Notify") {
		return // a done context stays done: no "next signal" to wait for
	}
	if len(h.reg.handlers) > 1 {
		return // an earlier receive started the shutdown; later ones say "already shutting down" (btcd's interruptListener)
	}
	if !h.loop || !c.endlessLoop(h) || !c.anyTermination(h.signals) {
		return
	}
	if c.logOnly(h.body) && !c.terminationHandledElsewhere(h) {
		does := "only logs"
		if len(h.body) == 0 {
			does = "ignores"
		}
		c.pass.Report(analysis.Diagnostic{
			Category: "dropped",
			Pos:      h.recv.Node().Pos(), End: h.recv.Node().End(),
			Message: "signal handler " + does + " the termination signal and waits for the next: the process can no longer be stopped politely; shut down here (or use signal.Ignore if ignoring is intended)",
		})
		return
	}
	sw := c.signalSwitch(h)
	if sw == nil {
		return
	}
	for _, s := range sw.Body.List {
		cc := s.(*ast.CaseClause)
		if !c.logOnly(cc.Body) {
			continue
		}
		for _, e := range cc.List {
			if name, ok := terminationSignals[c.signalNum(e)]; ok && !c.alsoHandled(h.reg, c.signalNum(e)) {
				c.pass.Report(analysis.Diagnostic{Pos: e.Pos(), Category: "dropped", Message: fmt.Sprintf("signal handler only logs %s and waits for the next: the process can no longer be stopped politely; shut down here (or use signal.Ignore if ignoring is intended)", name)})
			}
		}
	}
}

// terminationSignals are the signals whose default action is to end the
// process politely, so a handler that drops them is a bug.
var terminationSignals = map[int64]string{2: "SIGINT", 15: "SIGTERM"}

// trapsTermination reports whether reg registers SIGINT or SIGTERM
// (registering no signal registers all).
func (c *checker) trapsTermination(reg *registration) bool {
	return c.anyTermination(reg.signals)
}

// anyTermination reports whether the registered signals include SIGINT
// or SIGTERM; nil means every signal.
func (c *checker) anyTermination(signals []ast.Expr) bool {
	if signals == nil {
		return true
	}
	for _, s := range signals {
		if _, ok := terminationSignals[c.signalNum(s)]; ok {
			return true
		}
	}
	return false
}

// terminationHandledElsewhere reports whether each termination signal
// among h's signals is also handled by a registration on another
// channel.
func (c *checker) terminationHandledElsewhere(h *handler) bool {
	if h.signals == nil {
		return false
	}
	for _, s := range h.signals {
		if n := c.signalNum(s); terminationSignals[n] != "" && !c.alsoHandled(h.reg, n) {
			return false
		}
	}
	return true
}

// endlessLoop reports whether the loop around h's receive can only be
// left from its body: for {}, for true {}, or a range over the channel.
func (c *checker) endlessLoop(h *handler) bool {
	for l := range h.recv.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		if f, ok := l.Node().(*ast.ForStmt); ok && f.Cond != nil {
			id, ok := f.Cond.(*ast.Ident)
			return ok && id.Name == "true"
		}
		return true
	}
	return false
}

// logOnly reports whether the statements only log and continue.
func (c *checker) logOnly(stmts []ast.Stmt) bool {
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.EmptyStmt:
		case *ast.BranchStmt:
			if s.Tok != token.CONTINUE || s.Label != nil {
				return false
			}
		case *ast.ExprStmt:
			call, ok := s.X.(*ast.CallExpr)
			if !ok || !isLogCall(c.pass.TypesInfo, call) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// checkExit reports a handler that ends the process with os.Exit or
// log.Fatal without cleaning up first while the function that
// registered it has deferred cleanup: the deferred calls never run.
func (c *checker) checkExit(h *handler) {
	exit := c.exitCall(h.body)
	if exit == nil {
		return
	}
	def, deferrer := c.cleanupDefer(h)
	if def == nil || c.cleansUpFirst(h.body, exit, def) {
		return
	}
	c.pass.Report(analysis.Diagnostic{
		Category: "exit-skips-defer",
		Pos:      exit.Pos(), End: exit.End(),
		Message: fmt.Sprintf("%s in the signal handler skips the deferred %s in %s: the cleanup never runs; return (or cancel a context) to shut down, or run the cleanup before exiting",
			calleeShortName(c.pass.TypesInfo, exit), deferName(c.pass.TypesInfo, def), funcName(deferrer)),
		Related: []analysis.RelatedInformation{{Pos: def.Pos(), Message: "deferred cleanup that os.Exit skips"}},
	})
}

// cleansUpFirst reports whether the handler, before the exit, may run
// the deferred cleanup itself: it calls the deferred function, uses a
// variable the deferred call uses (db.Close(), closeAll(db)), or calls a
// function of this package (which may do either). Other work, such as
// stopping a server or cancelling a context, does not run the deferred
// cleanup.
func (c *checker) cleansUpFirst(stmts []ast.Stmt, exit *ast.CallExpr, def *ast.DeferStmt) bool {
	info := c.pass.TypesInfo
	targets := make(map[types.Object]bool) // the variables and functions the deferred cleanup uses
	ast.Inspect(def.Call, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			switch obj := info.Uses[id].(type) {
			case *types.Var:
				if !obj.IsField() {
					targets[obj] = true
				}
			case *types.Func:
				targets[obj.Origin()] = true
			}
		}
		return true
	})
	found := false
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			if found || n == nil || n.Pos() >= exit.Pos() {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // runs later, if at all
			case *ast.Ident:
				switch obj := info.Uses[n].(type) {
				case *types.Var:
					found = targets[obj]
				case *types.Func:
					found = targets[obj.Origin()]
				}
			case *ast.CallExpr:
				if fn := typeutil.StaticCallee(info, n); fn != nil && fn.Pkg() == c.pass.Pkg {
					found = true // a function of this package may run the cleanup
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// exitCall returns the first call in stmts that ends the process.
func (c *checker) exitCall(stmts []ast.Stmt) *ast.CallExpr {
	var exit *ast.CallExpr
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			if exit != nil {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // runs later, if at all
			case *ast.CallExpr:
				if isExitCall(c.pass.TypesInfo, n) {
					exit = n
				}
			}
			return true
		})
	}
	return exit
}

// cleanupDefer returns a deferred cleanup call, and the function that
// defers it, that may be pending while h runs: in h's own function
// before the receive; in the functions around h's goroutine and in the
// function that registered the signals; in the callers of the function
// declaration holding h (before the call when h runs inline in it).
func (c *checker) cleanupDefer(h *handler) (*ast.DeferStmt, inspector.Cursor) {
	recvPos := h.recv.Node().Pos()
	for fn := range h.recv.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		before := token.NoPos
		if fn == h.fn {
			before = recvPos
		}
		if def := c.cleanupDeferIn(fn, before); def != nil {
			return def, fn
		}
	}
	if fn := h.reg.regFunc; fn.Node() != nil && !fn.Contains(h.recv) {
		if def := c.cleanupDeferIn(fn, token.NoPos); def != nil {
			return def, fn
		}
	}
	decl, ok := outerDecl(h.recv).Node().(*ast.FuncDecl)
	if !ok {
		return nil, inspector.Cursor{}
	}
	inline := h.fn.Node() == decl // h blocks its caller until the signal
	for _, use := range c.usesOf(c.pass.TypesInfo.Defs[decl.Name]) {
		call, ok := use.Parent().Node().(*ast.CallExpr)
		if !ok || ast.Unparen(call.Fun) != use.Node() {
			if sel, ok := use.Parent().Node().(*ast.SelectorExpr); ok {
				call, _ = use.Parent().Parent().Node().(*ast.CallExpr)
				if call == nil || call.Fun != sel {
					continue
				}
			} else {
				continue
			}
		}
		// Started with go, h runs while the caller goes on with its
		// cleanup deferred, as for a function literal started there.
		_, isGo := use.Parent().Parent().Node().(*ast.GoStmt)
		caller := enclosingFunc(use)
		before := token.NoPos
		if inline && !isGo {
			before = call.Pos()
		}
		if def := c.cleanupDeferIn(caller, before); def != nil {
			return def, caller
		}
	}
	return nil, inspector.Cursor{}
}

// cleanupDeferIn returns a deferred cleanup of fn itself (before pos,
// if pos is valid).
func (c *checker) cleanupDeferIn(fn inspector.Cursor, before token.Pos) *ast.DeferStmt {
	if fn.Node() == nil {
		return nil
	}
	for cur := range fn.Preorder((*ast.DeferStmt)(nil)) {
		def := cur.Node().(*ast.DeferStmt)
		if enclosingFunc(cur) != fn {
			continue // another function's defer
		}
		if before.IsValid() && def.Pos() > before {
			continue // not yet deferred when the handler runs
		}
		if c.isCleanup(def.Call) {
			return def
		}
	}
	return nil
}

// isCleanup reports whether call (or the function literal it calls)
// shuts something down, flushes or removes.
func (c *checker) isCleanup(call *ast.CallExpr) bool {
	if lit, ok := call.Fun.(*ast.FuncLit); ok {
		found := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if inner, ok := n.(*ast.CallExpr); ok && !found {
				found = c.isCleanup(inner)
			}
			return !found
		})
		return found
	}
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok {
		return false
	}
	switch fn.Origin().FullName() {
	case "os/signal.Stop", "(*time.Ticker).Stop", "(*time.Timer).Stop", "(*os.File).Close",
		"(net.Conn).Close", "(net.Listener).Close", "(*net.TCPConn).Close", "(*net.UDPConn).Close",
		"(*net.UnixConn).Close", "(*net.TCPListener).Close", "(io.ReadCloser).Close", "(io.Closer).Close":
		return false // nothing is lost when the process ends without them: the kernel closes them
	}
	switch fn.Name() {
	case "Close", "Shutdown", "Flush", "Sync", "Stop", "GracefulStop", "RemoveAll", "Remove", "Cleanup":
		return true
	}
	return false
}

// isExitCall reports whether call ends the process at once, skipping
// deferred calls.
func isExitCall(info *types.Info, call *ast.CallExpr) bool {
	return code.EndOf(info, call) == knowledge.EndsProcess
}

// isLogCall reports whether call only writes a log line or prints.
func isLogCall(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "fmt":
		return strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint")
	case "log":
		return strings.HasPrefix(name, "Print")
	case "log/slog":
		switch name {
		case "Info", "Warn", "Error", "Debug", "Log", "InfoContext", "WarnContext", "ErrorContext", "DebugContext", "LogAttrs":
			return true
		}
		return false
	}
	switch name {
	case "Print", "Printf", "Println", "Info", "Infof", "Infow", "Infoln", "Warn", "Warnf", "Warnw", "Warning", "Warningf",
		"Error", "Errorf", "Errorw", "Debug", "Debugf", "Debugw", "Log", "Logf", "Notice", "Noticef", "Trace", "Tracef":
		return isLoggerMethod(fn)
	}
	return false
}

// isLoggerMethod reports whether fn is a method of a logger: its package
// or receiver type names a log.
func isLoggerMethod(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	path := strings.ToLower(fn.Pkg().Path())
	recv := strings.ToLower(types.TypeString(sig.Recv().Type(), nil))
	return strings.Contains(path, "log") || strings.Contains(path, "zap") || strings.Contains(recv, "log")
}

// calleeShortName names the called function as the source spells it.
func calleeShortName(info *types.Info, call *ast.CallExpr) string {
	if fn, ok := typeutil.Callee(info, call).(*types.Func); ok {
		if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() == nil && fn.Pkg() != nil {
			return fn.Pkg().Name() + "." + fn.Name()
		}
		return fn.Name()
	}
	return "the call"
}

// deferName names the deferred call for a message.
func deferName(info *types.Info, def *ast.DeferStmt) string {
	if _, ok := def.Call.Fun.(*ast.FuncLit); ok {
		return "cleanup function"
	}
	if sel, ok := def.Call.Fun.(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok {
			return id.Name + "." + sel.Sel.Name
		}
		return sel.Sel.Name
	}
	return calleeShortName(info, def.Call)
}

// signalSwitch returns the switch on the received signal that ends h's
// body (following the body into a function of this package it hands the
// signal to), or nil.
func (c *checker) signalSwitch(h *handler) *ast.SwitchStmt {
	body, sig := h.body, h.sig
	if len(body) == 1 {
		if es, ok := body[0].(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok && sig != nil {
				for _, a := range call.Args {
					if objOf(c.pass.TypesInfo, a) != sig {
						continue
					}
					if fn, param := calleeParam(c.pass, call, a); fn != nil {
						if decl, ok := c.funcDecl(fn); ok {
							body, sig = decl.Node().(*ast.FuncDecl).Body.List, param
						}
					}
				}
			}
		}
	}
	if len(body) == 0 {
		return nil
	}
	sw, ok := body[len(body)-1].(*ast.SwitchStmt)
	if !ok || sw.Init != nil || sw.Tag == nil {
		return nil
	}
	if sig != nil && c.testedBefore(body[:len(body)-1], sig) {
		return nil // an earlier statement handles some signals itself
	}
	if sig != nil && objOf(c.pass.TypesInfo, sw.Tag) == sig {
		return sw
	}
	if ast.Unparen(sw.Tag) == h.recv.Node() {
		return sw
	}
	return nil
}

// testedBefore reports whether a statement other than a log call
// mentions the signal variable sig.
func (c *checker) testedBefore(stmts []ast.Stmt, sig types.Object) bool {
	for _, s := range stmts {
		if es, ok := s.(*ast.ExprStmt); ok {
			if call, ok := es.X.(*ast.CallExpr); ok && isLogCall(c.pass.TypesInfo, call) {
				continue
			}
		}
		found := false
		ast.Inspect(s, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == sig {
				found = true
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// signalNum returns the number of the signal e denotes, or -1.
func (c *checker) signalNum(e ast.Expr) int64 {
	if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
		if v, ok := c.pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == "os" {
			switch v.Name() {
			case "Interrupt":
				return 2
			case "Kill":
				return 9
			}
		}
	}
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil || !isSignalType(tv.Type) {
		return -1
	}
	n, ok := constantInt(tv)
	if !ok {
		return -1
	}
	return n
}
