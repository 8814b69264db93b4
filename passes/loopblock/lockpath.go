package loopblock

// This file follows each Lock along the paths of its function's control
// flow graph, with the mutex held, until something releases it: a path
// that returns still holding it leaves the mutex locked for good (every
// later Lock waits forever), and a path that reaches a Lock of the same
// mutex again deadlocks there, since sync.Mutex is not reentrant.
//
// The walk errs toward silence. A lock whose release is deferred, or made
// by a func literal (a goroutine or callback may release it), or handed
// to another function (&mu as an argument), is not followed; a call of a
// method of the package that releases the same mutex releases it; a
// branch on a local bool flag (locked := true ... if locked { Unlock })
// ends the path, since the flag may track the lock; and a function that
// still holds the lock at its final return holds it on purpose (a lock
// helper, or a function whose contract is to return locked), so only its
// early returns that differ from that are not reported either.

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/locks"
)

// lockWalk is the state of the walks of one function.
type lockWalk struct {
	pass  *analysis.Pass
	model *locks.Model
	cfgs  *ctrlflow.CFGs
	fn    *function
	g     *cfg.CFG
	flags map[types.Object]bool // local bools assigned more than once
	// handed and releases are filled by index: the mutexes (as written)
	// released where the walk does not follow, and the body's own
	// releases outside func literals.
	handed   map[string]bool
	releases []locks.Call
}

// checkLockPaths reports, in fn, the Locks still held on an early return
// (lock-leak) and the Locks taken again while held (lock-again).
func checkLockPaths(pass *analysis.Pass, model *locks.Model, fn *function) {
	cfgs := pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
	g := cfgOf(cfgs, fn)
	if g == nil {
		return
	}
	w := &lockWalk{pass: pass, model: model, cfgs: cfgs, fn: fn, g: g}
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for i, n := range b.Nodes {
			es, ok := n.(*ast.ExprStmt)
			if !ok {
				continue
			}
			if c, ok := locks.Takes(pass.TypesInfo, es.X); ok && !w.handedOff(c) {
				w.follow(c, b, i)
			}
		}
	}
	checkDeferInLoop(pass, model, fn)
}

// handedOff reports whether the lock c may be released by something the
// walk does not follow: a deferred release, a func literal that releases
// it, or a call that is given the mutex.
func (w *lockWalk) handedOff(c locks.Call) bool {
	w.index()
	return w.handed[c.Mutex.Text]
}

// index collects, in one walk of the body, the mutexes handed off (see
// handedOff) and the releases made by the body itself (see
// releasedAfter).
func (w *lockWalk) index() {
	if w.handed != nil {
		return
	}
	info := w.pass.TypesInfo
	w.handed = make(map[string]bool)
	ast.Inspect(w.fn.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			if r, ok := w.model.Release(n.Call); ok {
				w.handed[r.Mutex.Text] = true
			}
		case *ast.FuncLit:
			ast.Inspect(n.Body, func(m ast.Node) bool {
				if call, ok := m.(*ast.CallExpr); ok {
					if r, ok := w.model.Release(call); ok {
						w.handed[r.Mutex.Text] = true
					}
				}
				return true
			})
			return false
		case *ast.CallExpr:
			if r, ok := w.model.Release(n); ok {
				w.releases = append(w.releases, r)
			}
			for _, arg := range n.Args {
				if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
					w.handed[types.ExprString(u.X)] = true // the callee may release it.
				}
				if isMutexPointer(info.TypeOf(arg)) {
					w.handed[types.ExprString(arg)] = true
				}
			}
		}
		return true
	})
}

// isMutexPointer reports whether t is a pointer to a mutex.
func isMutexPointer(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	return ok && (code.IsNamedType(p.Elem(), "sync", "Mutex") || code.IsNamedType(p.Elem(), "sync", "RWMutex"))
}

// An exit is a place where a path leaves the function.
type exit struct {
	pos, end token.Pos
	final    bool // the function's last statement, or its closing brace
}

