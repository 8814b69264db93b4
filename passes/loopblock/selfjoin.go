package loopblock

// This file finds goroutines that wait for themselves: a goroutine that
// signals its end (defer close(s.done), defer s.wg.Done(), a
// WaitGroup.Go body) and, on some path, calls a function of its package
// that waits for that signal (Close: close(s.quit); s.wg.Wait()),
// directly, through static calls, or through a callback its loop runs.
// The wait can only end when the goroutine returns, which it cannot do
// while it waits: the goroutine, and every caller of Close after it,
// hangs (self-join).

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/blocking"
)

// maxSelfJoinDepth bounds the calls followed from a goroutine's body.
const maxSelfJoinDepth = 3

// checkSelfJoins reports the calls by which a goroutine of the package
// reaches a wait for its own end.
func checkSelfJoins(pass *analysis.Pass, cb *callbacks) {
	g := findGoroutines(pass)
	info := pass.TypesInfo
	for _, r := range g.roots {
		ends := endSignals(info, r)
		if len(ends) == 0 {
			continue
		}
		var report func(body *ast.BlockStmt, depth int, via *ast.CallExpr, seen map[*ast.BlockStmt]bool) bool
		report = func(body *ast.BlockStmt, depth int, via *ast.CallExpr, seen map[*ast.BlockStmt]bool) bool {
			if body == nil || seen[body] || depth > maxSelfJoinDepth {
				return false
			}
			seen[body] = true
			found := false
			var visit func(n ast.Node) bool
			visit = func(n ast.Node) bool {
				if found {
					return false
				}
				switch n := n.(type) {
				case *ast.GoStmt, *ast.FuncLit:
					return false // another goroutine, a value
				case *ast.CommClause:
					for _, s := range n.Body { // its wait has other ways out; its body runs
						ast.Inspect(s, visit)
					}
					return false
				case *ast.DeferStmt:
					return false // runs after the goroutine's own deferred end signal is queued
				case *ast.UnaryExpr, *ast.CallExpr:
					if wait, target := waitFor(info, n, ends); wait {
						at := via
						if at == nil {
							at, _ = n.(*ast.CallExpr)
						}
						if at == nil {
							return false
						}
						pass.Report(analysis.Diagnostic{Pos: at.Pos(), End: at.End(), Category: "self-join",
							Message: fmt.Sprintf("%s, called on %s, waits for that goroutine's end: %s is signalled only when it returns, so the wait never ends and every later caller hangs too; do not wait from the goroutine itself (signal it to stop, or call the closer on a goroutine of its own)",
								types.ExprString(at.Fun), r.name, target.Name()),
							Related: []analysis.RelatedInformation{{Pos: n.Pos(), End: n.End(), Message: "the wait is here"}}})
						found = true
						return false
					}
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				next := via
				if next == nil {
					next = call
				}
				if fn := typeutil.StaticCallee(info, call); fn != nil {
					if report(g.body(fn), depth+1, next, seen) {
						found = true
					}
				} else if f := callbackField(info, call.Fun); f != nil && cb != nil {
					for _, c := range cb.fields[f] {
						if report(c.body, depth+1, next, seen) {
							found = true
							break
						}
					}
				}
				return !found
			}
			ast.Inspect(body, visit)
			return found
		}
		report(r.body, 0, nil, make(map[*ast.BlockStmt]bool))
	}
}

// endSignals returns what the goroutine r signals when it returns: the
// WaitGroup whose Go started it, and the channels it closes and the
// WaitGroups it marks done in a deferred call of its body.
func endSignals(info *types.Info, r root) map[types.Object]bool {
	ends := make(map[types.Object]bool)
	if r.group != nil {
		ends[r.group] = true
	}
	for _, stmt := range r.body.List {
		d, ok := stmt.(*ast.DeferStmt)
		if !ok {
			continue
		}
		if obj := releasedBy(info, d.Call); isField(obj) {
			ends[obj] = true
		}
	}
	return ends
}

// isField reports whether obj is a struct field: a signal others can
// wait on through the same value.
func isField(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && v.IsField()
}

// waitFor reports whether n waits for one of ends: a receive from the
// channel, or Wait on the WaitGroup.
func waitFor(info *types.Info, n ast.Node, ends map[types.Object]bool) (bool, types.Object) {
	switch n := n.(type) {
	case *ast.UnaryExpr:
		if n.Op != token.ARROW {
			return false, nil
		}
	case *ast.CallExpr:
		fn, ok := typeutil.Callee(info, n).(*types.Func)
		if !ok || fn.FullName() != "(*sync.WaitGroup).Wait" {
			return false, nil
		}
	default:
		return false, nil
	}
	obj := blocking.JoinTarget(info, n)
	return obj != nil && ends[obj], obj
}
