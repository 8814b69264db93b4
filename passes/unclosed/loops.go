package unclosed

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/resources"
)

// checkDeferInLoop reports "defer x.Close()" of a resource inside a
// loop body: the deferred calls run when the function returns, so every
// iteration's resource stays open until then. It does not when the
// resource must outlive its iteration or is released or drained by the
// end of it anyway (see deferHoldsAcross).
func (c *checker) checkDeferInLoop(inspect *inspector.Inspector) {
	pass := c.pass
	for cur := range inspect.Root().Preorder((*ast.DeferStmt)(nil)) {
		stmt := cur.Node().(*ast.DeferStmt)
		kind := releasedBy(pass, c.set, stmt.Call)
		if kind == nil {
			continue // not the release of a known resource.
		}
		if !inLoop(cur) || c.leavesLoop(cur) {
			continue // ok: runs once, then the function returns.
		}
		if !c.deferHoldsAcross(stmt.Defer, kind) {
			continue // ok: the resource outlives the iteration, or nothing is held at its end.
		}
		pass.Report(analysis.Diagnostic{Pos: stmt.Pos(), Category: "defer-loop",
			Message: fmt.Sprintf("defer %s in a loop runs only when the function returns, keeping every iteration's %s open until then; %s it at the end of the iteration or move the loop body into a function",
				types.ExprString(stmt.Call), kind.Noun, releaseVerb(kind))})
	}
}

// inLoop reports whether cur is inside a loop of its innermost function.
func inLoop(cur inspector.Cursor) bool {
	for p := range cur.Enclosing() {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
	}
	return false
}

func releaseVerb(k *resources.Kind) string {
	if k.Verb == "" {
		return "close"
	}
	return "release"
}

// releasedBy returns the kind of resource that call releases:
// rows.Close(), tx.Rollback(), resp.Body.Close().
func releasedBy(pass *analysis.Pass, set *resources.Set, call *ast.CallExpr) *resources.Kind {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	x := ast.Unparen(sel.X)
	if body, ok := x.(*ast.SelectorExpr); ok && sel.Sel.Name == "Close" {
		if k := set.KindOf(pass.TypesInfo.TypeOf(body.X)); k != nil && k.Field == body.Sel.Name {
			return k
		}
	}
	if k := set.KindOf(pass.TypesInfo.TypeOf(x)); k != nil && k.Field == "" && k.IsRelease(sel.Sel.Name) {
		return k
	}
	return nil
}

// leavesLoop reports whether every path from the defer at cur leaves
// the innermost loop around it (returns, breaks out of it, panics), so
// the defer runs at most once: a statement that always leaves follows
// it in its block, or in a block it falls through to before the loop
// body ends (the rest of an enclosing if, case or block).
func (c *checker) leavesLoop(cur inspector.Cursor) bool {
	node := cur.Node().(ast.Stmt)
	inSwitch := false // an unlabeled break leaves a switch or select, not the loop
	for p := cur.Parent(); ; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit, *ast.FuncDecl, nil:
			return false
		case *ast.CaseClause:
			inSwitch = true
			if c.leaveAfter(n.Body, node, inSwitch) {
				return true
			}
		case *ast.CommClause:
			inSwitch = true
			if c.leaveAfter(n.Body, node, inSwitch) {
				return true
			}
		case *ast.BlockStmt:
			switch node.(type) {
			case *ast.CaseClause, *ast.CommClause:
				// the body of a switch or select: later clauses do not follow
			default:
				if c.leaveAfter(n.List, node, inSwitch) {
					return true
				}
			}
		}
		if s, ok := p.Node().(ast.Stmt); ok {
			node = s
		}
	}
}

// leaveAfter reports whether a statement after s in list always leaves
// the loop.
func (c *checker) leaveAfter(list []ast.Stmt, s ast.Stmt, inSwitch bool) bool {
	i := slices.Index(list, s)
	return i >= 0 && slices.ContainsFunc(list[i+1:], func(s ast.Stmt) bool { return c.leaves(s, inSwitch) })
}