// follow walks the paths from the lock c, the i'th node of b.
func (w *lockWalk) follow(c locks.Call, b *cfg.Block, i int) {
	var leaks []exit
	heldAtEnd := false
	var again []token.Pos
	seen := make(map[*cfg.Block]bool)
	var walk func(b *cfg.Block, from int)
	walk = func(b *cfg.Block, from int) {
		for _, n := range b.Nodes[from:] {
			switch w.effect(c, n) {
			case released, ends:
				return
			case takenAgain:
				again = append(again, n.Pos())
				return
			}
		}
		if len(b.Succs) == 0 {
			if x, ok := w.exitOf(b); ok {
				switch {
				case x.final:
					heldAtEnd = true
				case w.signalsLock(b.Return()):
					// return true: a try-lock that tells its caller it holds the lock.
				default:
					leaks = append(leaks, x)
				}
			}
			return
		}
		succs := b.Succs
		if len(succs) == 2 && len(b.Nodes) > 0 && w.isFlag(b.Nodes[len(b.Nodes)-1]) {
			return // a branch on a flag that may track the lock.
		}
		for _, s := range succs {
			if !seen[s] {
				seen[s] = true
				walk(s, 0)
			}
		}
	}
	walk(b, i+1)
	if w.perTurn(c) {
		again = slices.DeleteFunc(again, func(pos token.Pos) bool { return pos <= c.Call.Pos() })
	}
	w.reportAgain(c, again)
	if len(again) == 0 && !heldAtEnd && len(leaks) > 0 && w.releasedAfter(c) {
		w.reportLeak(c, leaks)
	}
}

// An effect is what a node does to the lock being followed.
type effect int

const (
	none effect = iota
	released
	takenAgain
	ends // the path ends without returning (panic, os.Exit, t.Fatal)
)

// effect says what n does to the lock c.
func (w *lockWalk) effect(c locks.Call, n ast.Node) effect {
	info := w.pass.TypesInfo
	es, ok := n.(*ast.ExprStmt)
	if !ok {
		return none
	}
	if r, ok := w.model.Release(es.X); ok && r.Mutex.Same(c.Mutex) {
		return released
	}
	if again, ok := locks.Takes(info, es.X); ok && again.Mutex.Same(c.Mutex) {
		if c.Op == locks.RLock && again.Op == locks.RLock {
			return released // a read lock taken twice deadlocks only with a writer between: not followed.
		}
		return takenAgain
	}
	if w.ends(es) {
		return ends
	}
	if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
		if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && w.model.Releases(fn, c.Mutex) {
			return released // s.unlockAndNotify()
		}
	}
	return none
}

// ends reports whether es is a call that does not return: panic, a
// call that ends the process or goroutine (code.EndOf), or one ctrlflow
// knows never returns.
func (w *lockWalk) ends(es *ast.ExprStmt) bool {
	info := w.pass.TypesInfo
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok && b.Name() == "panic" {
		return true
	}
	if code.EndOf(info, call) != knowledge.Returns {
		return true
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	return ok && w.cfgs.NoReturn(fn)
}

// perTurn reports whether the mutex of c is reached through a variable
// declared in the loop around the lock (for _, lf := range files {
// lf.lock.Lock() }): each turn locks another mutex, so a path back to
// the lock takes a new one.
func (w *lockWalk) perTurn(c locks.Call) bool {
	sel, ok := ast.Unparen(c.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	root := code.RootIdent(sel.X)
	if root == nil {
		return false
	}
	obj := w.pass.TypesInfo.ObjectOf(root)
	if obj == nil {
		return false
	}
	declared := false
	ast.Inspect(w.fn.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() <= c.Call.Pos() && c.Call.End() <= n.End() && n.Pos() < obj.Pos() && obj.Pos() < n.End() {
				declared = true
			}
		}
		return !declared
	})
	return declared
}

// signalsLock reports whether ret returns the constant true: a function
// that returns whether it took the lock (if s.free { return true }) holds
// it on that path by contract. (return false, err while holding it is a
// leak like any other.)
func (w *lockWalk) signalsLock(ret *ast.ReturnStmt) bool {
	if ret == nil {
		return false
	}
	for _, r := range ret.Results {
		if tv, ok := w.pass.TypesInfo.Types[r]; ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && constant.BoolVal(tv.Value) {
			return true
		}
	}
	return false
}

// exitOf describes the exit at the end of b, a block with no successor:
// a return, or the end of the body; not a call that does not return.
func (w *lockWalk) exitOf(b *cfg.Block) (exit, bool) {
	body := w.fn.body
	if ret := b.Return(); ret != nil {
		// The CFG makes the implicit return at the closing brace explicit.
		last := ret.Return == body.Rbrace || len(body.List) > 0 && body.List[len(body.List)-1] == ast.Stmt(ret)
		return exit{ret.Pos(), ret.End(), last}, true
	}
	if len(b.Nodes) > 0 {
		if es, ok := b.Nodes[len(b.Nodes)-1].(*ast.ExprStmt); ok {
			if w.ends(es) {
				return exit{}, false
			}
		}
	}
	return exit{body.Rbrace, body.Rbrace + 1, true}, true
}

