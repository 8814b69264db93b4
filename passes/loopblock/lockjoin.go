package loopblock

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// The blocking analysis takes the join of goroutines that have been told
// to stop (close(quit); wg.Wait()) to be bounded. Under a lock it is not
// when a joined goroutine takes the same lock: if the goroutine is
// waiting for it when the signal comes, neither side ever proceeds. This
// file finds those goroutines among the package's go statements and
// callbacks.

// maxLockDepth bounds how many static calls deep a goroutine is searched
// for the lock and for the release of what is joined.
const maxLockDepth = 2

// checkLockedJoins reports the joins of fn made while a mutex is held
// that wait for a goroutine of the package that locks the same mutex.
func checkLockedJoins(pass *analysis.Pass, res *blocking.Result, fn *function, reported map[token.Pos]bool) {
	regions := lockRegions(pass, fn)
	if len(regions) == 0 {
		return
	}
	var g *goroutines
	for _, j := range res.Joins(pass.TypesInfo, fn.body) {
		if reported[j.Node.Pos()] {
			continue
		}
		lock, ok := heldAt(regions, blocking.Op{Node: j.Node, Unlocked: j.Unlocked, Released: j.Released})
		if !ok {
			continue
		}
		if g == nil {
			g = findGoroutines(pass)
		}
		targets := joinTargets(pass, res, g, j)
		if len(targets) == 0 {
			continue // the goroutines cannot be resolved.
		}
		name, at, ok := g.lockingGoroutine(targets, lock.Lock.Mutex)
		if !ok {
			continue
		}
		reported[j.Node.Pos()] = true
		pass.Report(analysis.Diagnostic{
			Pos: j.Node.Pos(), End: j.Node.End(), Category: "lock-join",
			Message: fmt.Sprintf("%s while %s is held waits for %s, which locks %s too: they deadlock if it is waiting for the lock when the wait begins; release the lock before the wait",
				j.What, lock.Lock.Mutex.Text, name, lock.Lock.Mutex.Text),
			Related: []analysis.RelatedInformation{
				{Pos: lock.Lock.Call.Pos(), End: lock.Lock.Call.End(), Message: lock.Lock.Mutex.Text + " is locked here"},
				{Pos: at.Pos(), End: at.End(), Message: "the joined goroutine locks it here"},
			},
		})
	}
}

// joinTargets returns what the join j waits on: its WaitGroup or
// channel, or those of the joins in its callee when the callee is in
// this package.
func joinTargets(pass *analysis.Pass, res *blocking.Result, g *goroutines, j blocking.Join) []types.Object {
	if j.Target != nil {
		return []types.Object{j.Target}
	}
	body := g.body(j.Callee)
	if body == nil {
		return nil // another package's function.
	}
	var targets []types.Object
	for _, op := range res.Ops(pass.TypesInfo, body) {
		if obj := blocking.JoinTarget(pass.TypesInfo, op.Node); obj != nil && op.Callee == nil {
			targets = append(targets, obj)
		}
	}
	return targets
}

// goroutines indexes the package for lockingGoroutine: its function
// bodies and the bodies that run as goroutines (go statements,
// WaitGroup.Go, and the callbacks of context.AfterFunc and
// time.AfterFunc).
type goroutines struct {
	info  *types.Info
	funcs *index.Index
	roots []root
}

// body returns the body of fn, a function of the package, or nil.
func (g *goroutines) body(fn *types.Func) *ast.BlockStmt {
	if d := g.funcs.Decl(fn); d != nil {
		return d.Body
	}
	return nil
}

type root struct {
	name string // as messages name it
	body *ast.BlockStmt
	// group is the WaitGroup whose Go method started it: it is done
	// when the body returns.
	group types.Object
}

func findGoroutines(pass *analysis.Pass) *goroutines {
	ix := report.HelperResult[*index.Index](pass, index.Analyzer)
	g := &goroutines{info: pass.TypesInfo, funcs: ix}
	for _, st := range ix.Starts() {
		if st.Body == nil {
			continue // not a function of this package.
		}
		var group types.Object
		if st.Spawner != nil && st.Spawner.Signature().Recv() != nil {
			group = blocking.JoinTarget(pass.TypesInfo, st.Node.(*ast.CallExpr)) // wg.Go(f): done when f returns
		}
		name := "the goroutine started at " + position(pass, st.Body.Pos())
		if st.Fn != nil {
			name = "goroutine " + shortName(st.Fn)
		}
		g.roots = append(g.roots, root{name, st.Body, group})
	}
	return g
}

