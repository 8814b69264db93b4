package blocking

// This file knows when a wait is the join of a shutdown and so bounded
// by it: a WaitGroup.Wait or a receive from a done channel (a chan
// struct{}) that follows a stop signal, a wait for goroutines started on
// the spot that do not block themselves, a receive from or range over a
// channel that the function has already closed.
//
// A stop signal is close(ch), a call of a context.CancelFunc or
// CancelCauseFunc, a call of the stop function that context.AfterFunc
// returns, the Close of a connection, listener or other reader (the
// goroutine reading it gets an error at once: sarama's
// Broker.closeLocked), or a call of a function that does one of these to
// a channel, context or reader it did not make itself (the Stops fact:
// nats-server's consumer.signalMonitorQuit closes o.mqch; river's
// BaseStartStop.StopInit cancels s.cancelFunc).
//
// A done channel is a chan struct{}, or a channel the package closes and
// never sends on (sarama's Broker.done, a chan bool).

import (
	"go/ast"
	"go/token"
	"go/types"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// Stops is the fact exported on a function that tells goroutines to
// stop: it closes a channel or cancels a context that it did not make,
// directly or through a call (deferred ones included: they have run when
// it returns).
type Stops struct {
	What string // the signal: "close of o.mqch", "call of s.cancelFunc"
}

func (*Stops) AFact() {}

func (f *Stops) String() string { return "stops: " + f.What }

// stopResults lists the standard-library functions whose result is a
// function that, called, stops something: the index of that result.
var stopResults = map[string]int{
	"context.AfterFunc": 0, // stop func() bool: unregisters, or reports the callback started
}

// Stops reports whether fn tells goroutines to stop, and how.
func (r *Result) Stops(fn *types.Func) (string, bool) {
	if r == nil || fn == nil {
		return "", false
	}
	what, ok := r.stops[fn.Origin()]
	return what, ok
}

// importStops records the Stops fact of fn, a function of another package
// that this package calls.
func importStops(pass *analysis.Pass, r *Result, fn *types.Func) {
	if _, done := r.stops[fn]; done {
		return
	}
	var fact Stops
	if pass.ImportObjectFact(fn, &fact) {
		r.stops[fn] = fact.What
	}
}

// computeStops finds the package's functions that stop goroutines, to a
// fixed point over static calls, and exports their Stops facts. It runs
// before the scanners, which count a call of such a function as a stop.
func computeStops(pass *analysis.Pass, r *Result, decls []decl) {
	r.index()
	calls := make([][]*types.Func, len(decls))
	for i, d := range decls {
		if what := r.directStop(pass.TypesInfo, d.body); what != "" {
			r.stops[d.fn] = what
			continue
		}
		inspectHere(pass.TypesInfo, d.body, func(n ast.Node) {
			if call, ok := n.(*ast.CallExpr); ok {
				if fn := typeutil.StaticCallee(pass.TypesInfo, call); fn != nil {
					calls[i] = append(calls[i], fn.Origin())
				}
			}
		})
	}
	for changed := true; changed; {
		changed = false
		for i, d := range decls {
			if _, done := r.stops[d.fn]; done {
				continue
			}
			for _, fn := range calls[i] {
				if _, ok := r.stops[fn]; ok {
					r.stops[d.fn] = "call of " + FuncName(fn)
					changed = true
					break
				}
			}
		}
	}
	for _, d := range decls {
		if what, ok := r.stops[d.fn]; ok {
			pass.ExportObjectFact(d.fn, &Stops{What: what})
		}
	}
}

// directStop returns the first stop signal of body that reaches beyond
// it: a close or a cancel of a channel or context that body did not
// make (closing a channel it made and returns is a generator's end, and
// the deferred cancel of its own context is cleanup).
func (r *Result) directStop(info *types.Info, body *ast.BlockStmt) string {
	what := ""
	inspectHere(info, body, func(n ast.Node) {
		call, ok := n.(*ast.CallExpr)
		if !ok || what != "" {
			return
		}
		var target ast.Expr
		if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok {
			if b.Name() != "close" || len(call.Args) != 1 {
				return
			}
			target = call.Args[0]
		} else if r.isSignal(info, call) {
			target = call.Fun
		} else if x := readerClosed(info, call); x != nil {
			target = x
		} else {
			return
		}
		if root := code.RootIdent(target); root != nil {
			if obj := info.ObjectOf(root); obj != nil && obj.Pos() >= body.Pos() && obj.Pos() < body.End() {
				return // made here.
			}
		}
		if target == call.Fun {
			what = "call of " + exprString(target)
		} else {
			what = "close of " + exprString(target)
		}
	})
	return what
}

// isSignal reports whether call calls a cancel function: a
// context.CancelFunc or CancelCauseFunc, or a variable or field holding
// the stop function of context.AfterFunc and nothing else.
func (r *Result) isSignal(info *types.Info, call *ast.CallExpr) bool {
	t := info.TypeOf(call.Fun)
	if code.IsNamedType(t, "context", "CancelFunc") || code.IsNamedType(t, "context", "CancelCauseFunc") {
		return true
	}
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return r.stopFuncs[info.Uses[fun]]
	case *ast.SelectorExpr:
		return r.stopFuncs[info.Uses[fun.Sel]]
	}
	return false
}