// leaves reports whether statement s always leaves the loop around it:
// a return, a goto, a labelled break, an unlabelled break outside any
// switch or select (inSwitch), a call that does not return, or an if
// with an else, a switch with a default, or a select, all of whose
// branches leave.
func (c *checker) leaves(s ast.Stmt, inSwitch bool) bool {
	list := func(l []ast.Stmt, inSwitch bool) bool {
		return slices.ContainsFunc(l, func(s ast.Stmt) bool { return c.leaves(s, inSwitch) })
	}
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		switch s.Tok {
		case token.GOTO:
			return true
		case token.BREAK:
			return s.Label != nil || !inSwitch
		}
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		return ok && c.callNoReturn(call)
	case *ast.BlockStmt:
		return list(s.List, inSwitch)
	case *ast.LabeledStmt:
		return c.leaves(s.Stmt, inSwitch)
	case *ast.IfStmt:
		return s.Else != nil && list(s.Body.List, inSwitch) && c.leaves(s.Else, inSwitch)
	case *ast.SwitchStmt:
		return clausesLeave(s.Body, true, func(l []ast.Stmt) bool { return list(l, true) })
	case *ast.TypeSwitchStmt:
		return clausesLeave(s.Body, true, func(l []ast.Stmt) bool { return list(l, true) })
	case *ast.SelectStmt:
		return clausesLeave(s.Body, false, func(l []ast.Stmt) bool { return list(l, true) })
	}
	return false
}

// clausesLeave reports whether every clause of a switch or select body
// leaves; a switch must have a default clause.
func clausesLeave(body *ast.BlockStmt, needDefault bool, leave func([]ast.Stmt) bool) bool {
	hasDefault := false
	for _, cl := range body.List {
		var stmts []ast.Stmt
		switch cl := cl.(type) {
		case *ast.CaseClause:
			hasDefault = hasDefault || cl.List == nil
			stmts = cl.Body
		case *ast.CommClause:
			stmts = cl.Body
		}
		if !leave(stmts) {
			return false
		}
	}
	return len(body.List) > 0 && (hasDefault || !needDefault)
}

// callNoReturn reports whether call never returns: panic, or a function
// ctrlflow or the knowledge table knows.
func (c *checker) callNoReturn(call *ast.CallExpr) bool {
	if b, ok := c.pass.TypesInfo.Uses[calleeIdent(call.Fun)].(*types.Builtin); ok {
		return b.Name() == "panic"
	}
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return ok && (knowledge.NoReturn(fn.Origin().FullName()) || c.cfgs.NoReturn(fn))
}

func calleeIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}

// requestMethods are the calls that send a request through a client or
// transport.
var requestMethods = []string{"Do", "Get", "Post", "PostForm", "Head", "RoundTrip"}

// checkTransportPerRequest reports a new http.Transport made in an HTTP
// handler or a loop and used there to send requests: every call gets a
// connection pool of its own, whose idle connections are never reused
// and, unless CloseIdleConnections is called, never closed.
func (c *checker) checkTransportPerRequest(inspect *inspector.Inspector) {
	pass := c.pass
	if !code.Imports(pass, "net/http") {
		return
	}
	for cur := range inspect.Root().Preorder((*ast.CompositeLit)(nil), (*ast.CallExpr)(nil)) {
		if !isNewTransport(pass, cur.Node()) {
			continue
		}
		where, body := perRequestPlace(pass, cur)
		if where == "" {
			continue // built once, at setup.
		}
		if where == "in a loop" && c.leavesLoop(enclosingStmt(cur)) {
			continue // the loop makes it once: every path from it leaves the loop.
		}
		u := &transportUse{pass: pass, fn: body, seen: make(map[types.Object]bool)}
		u.follow(cur)
		if !u.requested || u.closed || u.escapes {
			continue // ok: shared beyond this call, or its pool is closed.
		}
		pass.Report(analysis.Diagnostic{Pos: cur.Node().Pos(), Category: "transport-per-request",
			Message: fmt.Sprintf("new http.Transport %s: every call gets its own connection pool, whose idle connections are never reused and never closed; create the Transport (or the http.Client) once and share it", where)})
	}
}

// enclosingStmt returns the cursor of the innermost statement around cur.
func enclosingStmt(cur inspector.Cursor) inspector.Cursor {
	for p := range cur.Enclosing() {
		if _, ok := p.Node().(ast.Stmt); ok {
			return p
		}
	}
	return cur
}

