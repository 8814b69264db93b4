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
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// checkWaits reports the waits of the package that nothing can end.
func (c *checker) checkWaits() {
	in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c.checkUnsignalledConds(in)
	c.checkWaitInLoop(in)
	c.checkLostCancels(in)
	c.checkLostStops(in)
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

// stopMethods are the method names that end a value's goroutines.
var stopMethods = []string{"Close", "Stop", "Shutdown"}

// checkLostStops reports a local value (declared in the function, not a
// parameter or receiver, which belong to the caller) that a function starts a
// goroutine in (go v.Serve(), or a call of a method of the package that
// has a go statement) and then drops: its type stops through Close,
// Stop or Shutdown, the function never calls one, and the value never
// leaves the function, so nothing can (like go vet's lostcancel, for
// objects). main and init are left alone: their values live as long as
// the process.
func (c *checker) checkLostStops(in *inspector.Inspector) {
	info := c.pass.TypesInfo
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		if fd.Body == nil || fd.Recv == nil && (fd.Name.Name == "main" || fd.Name.Name == "init") {
			continue
		}
		starts := make(map[*types.Var]ast.Node)
		stopped := make(map[*types.Var]bool)
		escaped := make(map[*types.Var]bool)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok || v.IsField() || v.Pos() < fd.Body.Pos() || v.Pos() > fd.Body.End() || !hasStopMethod(v.Type()) {
				return true
			}
			if _, ok := starts[v]; !ok {
				starts[v] = nil
			}
			return true
		})
		if len(starts) == 0 {
			continue
		}
		// Classify every use of the candidates.
		c.classifyUses(fd.Body, starts, stopped, escaped)
		for v, at := range starts {
			if at == nil || stopped[v] || escaped[v] || !c.madeHere(v) {
				continue
			}
			c.pass.Report(analysis.Diagnostic{Pos: at.Pos(), End: at.End(), Category: "lost-stop",
				Message: fmt.Sprintf("%s starts a goroutine that only %s ends, which %s never calls, and %s does not leave %s: the goroutine runs until the process exits; stop it when %s is done, or return %s",
					types.ExprString(startCall(at)), stopNames(v.Type()), fd.Name.Name, v.Name(), fd.Name.Name, fd.Name.Name, v.Name())})
		}
	}
}

// madeHere reports whether v is defined with a value made here: a
// composite literal (or its address), or a call of a function (a
// constructor), not a method; a copy of a field or parameter (cli :=
// c.cli) aliases a value someone else owns.
func (c *checker) madeHere(v *types.Var) bool {
	init := c.assigns.InitialValue(v)
	switch e := ast.Unparen(init).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(e.X).(*ast.CompositeLit)
		return ok && e.Op == token.AND
	case *ast.CallExpr:
		fn := typeutil.StaticCallee(c.pass.TypesInfo, e)
		return fn != nil && fn.Signature().Recv() == nil
	}
	return false
}

// classifyUses records, for each candidate variable used in body, where
// a goroutine of it starts, whether it is stopped, and whether it
// escapes (any use other than a method call on it, its definition, or
// a nil comparison).
func (c *checker) classifyUses(body *ast.BlockStmt, starts map[*types.Var]ast.Node, stopped, escaped map[*types.Var]bool) {
	info := c.pass.TypesInfo
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		defer func() { stack = append(stack, n) }()
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok {
			return true
		}
		if _, cand := starts[v]; !cand {
			return true
		}
		parent := stack[len(stack)-1]
		sel, isSel := parent.(*ast.SelectorExpr)
		if !isSel || sel.X != id || len(stack) < 2 {
			if as, ok := parent.(*ast.AssignStmt); ok && assigned(as, id) {
				return true // (re)defined
			}
			if _, ok := parent.(*ast.BinaryExpr); ok {
				return true // v != nil
			}
			escaped[v] = true
			return true
		}
		call, isCall := stack[len(stack)-2].(*ast.CallExpr)
		if !isCall || call.Fun != sel {
			if _, isField := info.Uses[sel.Sel].(*types.Var); isField {
				return true // v.field: a read of its state
			}
			escaped[v] = true // a method value
			return true
		}
		name := sel.Sel.Name
		for _, s := range stopMethods {
			if name == s {
				stopped[v] = true
			}
		}
		inGo := len(stack) >= 3
		if inGo {
			_, inGo = stack[len(stack)-3].(*ast.GoStmt)
		}
		if starts[v] == nil && (inGo || c.methodStartsGoroutine(call)) && c.stopEnds(call, inGo) {
			starts[v] = call
		}
		return true
	})
}

// methodStartsGoroutine reports whether call calls a method of this
// package whose body has a go statement.
func (c *checker) methodStartsGoroutine(call *ast.CallExpr) bool {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() != c.pass.Pkg {
		return false
	}
	fd := report.HelperResult[*index.Index](c.pass, index.Analyzer).Decl(fn)
	if fd == nil {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.GoStmt); ok {
			found = true
		}
		return !found
	})
	return found
}

