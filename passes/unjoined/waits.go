package unjoined

// This file finds waits nothing can end, by looking at the whole package
// (its syntax): a sync.Cond that some code waits on and no code signals,
// a WaitGroup waited on inside the loop that starts the goroutines an
// Add before the loop counted, and the cancel func of a context kept in
// a field that no code calls.

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
)

// checkWaits reports the waits of the package that nothing can end.
func (c *checker) checkWaits() {
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if Rules.Enabled("no-partner") {
		c.checkUnsignalledConds(in)
	}
	if Rules.Enabled("wait-in-loop") {
		c.checkWaitInLoop(in)
	}
	if Rules.Enabled("stale-cond") {
		c.checkStaleConds(in)
	}
	if Rules.Enabled("send-after-exit") {
		c.checkSendsAfterExit(in)
	}
	if Rules.Enabled("delete-unclosed") {
		c.checkDeletesWithoutClose(in)
	}
	if Rules.Enabled("lost-cancel") {
		c.checkLostCancels(in)
	}
}

// condMethod returns the name of the sync.Cond method call calls (Wait,
// Signal, Broadcast) and the object of the Cond it is called on (a field
// or a variable), or "".
func condMethod(info *types.Info, call *ast.CallExpr) (string, types.Object) {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok {
		return "", nil
	}
	switch fn.FullName() {
	case "(*sync.Cond).Wait", "(*sync.Cond).Signal", "(*sync.Cond).Broadcast":
	default:
		return "", nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", nil
	}
	return fn.Name(), holderOf(info, sel.X)
}

// holderOf returns the field or variable that e names (s.cond, cond), or
// nil.
func holderOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			return v.Origin()
		}
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return v.Origin()
		}
	}
	return nil
}

// checkUnsignalledConds reports Wait calls on a sync.Cond that no code
// of the package signals, when the Cond never leaves the package's
// sight: an unexported field or variable used only as the receiver of
// Cond methods or assigned.
func (c *checker) checkUnsignalledConds(in *inspector.Inspector) {
	info := c.pass.TypesInfo
	waits := make(map[types.Object][]*ast.CallExpr)
	signalled := make(map[types.Object]bool)
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		switch name, obj := condMethod(info, call); {
		case obj == nil:
		case name == "Wait":
			waits[obj] = append(waits[obj], call)
		default:
			signalled[obj] = true
		}
	}
	for obj, calls := range waits {
		if signalled[obj] || obj.Exported() || obj.Pkg() != c.pass.Pkg || c.condEscapes(in, obj) {
			continue
		}
		for _, call := range calls {
			c.pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: "no-partner",
				Message: fmt.Sprintf("%s waits for a Signal or Broadcast that nothing in the package sends on %s: it never wakes; signal it where the state it waits for changes",
					types.ExprString(call.Fun), obj.Name())})
		}
	}
}

// condEscapes reports whether obj, a Cond field or variable, is used
// other than as the receiver of a Cond method or the target of an
// assignment: passed, returned or copied, its signaller may be anywhere.
func (c *checker) condEscapes(in *inspector.Inspector, obj types.Object) bool {
	info := c.pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if v, ok := info.Uses[id].(*types.Var); !ok || v.Origin() != obj {
			continue
		}
		use := cur
		if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			use = cur.Parent() // s.cond
		}
		switch p := use.Parent().Node().(type) {
		case *ast.SelectorExpr: // s.cond.Wait, s.cond.L
			continue
		case *ast.AssignStmt:
			if assigned(p, use.Node()) {
				continue
			}
		case *ast.KeyValueExpr: // &T{cond: sync.NewCond(&mu)}
			if p.Key == use.Node() {
				continue
			}
		}
		return true
	}
	return false
}

// assigned reports whether e is on the left of as.
func assigned(as *ast.AssignStmt, e ast.Node) bool {
	for _, l := range as.Lhs {
		if l == e {
			return true
		}
	}
	return false
}