// isNewTransport reports whether n makes a new http.Transport: a
// composite literal or a Clone of another.
func isNewTransport(pass *analysis.Pass, n ast.Node) bool {
	switch n := n.(type) {
	case *ast.CompositeLit:
		return code.IsNamedType(pass.TypesInfo.TypeOf(n), "net/http", "Transport")
	case *ast.CallExpr:
		return code.IsCallTo(pass.TypesInfo, n, "(*net/http.Transport).Clone")
	}
	return false
}

// perRequestPlace says whether cur sits in a loop or an HTTP handler of
// its innermost function, and returns that function.
func perRequestPlace(pass *analysis.Pass, cur inspector.Cursor) (string, inspector.Cursor) {
	where := ""
	for p := range cur.Enclosing() {
		switch n := p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if where == "" {
				where = "in a loop"
			}
		case *ast.FuncLit:
			if isHandler(pass.TypesInfo.TypeOf(n)) {
				where = "in an HTTP handler"
			}
			return where, p
		case *ast.FuncDecl:
			if obj, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok && isHandler(obj.Type()) {
				where = "in an HTTP handler"
			}
			return where, p
		}
	}
	return "", cur
}

// isHandler reports whether t is func(http.ResponseWriter, *http.Request).
func isHandler(t types.Type) bool {
	sig, ok := t.(*types.Signature)
	if !ok || sig.Params().Len() != 2 {
		return false
	}
	return code.IsNamedType(sig.Params().At(0).Type(), "net/http", "ResponseWriter") &&
		code.IsNamedType(sig.Params().At(1).Type(), "net/http", "Request")
}

// transportUse follows a new transport through the variables and
// clients that hold it within one function body.
type transportUse struct {
	pass                       *analysis.Pass
	fn                         inspector.Cursor // the enclosing function
	seen                       map[types.Object]bool
	requested, closed, escapes bool
}

// follow classifies the expression at cur (the transport, or a client
// or variable holding it).
func (u *transportUse) follow(cur inspector.Cursor) {
	for {
		parent := cur.Parent()
		switch p := parent.Node().(type) {
		case *ast.ParenExpr, *ast.UnaryExpr:
			cur = parent
			continue
		case *ast.KeyValueExpr:
			key, ok := p.Key.(*ast.Ident)
			lit, isLit := parent.Parent().Node().(*ast.CompositeLit)
			if ok && key.Name == "Transport" && isLit && code.IsNamedType(u.pass.TypesInfo.TypeOf(lit), "net/http", "Client") {
				cur = parent.Parent()
				continue
			}
			u.escapes = true
		case *ast.SelectorExpr:
			u.method(p.Sel.Name)
		case *ast.AssignStmt:
			i := slices.IndexFunc(p.Rhs, func(e ast.Expr) bool { return e == cur.Node() })
			if i < 0 || len(p.Lhs) != len(p.Rhs) {
				u.escapes = true
				return
			}
			u.variable(p.Lhs[i])
		case *ast.ValueSpec:
			i := slices.IndexFunc(p.Values, func(e ast.Expr) bool { return e == cur.Node() })
			if i < 0 || len(p.Names) != len(p.Values) {
				u.escapes = true
				return
			}
			u.variable(p.Names[i])
		default:
			u.escapes = true // returned, passed on, stored: shared
		}
		return
	}
}

func (u *transportUse) method(name string) {
	switch {
	case slices.Contains(requestMethods, name):
		u.requested = true
	case name == "CloseIdleConnections":
		u.closed = true
	}
}

// variable follows the uses of the local variable lhs.
func (u *transportUse) variable(lhs ast.Expr) {
	id, ok := lhs.(*ast.Ident)
	if !ok {
		u.escapes = true // a field, element or dereference
		return
	}
	obj := u.pass.TypesInfo.ObjectOf(id)
	v, ok := obj.(*types.Var)
	if !ok || v.Parent() == v.Pkg().Scope() {
		u.escapes = true // a global
		return
	}
	if u.seen[obj] {
		return
	}
	u.seen[obj] = true
	for cur := range u.fn.Preorder((*ast.Ident)(nil)) {
		if use := cur.Node().(*ast.Ident); use != id && u.pass.TypesInfo.Uses[use] == obj {
			u.follow(cur)
		}
	}
}