// isFlag reports whether cond, the condition ending a block, is a local
// bool variable (or its negation) that the function assigns more than
// once: a flag that may say whether the lock is held.
func (w *lockWalk) isFlag(cond ast.Node) bool {
	e, ok := cond.(ast.Expr)
	if !ok {
		return false
	}
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.NOT {
		e = u.X
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := w.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || !types.Identical(v.Type(), types.Typ[types.Bool]) {
		return false
	}
	if w.flags == nil {
		w.flags = localFlags(w.pass.TypesInfo, w.fn.body)
	}
	return w.flags[v]
}

// localFlags returns the bool variables that body assigns after
// declaring them.
func localFlags(info *types.Info, body *ast.BlockStmt) map[types.Object]bool {
	flags := make(map[types.Object]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN {
			for _, lhs := range as.Lhs {
				if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && types.Identical(v.Type(), types.Typ[types.Bool]) {
						flags[v] = true
					}
				}
			}
		}
		return true
	})
	return flags
}

// releasedAfter reports whether the function releases c's mutex
// somewhere after the lock: it means to release it, so an early return
// that does not is a slip, not a contract.
func (w *lockWalk) releasedAfter(c locks.Call) bool {
	w.index()
	for _, r := range w.releases {
		if r.Call.Pos() > c.Call.End() && r.Mutex.Same(c.Mutex) {
			return true
		}
	}
	return false
}

func (w *lockWalk) reportLeak(c locks.Call, leaks []exit) {
	first := leaks[0]
	related := []analysis.RelatedInformation{{Pos: c.Call.Pos(), End: c.Call.End(), Message: c.Mutex.Text + " is locked here"}}
	for _, x := range leaks[1:] {
		related = append(related, analysis.RelatedInformation{Pos: x.pos, End: x.end, Message: "this return also leaves it locked"})
	}
	w.pass.Report(analysis.Diagnostic{
		Pos: first.pos, End: first.end, Category: "lock-leak",
		Message: fmt.Sprintf("%s returns with %s still locked, though its other paths unlock it: every later Lock of %s waits forever; unlock before returning, or defer the unlock",
			w.fn.name, c.Mutex.Text, c.Mutex.Text),
		Related: related,
	})
}

func (w *lockWalk) reportAgain(c locks.Call, again []token.Pos) {
	for _, pos := range again {
		msg := fmt.Sprintf("%s is locked again here while the lock taken at %s is still held on some path: sync mutexes are not reentrant, so this call deadlocks; release it on every path first",
			c.Mutex.Text, position(w.pass, c.Call.Pos()))
		if pos == c.Call.Pos() {
			msg = fmt.Sprintf("%s is locked here on every turn of the loop, and a path back to it does not unlock it (a continue or a missed Unlock): the next turn deadlocks; unlock on every path that loops back", c.Mutex.Text)
		}
		w.pass.Report(analysis.Diagnostic{Pos: pos, End: pos + token.Pos(len(c.Mutex.Text)), Category: "lock-again", Message: msg,
			Related: []analysis.RelatedInformation{{Pos: c.Call.Pos(), End: c.Call.End(), Message: c.Mutex.Text + " is locked here first"}}})
	}
}

// checkDeferInLoop reports a Lock in a loop body whose release is
// deferred in the same body: the deferred call runs only when the
// function returns, so the next turn of the loop locks the mutex again
// while it is held. A body that always leaves the loop after the defer
// (a return or break at its end) takes one turn and is not reported.
func checkDeferInLoop(pass *analysis.Pass, model *locks.Model, fn *function) {
	ast.Inspect(fn.body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		body, ok := code.LoopBody(n)
		if !ok {
			return true
		}
		list := body.List
		if len(list) > 0 && leavesLoop(list[len(list)-1]) {
			return true
		}
		for i, stmt := range list {
			es, ok := stmt.(*ast.ExprStmt)
			if !ok {
				continue
			}
			c, ok := locks.Takes(pass.TypesInfo, es.X)
			if !ok {
				continue
			}
			for _, next := range list[i+1:] {
				d, ok := next.(*ast.DeferStmt)
				if !ok {
					continue
				}
				if r, ok := model.Release(d.Call); ok && r.Mutex.Same(c.Mutex) {
					pass.Report(analysis.Diagnostic{Pos: d.Pos(), End: d.End(), Category: "lock-again",
						Message: fmt.Sprintf("the deferred unlock of %s runs only when %s returns, so the Lock on the loop's next turn waits for it forever; unlock at the end of each turn, or move the turn into a function",
							c.Mutex.Text, fn.name),
						Related: []analysis.RelatedInformation{{Pos: c.Call.Pos(), End: c.Call.End(), Message: c.Mutex.Text + " is locked here on every turn"}}})
					break
				}
			}
		}
		return true
	})
}

// leavesLoop reports whether stmt, the last of a loop body, leaves the
// loop: a return, a break, a goto, or a panic.
func leavesLoop(stmt ast.Stmt) bool {
	switch s := stmt.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.BREAK || s.Tok == token.GOTO
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}