// checkStaleConds reports cond.Wait() in the body of a loop whose
// condition no one can change while it waits: it reads only local
// variables of basic type that the loop does not assign, no closure
// captures and no pointer reaches. Wait returns after a Signal, the
// condition is still true, and the loop waits again, forever: the state
// the waiter needs lives in a copy (n := q.len; for n == 0 { c.Wait() }).
func (c *checker) checkStaleConds(in *inspector.Inspector) {
	info := c.pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.ForStmt)(nil)) {
		loop := cur.Node().(*ast.ForStmt)
		if loop.Cond == nil || loop.Post != nil {
			continue
		}
		wait := condWaitIn(info, loop.Body)
		if wait == nil {
			continue
		}
		vars, ok := localOperands(info, loop.Cond)
		if !ok || len(vars) == 0 {
			continue
		}
		var fn ast.Node // the declaration: the variables' whole lives
		for f := range cur.Enclosing((*ast.FuncDecl)(nil)) {
			fn = f.Node()
		}
		if fn == nil || anyMayChange(info, fn, loop.Body, vars) {
			continue
		}
		c.pass.Report(analysis.Diagnostic{Pos: wait.Pos(), End: wait.End(), Category: "stale-cond",
			Message: fmt.Sprintf("%s waits for %s to change, but it reads only local variables that nothing can change while the loop waits: after a wake-up the condition still holds and it waits again, forever; test the shared state itself (a field the signaller writes) in the loop condition",
				types.ExprString(wait.Fun), types.ExprString(loop.Cond))})
	}
}

// condWaitIn returns the first call of (*sync.Cond).Wait in body, not
// inside a function literal, or nil.
func condWaitIn(info *types.Info, body *ast.BlockStmt) *ast.CallExpr {
	var wait *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if name, _ := condMethod(info, n); name == "Wait" && wait == nil {
				wait = n
			}
		}
		return wait == nil
	})
	return wait
}

// localOperands returns the variables that the expression e reads when
// it is made only of local variables of basic type, constants and
// operators, and false otherwise (a field, a call, a pointer: shared
// state someone else may change).
func localOperands(info *types.Info, e ast.Expr) (map[*types.Var]bool, bool) {
	vars := make(map[*types.Var]bool)
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ParenExpr, *ast.BinaryExpr, *ast.BasicLit:
		case *ast.UnaryExpr:
			if n.Op == token.ARROW || n.Op == token.AND {
				ok = false
			}
		case *ast.Ident:
			switch obj := info.Uses[n].(type) {
			case *types.Const, *types.Nil:
			case *types.Var:
				_, basic := obj.Type().Underlying().(*types.Basic)
				if !basic || obj.IsField() || obj.Parent() == nil || obj.Parent() == obj.Pkg().Scope() {
					ok = false
				}
				vars[obj] = true
			default:
				ok = false // true/false are constants; anything else is not a local
			}
		case nil:
		default:
			ok = false
		}
		return ok
	})
	return vars, ok
}

// anyMayChange reports whether one of vars may change while the loop
// body runs: assigned or incremented in the body, captured by a
// function literal, or its address taken anywhere in fn.
func anyMayChange(info *types.Info, fn ast.Node, body *ast.BlockStmt, vars map[*types.Var]bool) bool {
	refers := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, _ := info.ObjectOf(id).(*types.Var)
		return vars[v]
	}
	changed := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			changed = changed || slices.ContainsFunc(n.Lhs, refers)
		case *ast.IncDecStmt:
			changed = changed || refers(n.X)
		case *ast.RangeStmt:
			changed = changed || (n.Key != nil && refers(n.Key)) || (n.Value != nil && refers(n.Value))
		}
		return !changed
	})
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			changed = changed || (n.Op == token.AND && refers(n.X))
		case *ast.FuncLit:
			ast.Inspect(n.Body, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok {
					v, _ := info.Uses[id].(*types.Var)
					changed = changed || vars[v]
				}
				return !changed
			})
		}
		return !changed
	})
	return changed
}