// isStopCall reports whether call, made by a function body, tells
// goroutines to stop: close, a cancel function, or a call of a function
// with the Stops fact.
func (r *Result) isStopCall(info *types.Info, call *ast.CallExpr) bool {
	if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok {
		return b.Name() == "close"
	}
	if r.isSignal(info, call) || readerClosed(info, call) != nil {
		return true
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return false
	}
	_, ok := r.stops[fn.Origin()]
	return ok
}

// readerClosed returns x when call is x.Close() and x has a Read, Accept
// or ReadFrom method: a connection, listener, pipe or file whose reader
// goroutine fails at once when it is closed. It returns nil otherwise.
func readerClosed(info *types.Info, call *ast.CallExpr) ast.Expr {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Close" || len(call.Args) != 0 {
		return nil
	}
	if s := info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return nil // a package-qualified function or a field.
	}
	t := info.TypeOf(sel.X)
	if t == nil {
		return nil
	}
	for _, name := range []string{"Read", "Accept", "ReadFrom"} {
		if m, _, _ := types.LookupFieldOrMethod(t, true, nil, name); m != nil {
			if _, ok := m.(*types.Func); ok {
				return sel.X
			}
		}
	}
	return nil
}

// collectDoneChans fills r.doneChans: the channel variables and fields
// that the package closes and never sends on, in a select or outside.
func collectDoneChans(r *Result) {
	closed := make(map[types.Object]bool)
	sent := make(map[types.Object]bool)
	for _, f := range r.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SendStmt:
				if obj := containerObj(r.info, n.Chan); obj != nil {
					sent[obj] = true
				}
			case *ast.CallExpr:
				if b, ok := r.info.Uses[code.IdentOf(n.Fun)].(*types.Builtin); ok && b.Name() == "close" && len(n.Args) == 1 {
					if obj := containerObj(r.info, n.Args[0]); obj != nil {
						closed[obj] = true
					}
				}
			}
			return true
		})
	}
	for obj := range closed {
		if !sent[obj] {
			r.doneChans[obj] = true
		}
	}
}

// isDoneChan reports whether receiving from x waits for a done channel.
func (r *Result) isDoneChan(info *types.Info, x ast.Expr) bool {
	if isSignalChan(info.TypeOf(x)) {
		return true
	}
	_, isIndex := ast.Unparen(x).(*ast.IndexExpr)
	obj := containerObj(info, x)
	return !isIndex && obj != nil && r.doneChans[obj]
}

// collectStopFuncs fills r.stopFuncs: the variables and fields of the
// package every non-nil assignment of which is the stop function of a
// stopResults call (pgx's ContextWatcher.stop).
func collectStopFuncs(r *Result) {
	bad := make(map[types.Object]bool)
	assign := func(obj types.Object, rhs ast.Expr, index int) {
		if obj == nil {
			return
		}
		if rhs != nil && r.info.Types[rhs].IsNil() {
			return
		}
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if ok {
			if fn, ok := typeutil.Callee(r.info, call).(*types.Func); ok {
				if i, ok := stopResults[fn.FullName()]; ok && i == index {
					r.stopFuncs[obj] = true
					return
				}
			}
		}
		bad[obj] = true
	}
	objectOf := func(lhs ast.Expr) types.Object {
		switch lhs := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			return r.info.ObjectOf(lhs)
		case *ast.SelectorExpr:
			return r.info.Uses[lhs.Sel]
		}
		return nil
	}
	for _, f := range r.files {
		code.ForEachStore(r.info, r.pkg, f, func(s code.Store) {
			switch {
			case s.Lhs != nil:
				assign(objectOf(s.Lhs), s.Rhs, max(s.Index, 0))
			case s.Obj.IsField():
				assign(s.Obj, s.Rhs, 0)
			} // parameters are not followed.
		})
	}
	for obj := range bad {
		delete(r.stopFuncs, obj)
	}
}