// position formats pos as "file.go:line".
func position(pass *analysis.Pass, pos token.Pos) string {
	p := pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// lockingGoroutine returns a goroutine of the package that releases one
// of targets (Done on the WaitGroup, close of or send on the channel) and
// locks the mutex m, with its Lock call.
func (g *goroutines) lockingGoroutine(targets []types.Object, m locks.Mutex) (string, *ast.CallExpr, bool) {
	for _, r := range g.roots {
		if g.waits(r.body, targets) {
			continue // another waiter, not a joined goroutine.
		}
		releases := isTarget(r.group, targets)
		var lock *ast.CallExpr
		g.walk(r.body, maxLockDepth, targets, make(map[*ast.BlockStmt]bool), func(n ast.Node, body *ast.BlockStmt) {
			switch n := n.(type) {
			case *ast.CallExpr:
				if lock == nil {
					if c, ok := locks.Takes(g.info, n); ok && c.Mutex.Across(m) && !g.addsAfter(body, c.Call.End(), targets) {
						lock = c.Call
					}
				}
				if g.releases(n, targets) {
					releases = true
				}
			case *ast.SendStmt:
				if isTarget(blocking.JoinTarget(g.info, &ast.UnaryExpr{Op: token.ARROW, X: n.Chan}), targets) {
					releases = true
				}
			}
		})
		if releases && lock != nil {
			return r.name, lock, true
		}
	}
	return "", nil, false
}

// releases reports whether call is wg.Done() or close(ch) for one of
// targets.
func (g *goroutines) releases(call *ast.CallExpr, targets []types.Object) bool {
	return isTarget(releasedBy(g.info, call), targets)
}

// releasedBy returns what call signals to its waiters: the channel of
// close(ch) or the WaitGroup of wg.Done(), as a variable or field; nil
// for any other call.
func releasedBy(info *types.Info, call *ast.CallExpr) types.Object {
	if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok {
		if b.Name() != "close" || len(call.Args) != 1 {
			return nil
		}
		return blocking.JoinTarget(info, &ast.UnaryExpr{Op: token.ARROW, X: call.Args[0]})
	}
	if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.FullName() == "(*sync.WaitGroup).Done" {
		return blocking.JoinTarget(info, call)
	}
	return nil
}

func isTarget(obj types.Object, targets []types.Object) bool {
	for _, t := range targets {
		if obj != nil && obj == t {
			return true
		}
	}
	return false
}

// addsAfter reports whether body adds to one of targets, a WaitGroup,
// after pos: the lock taken at pos guards the Add (nats-server's
// consumer.shouldStartMonitor), and a goroutine waiting for it is not
// counted in the group yet, so the wait does not wait for it.
func (g *goroutines) addsAfter(body *ast.BlockStmt, pos token.Pos, targets []types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && call.Pos() > pos {
			if fn, ok := typeutil.Callee(g.info, call).(*types.Func); ok && fn.FullName() == "(*sync.WaitGroup).Add" {
				found = found || isTarget(blocking.JoinTarget(g.info, call), targets)
			}
		}
		return !found
	})
	return found
}

// waits reports whether body waits for one of targets itself: Wait on
// the WaitGroup or a receive from the channel.
func (g *goroutines) waits(body *ast.BlockStmt, targets []types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(g.info, n).(*types.Func); ok && fn.FullName() == "(*sync.WaitGroup).Wait" {
				found = found || isTarget(blocking.JoinTarget(g.info, n), targets)
			}
		case *ast.UnaryExpr:
			found = found || n.Op == token.ARROW && isTarget(blocking.JoinTarget(g.info, n), targets)
		}
		return !found
	})
	return found
}

// walk calls f for the nodes of body and of the package's functions it
// calls statically, depth calls deep; it skips the goroutines body
// starts, which are roots of their own, and the functions that wait for
// targets themselves: a goroutine that calls one (nats-server's stream
// reset calls stopMonitoring) stops the joined goroutines too, and the
// locks it takes there are the waiter's.
func (g *goroutines) walk(body *ast.BlockStmt, depth int, targets []types.Object, seen map[*ast.BlockStmt]bool, f func(n ast.Node, body *ast.BlockStmt)) {
	if body == nil || seen[body] {
		return
	}
	seen[body] = true
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.GoStmt); ok {
			return false
		}
		if n == nil {
			return true
		}
		f(n, body)
		if call, ok := n.(*ast.CallExpr); ok && depth > 0 {
			if fn := typeutil.StaticCallee(g.info, call); fn != nil {
				if body := g.body(fn); body != nil && !g.waits(body, targets) {
					g.walk(body, depth-1, targets, seen, f)
				}
			}
		}
		return true
	})
}