// checkWaitInLoop reports wg.Wait() inside the body of a loop that starts
// goroutines with go statements when wg.Add was given more than one
// before the loop and not again inside it: the first turn waits for all
// the goroutines the loop has not started yet.
func (c *checker) checkWaitInLoop(in *inspector.Inspector) {
	info := c.pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		body, _ := code.LoopBody(cur.Node())
		goAt := token.NoPos
		for _, stmt := range body.List {
			if g, ok := stmt.(*ast.GoStmt); ok && !goAt.IsValid() {
				goAt = g.Pos()
			}
			es, ok := stmt.(*ast.ExprStmt)
			if !ok || !goAt.IsValid() {
				continue
			}
			call, ok := ast.Unparen(es.X).(*ast.CallExpr)
			if !ok || !code.IsCallTo(info, call, "(*sync.WaitGroup).Wait") {
				continue
			}
			wg := types.ExprString(ast.Unparen(call.Fun).(*ast.SelectorExpr).X)
			if addsIn(info, body, wg) {
				continue // Add inside the loop: each turn counts its own.
			}
			add := addBefore(info, cur, wg)
			if add == nil {
				continue
			}
			c.pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: "wait-in-loop",
				Message: fmt.Sprintf("%s.Wait() inside the loop waits for all %s goroutines that %s.Add counted before it, but the loop has started only one: it deadlocks on the first turn; move the Wait after the loop",
					wg, types.ExprString(add.Args[0]), wg),
				Related: []analysis.RelatedInformation{{Pos: add.Pos(), End: add.End(), Message: "counted here"}}})
		}
	}
}

// addsIn reports whether body calls wg.Add anywhere.
func addsIn(info *types.Info, body *ast.BlockStmt, wg string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && code.IsCallTo(info, call, "(*sync.WaitGroup).Add") {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && types.ExprString(sel.X) == wg {
				found = true
			}
		}
		return !found
	})
	return found
}

// addBefore returns the wg.Add call among the statements before the loop
// at cur in its block, when its argument is not the constant 1.
func addBefore(info *types.Info, cur inspector.Cursor, wg string) *ast.CallExpr {
	list, ok := code.StmtList(cur.Parent().Node())
	if !ok {
		return nil
	}
	var add *ast.CallExpr
	for _, stmt := range list {
		if stmt == cur.Node() {
			break
		}
		es, ok := stmt.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 || !code.IsCallTo(info, call, "(*sync.WaitGroup).Add") {
			continue
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && types.ExprString(sel.X) == wg {
			add = call
		}
	}
	if add == nil {
		return nil
	}
	if tv, ok := info.Types[add.Args[0]]; ok && tv.Value != nil {
		if n, exact := constant.Int64Val(tv.Value); exact && n <= 1 {
			return nil
		}
	}
	return add
}

// checkLostCancels reports the cancel func of a context kept in an
// unexported field of the package that no code reads: nothing can call
// it, so the context, and every goroutine that waits on its Done, lives
// until its parent is cancelled.
func (c *checker) checkLostCancels(in *inspector.Inspector) {
	info := c.pass.TypesInfo
	stores := make(map[types.Object]*ast.AssignStmt)
	for cur := range in.Root().Preorder((*ast.AssignStmt)(nil)) {
		as := cur.Node().(*ast.AssignStmt)
		if len(as.Lhs) != 2 || len(as.Rhs) != 1 {
			continue
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || !knowledge.ReturnsCancel(code.CalleeName(info, call)) {
			continue
		}
		sel, ok := ast.Unparen(as.Lhs[1]).(*ast.SelectorExpr)
		if !ok {
			continue
		}
		if v, ok := info.Uses[sel.Sel].(*types.Var); ok && v.IsField() && !v.Exported() && v.Pkg() == c.pass.Pkg {
			if _, seen := stores[v.Origin()]; !seen {
				stores[v.Origin()] = as
			}
		}
	}
	if len(stores) == 0 {
		return
	}
	read := make(map[types.Object]bool)
	for cur := range in.Root().Preorder((*ast.SelectorExpr)(nil)) {
		sel := cur.Node().(*ast.SelectorExpr)
		v, ok := info.Uses[sel.Sel].(*types.Var)
		if !ok || stores[v.Origin()] == nil {
			continue
		}
		if as, ok := cur.Parent().Node().(*ast.AssignStmt); ok && assigned(as, sel) {
			continue // stored, not read.
		}
		read[v.Origin()] = true
	}
	for f, as := range stores {
		if read[f] {
			continue
		}
		c.pass.Report(analysis.Diagnostic{Pos: as.Lhs[1].Pos(), End: as.Lhs[1].End(), Category: "lost-cancel",
			Message: fmt.Sprintf("the cancel func of %s is kept in the field %s, which nothing in the package calls: the context, and every goroutine waiting on its Done, lives until its parent is cancelled; call it where the owner stops (Close, Stop)",
				code.CalleeName(info, ast.Unparen(as.Rhs[0]).(*ast.CallExpr)), f.Name())})
	}
}