// A Join is a wait that the analysis takes to be bounded because it
// joins goroutines: they have been told to stop before it, or they were
// started on the spot and do not block themselves. Checks that know
// more (loopblock: the goroutines take the lock held across the wait)
// may still report it.
type Join struct {
	Node ast.Node // the Wait call, the receive, or the call of a function that only joins
	What string   // as messages name it: "sync.WaitGroup.Wait", "channel receive from cw.done"
	// Target is the WaitGroup or channel waited on, a variable or struct
	// field; nil when the wait is inside Callee.
	Target types.Object
	// Callee is the function called, when it is the one that waits.
	Callee *types.Func
	// Unlocked is set as for Op.Unlocked: the wait runs after the
	// function released a mutex.
	Unlocked bool
	// Released is as for Op.Released.
	Released string
}

// Joins returns the joins of body, in source order: the waits that Ops
// leaves out because they join goroutines.
func (r *Result) Joins(info *types.Info, body *ast.BlockStmt) []Join {
	if body == nil {
		return nil
	}
	s := newScanner(r, info, body)
	ast.Inspect(body, s.visit)
	joins := s.joins
	for _, op := range s.ops {
		if len(op.goroutines) > 0 && !r.counts(op) {
			joins = append(joins, Join{Node: op.Node, What: op.What, Target: JoinTarget(info, op.Node), Unlocked: op.Unlocked, Released: op.Released})
		}
	}
	return joins
}

// JoinTarget returns the WaitGroup of a Wait call or the channel of a
// receive, as a variable or struct field; nil for anything else.
func JoinTarget(info *types.Info, n ast.Node) types.Object {
	var x ast.Expr
	switch n := n.(type) {
	case *ast.CallExpr:
		sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		x = sel.X
	case *ast.UnaryExpr:
		x = n.X
	case *ast.RangeStmt:
		x = n.X
	default:
		return nil
	}
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return info.ObjectOf(x)
	case *ast.SelectorExpr:
		return info.Uses[x.Sel]
	case *ast.UnaryExpr: // &wg
		if id := code.IdentOf(x.X); id != nil && x.Op == token.AND {
			return info.ObjectOf(id)
		}
	}
	return nil
}

// join records a wait left out of the operations because it follows a
// stop signal.
func (s *scanner) join(n ast.Node, what string, callee *types.Func, unlocked bool) {
	released := s.releasedAt(n.Pos())
	j := Join{Node: n, What: what, Callee: callee, Unlocked: unlocked || released != "", Released: released}
	if callee == nil {
		j.Target = JoinTarget(s.info, n)
	}
	s.joins = append(s.joins, j)
}

// isJoin reports whether op waits for goroutines to end: a
// WaitGroup.Wait, a receive from a done channel, or a
// call of a function that only does these.
func (r *Result) isJoin(info *types.Info, op Op) bool {
	switch {
	case op.Entry != nil:
		return op.Entry.Func == "(*sync.WaitGroup).Wait"
	case op.Callee != nil:
		return op.CalleeReason.Join
	}
	u, ok := op.Node.(*ast.UnaryExpr)
	return ok && r.isDoneChan(info, u.X)
}

// markJoins sets Reason.Join on the package's blocking functions whose
// every blocking operation is a join (serf's Snapshotter.Wait:
// <-s.waitCh), once the fixed point is reached, so that the flag depends
// only on the source.
func markJoins(r *Result, decls []decl, scans []*scanner) {
	for i, d := range decls {
		reason, ok := r.funcs[d.fn]
		if !ok {
			continue
		}
		s := scans[i]
		only, any := true, false
		for _, op := range s.ops {
			if !op.Kind.Propagates() || (op.Callee != nil && !op.Kind.Transitive()) || !r.counts(op) {
				continue
			}
			any = true
			only = only && r.isJoin(s.info, op)
		}
		for _, pc := range s.pending {
			if callee, ok := r.funcs[pc.fn]; ok && callee.Kind.Transitive() {
				only = false
			}
		}
		reason.Join = only && any
	}
}