// stopEnds reports whether the goroutine that call starts is one that
// its type's stop method ends: for a method of this package, the body
// the goroutine runs (the method itself under go v.M(), else the go
// statements in the method) reads a field that a Close, Stop or
// Shutdown of the type closes, sends on, stops (r.w.Stop()) or cancels
// (r.cancel(), which also counts for the type's context fields). A goroutine that
// finishes on its own, or ends on a context its caller cancels, is not
// the stop method's to end. Methods of other packages (go
// srv.ListenAndServe()) are taken at their word.
func (c *checker) stopEnds(call *ast.CallExpr, inGo bool) bool {
	ix := report.HelperResult[*index.Index](c.pass, index.Analyzer)
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() != c.pass.Pkg {
		return inGo // another package's method: known only by its name.
	}
	decl := ix.Decl(fn)
	recv := fn.Signature().Recv()
	if decl == nil || recv == nil {
		return false
	}
	signalled := c.stopSignals(ix, recv.Type())
	if len(signalled) == 0 {
		return false
	}
	var bodies []*ast.BlockStmt
	if inGo {
		bodies = append(bodies, decl.Body)
	} else {
		for _, st := range ix.Starts() {
			if st.Body != nil && st.Node.Pos() >= decl.Body.Pos() && st.Node.End() <= decl.Body.End() {
				bodies = append(bodies, st.Body)
			}
		}
	}
	for _, body := range bodies {
		if c.readsAny(body, signalled) {
			return true
		}
	}
	return false
}

// stopSignals returns the fields that the stop methods of t close,
// call (a cancel func) or send on.
func (c *checker) stopSignals(ix *index.Index, t types.Type) map[types.Object]bool {
	info := c.pass.TypesInfo
	out := make(map[types.Object]bool)
	cancels := false
	ms := types.NewMethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	for _, name := range stopMethods {
		sel := ms.Lookup(c.pass.Pkg, name)
		if sel == nil {
			continue
		}
		m, ok := sel.Obj().(*types.Func)
		if !ok {
			continue
		}
		d := ix.Decl(m)
		if d == nil {
			continue
		}
		ast.Inspect(d.Body, func(n ast.Node) bool {
			var target ast.Expr
			switch n := n.(type) {
			case *ast.SendStmt:
				target = n.Chan
			case *ast.CallExpr:
				if b, ok := info.Uses[code.IdentOf(n.Fun)].(*types.Builtin); ok && b.Name() == "close" && len(n.Args) == 1 {
					target = n.Args[0]
				} else if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
					if _, isField := info.Uses[sel.Sel].(*types.Var); isField {
						target = sel // r.cancel()
						cancels = true
					} else {
						target = sel.X // r.watcher.Stop()
					}
				}
			}
			if sel, ok := ast.Unparen(target).(*ast.SelectorExpr); ok {
				if v, ok := info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
					out[v.Origin()] = true
				}
			}
			return true
		})
	}
	if cancels {
		// A cancel func field cancels the context the type keeps beside it.
		if st, ok := derefNamed(t).Underlying().(*types.Struct); ok {
			for f := range st.Fields() {
				if code.IsNamedType(f.Type(), "context", "Context") {
					out[f.Origin()] = true
				}
			}
		}
	}
	return out
}

// derefNamed returns t without a pointer.
func derefNamed(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// readsAny reports whether body, or a function of the package it
// calls (one call deep: go func() { c.serve() }()), reads one of fields.
func (c *checker) readsAny(body *ast.BlockStmt, fields map[types.Object]bool) bool {
	ix := report.HelperResult[*index.Index](c.pass, index.Analyzer)
	reads := func(body *ast.BlockStmt, follow bool) bool {
		found := false
		var callees []*ast.BlockStmt
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if v, ok := c.pass.TypesInfo.Uses[n.Sel].(*types.Var); ok && fields[v.Origin()] {
					found = true
				}
			case *ast.CallExpr:
				if fn := typeutil.StaticCallee(c.pass.TypesInfo, n); follow && fn != nil {
					if d := ix.Decl(fn); d != nil {
						callees = append(callees, d.Body)
					}
				}
			}
			return !found
		})
		for _, cb := range callees {
			if found {
				break
			}
			ast.Inspect(cb, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if v, ok := c.pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && fields[v.Origin()] {
						found = true
					}
				}
				return !found
			})
		}
		return found
	}
	return reads(body, true)
}

// hasStopMethod reports whether t (a pointer to a named type, or one)
// has a method named like a stop.
func hasStopMethod(t types.Type) bool {
	return stopNames(t) != ""
}

// stopNames lists t's stop methods as a message names them
// ("Shutdown or Close").
func stopNames(t types.Type) string {
	if _, ok := t.Underlying().(*types.Interface); ok {
		return "" // an interface value: its dynamic type decides.
	}
	ms := types.NewMethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	var names []string
	for _, s := range stopMethods {
		if sel := ms.Lookup(nil, s); sel != nil {
			names = append(names, s)
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// startCall returns the call at a start.
func startCall(n ast.Node) ast.Expr {
	if call, ok := n.(*ast.CallExpr); ok {
		return call.Fun
	}
	return nil
}