// joinedGoroutines returns the scanners of the goroutines that the Wait
// call waits for, when the WaitGroup (or a group with a Go method, as
// errgroup.Group) is a variable of this body used only through its
// methods (Add, Wait, SetLimit), and Done or Go in goroutines started
// here (StopAllParallel in river's startstop); nil otherwise.
func (s *scanner) joinedGoroutines(call *ast.CallExpr) []*scanner {
	wg, ok := JoinTarget(s.info, call).(*types.Var)
	if !ok || wg.IsField() || wg.Pos() < s.body.Pos() || wg.Pos() >= s.body.End() {
		return nil // a field, a parameter or a package variable: its goroutines are elsewhere.
	}
	var lits []*ast.FuncLit
	for _, st := range s.r.decls.Starts() {
		if _, isGo := st.Node.(*ast.GoStmt); isGo && st.Lit != nil && st.Node.Pos() >= s.body.Pos() && st.Node.End() <= s.body.End() {
			lits = append(lits, st.Lit)
		}
	}
	uses, methods := 0, 0
	var dones []token.Pos
	ast.Inspect(s.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if s.info.Uses[n] == wg {
				uses++
			}
		case *ast.CallExpr:
			sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if !ok || code.IdentOf(sel.X) == nil || s.info.Uses[code.IdentOf(sel.X)] != wg {
				return true
			}
			methods++
			switch sel.Sel.Name {
			case "Done":
				dones = append(dones, n.Pos())
			case "Go":
				if len(n.Args) != 1 {
					return true
				}
				lit, ok := ast.Unparen(n.Args[0]).(*ast.FuncLit)
				if !ok {
					methods-- // a func value: its body is elsewhere.
					return true
				}
				lits = append(lits, lit)
				dones = append(dones, lit.Body.Pos())
			}
		}
		return true
	})
	if uses != methods || len(dones) == 0 {
		return nil // &wg or wg handed on: the goroutines are elsewhere.
	}
	var joined []*ast.FuncLit
	for _, pos := range dones {
		var in *ast.FuncLit // the outermost goroutine around the Done
		for _, lit := range lits {
			if pos >= lit.Pos() && pos < lit.End() && (in == nil || lit.Pos() < in.Pos()) {
				in = lit
			}
		}
		if in == nil {
			return nil // Done on the waiter's own path.
		}
		joined = append(joined, in)
	}
	var gs []*scanner
	seen := make(map[*ast.FuncLit]bool)
	for _, lit := range joined {
		if seen[lit] {
			continue
		}
		seen[lit] = true
		g := newScanner(s.r, s.info, lit.Body)
		// A channel that the starter sends on and the goroutine
		// receives from is a semaphore of the function's (centrifuge's
		// runRefreshCycle: sem <- struct{}{}; go func() { defer func()
		// { <-sem }() ... }()), not a wait of the goroutine's.
		for ch := range s.sent {
			g.sent[ch] = true
		}
		ast.Inspect(lit.Body, g.visit)
		gs = append(gs, g)
	}
	return gs
}

// counts reports whether op blocks given what r knows now: a Wait for
// goroutines started on the spot blocks only when one of them does.
func (r *Result) counts(op Op) bool {
	for _, g := range op.goroutines {
		if !r.quiet(g) {
			return true
		}
	}
	return len(op.goroutines) == 0
}

// quiet reports whether the goroutine body scanned by g does nothing
// that blocks, as far as r knows now.
func (r *Result) quiet(g *scanner) bool {
	for _, op := range g.ops {
		if op.Kind.Propagates() && r.counts(op) {
			return false
		}
	}
	for _, pc := range g.pending {
		if _, ok := r.funcs[pc.fn]; ok {
			return false
		}
	}
	return true
}

// A closing is a close(ch) statement and the rest of its statement list,
// where ch is closed on every path.
type closing struct {
	ch       string // as written
	pos, end token.Pos
}

// closings returns the close(ch) statements of body with the stretch
// they dominate up to the next assignment to ch (go-redis's
// sentinelFailover.MasterAddr closes errCh, then ranges over it).
func closings(info *types.Info, body *ast.BlockStmt) []closing {
	var cs []closing
	code.ForEachStmtList(body, func(list []ast.Stmt, end token.Pos) {
		for i, stmt := range list {
			es, ok := stmt.(*ast.ExprStmt)
			if !ok {
				continue
			}
			call, ok := ast.Unparen(es.X).(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				continue
			}
			if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok && b.Name() == "close" {
				ch := types.ExprString(call.Args[0])
				cs = append(cs, closing{ch, stmt.End(), reassigned(list[i+1:], ch, end)})
			}
		}
	})
	return cs
}

// reassigned returns the position of the first assignment to ch in
// stmts, or end.
func reassigned(stmts []ast.Stmt, ch string, end token.Pos) token.Pos {
	for _, stmt := range stmts {
		at := token.NoPos
		ast.Inspect(stmt, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && !at.IsValid() {
				for _, lhs := range as.Lhs {
					if types.ExprString(lhs) == ch {
						at = as.Pos()
					}
				}
			}
			return !at.IsValid()
		})
		if at.IsValid() {
			return at
		}
	}
	return end
}

// closedBefore reports whether the channel ch is closed on every path to
// pos: receiving from it or ranging over it ends without waiting.
func (s *scanner) closedBefore(ch ast.Expr, pos token.Pos) bool {
	key := types.ExprString(ch)
	for _, c := range s.closed {
		if c.ch == key && pos >= c.pos && pos < c.end {
			return true
		}
	}
	return false
}

// joinBound returns how long a wait for the goroutines gs can block
// when every blocking operation of theirs is a sleep with a bound (see
// bound.go): the longest goroutine's sum of them.
func (r *Result) joinBound(gs []*scanner) (time.Duration, bool) {
	longest := 0.0
	for _, g := range gs {
		total := 0.0
		for _, op := range g.ops {
			if !op.Kind.Propagates() || !r.counts(op) {
				continue
			}
			d, ok := SleepBound(g.info, g.body, op, g.body.Pos())
			if !ok {
				return 0, false
			}
			total += float64(d)
		}
		for _, pc := range g.pending {
			if _, ok := r.funcs[pc.fn]; ok {
				return 0, false // marked after the scan: judged unbounded.
			}
		}
		longest = max(longest, total)
	}
	return toDuration(longest), len(gs) > 0
}

// fedHere reports whether the channel ch, received from or ranged over
// at pos, is a channel this body makes that only goroutines it started
// before pos send on or close, each of which delivers (a send or close
// of ch among its top-level statements, or a deferred close) and blocks
// nowhere but on ch: the wait ends when they finish their work (a
// drain until the sentinel or close of a producer started just before).
// A range needs a close.
func (s *scanner) fedHere(ch ast.Expr, pos token.Pos, isRange bool) bool {
	id, ok := ast.Unparen(ch).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := s.info.Uses[id].(*types.Var)
	if !ok || v.Pos() < s.body.Pos() || v.Pos() >= s.body.End() || !isMakeCall(s.info, s.def(id)) {
		return false
	}
	key := id.Name
	var goroutines []*ast.FuncLit
	ok = true
	ast.Inspect(s.body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		g, isGo := n.(*ast.GoStmt)
		if !isGo {
			switch n := n.(type) {
			case *ast.SendStmt:
				if types.ExprString(n.Chan) == key {
					ok = false // a send outside the goroutines.
				}
			case *ast.CallExpr:
				if b, isB := s.info.Uses[code.IdentOf(n.Fun)].(*types.Builtin); isB && b.Name() == "close" &&
					len(n.Args) == 1 && types.ExprString(n.Args[0]) == key {
					ok = false
				}
			}
			return true
		}
		lit, isLit := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
		if !isLit || !mentionsVar(s.info, lit, v) {
			return true
		}
		if g.Pos() > pos {
			ok = false // started after the wait.
			return false
		}
		goroutines = append(goroutines, lit)
		return false
	})
	if !ok || len(goroutines) == 0 {
		return false
	}
	delivers := false
	for _, lit := range goroutines {
		g := newScanner(s.r, s.info, lit.Body)
		ast.Inspect(lit.Body, g.visit)
		for _, op := range g.ops {
			if send, isSend := op.Node.(*ast.SendStmt); isSend && types.ExprString(send.Chan) == key {
				continue // the delivery itself: the receiver takes it.
			}
			if op.Kind.Propagates() && s.r.counts(op) {
				return false
			}
		}
		for _, pc := range g.pending {
			if _, marked := s.r.funcs[pc.fn]; marked {
				return false
			}
		}
		delivers = delivers || deliversOn(s.info, lit.Body, key, isRange)
	}
	return delivers
}

// deliversOn reports whether body, on every path, closes ch (deferred
// or at its top level) or, unless a close is needed, sends on it at its
// top level.
func deliversOn(info *types.Info, body *ast.BlockStmt, ch string, needClose bool) bool {
	isClose := func(call *ast.CallExpr) bool {
		b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin)
		return ok && b.Name() == "close" && len(call.Args) == 1 && types.ExprString(call.Args[0]) == ch
	}
	for _, stmt := range body.List {
		switch stmt := stmt.(type) {
		case *ast.DeferStmt:
			if isClose(stmt.Call) {
				return true
			}
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(stmt.X).(*ast.CallExpr); ok && isClose(call) {
				return true
			}
		case *ast.SendStmt:
			if !needClose && types.ExprString(stmt.Chan) == ch {
				return true
			}
		case *ast.ReturnStmt:
			return false
		}
	}
	return false
}

// mentionsVar reports whether n uses v.
func mentionsVar(info *types.Info, n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// isMakeCall reports whether e is a call of make.
func isMakeCall(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin)
	return ok && b.Name() == "make"
}
