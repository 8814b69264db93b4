package sigstate

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// A registration is one signal.Notify or signal.NotifyContext call and
// the handlers found for it.
type registration struct {
	call    *ast.CallExpr
	cur     inspector.Cursor // the call
	regFunc inspector.Cursor // innermost function holding the call
	ch      types.Object     // the channel (Notify) or context (NotifyContext); nil if unknown
	signals []ast.Expr       // the registered signals; none means all
	// escapes is set when the channel or context is used in a way that
	// may hand it to a receiver out of sight (returned, stored, passed
	// to a function whose body is not in this package).
	escapes  bool
	handlers []*handler
}

// A handler is the code that runs after one receive of a signal.
type handler struct {
	reg  *registration
	recv inspector.Cursor // the receive (*ast.UnaryExpr or *ast.RangeStmt)
	fn   inspector.Cursor // innermost function holding the receive
	body []ast.Stmt       // the statements that run after the receive
	sig  types.Object     // the variable holding the received signal, if any
	loop bool             // the handler runs again for the next signal
	// signals are those of every registration on the same channel in
	// the same function (Notify may be called once per signal); nil
	// means every signal. Set by sameChannelSignals.
	signals []ast.Expr
}

// registrations finds every signal.Notify and signal.NotifyContext call
// of the package together with its handlers.
func (c *checker) registrations() []*registration {
	var regs []*registration
	for cur := range c.insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		switch {
		case code.IsCallTo(c.pass.TypesInfo, call, "os/signal.Notify") && len(call.Args) > 0:
			reg := &registration{call: call, cur: cur, regFunc: enclosingFunc(cur), signals: call.Args[1:]}
			reg.ch = objOf(c.pass.TypesInfo, call.Args[0])
			if reg.ch != nil {
				c.findChanHandlers(reg)
			}
			regs = append(regs, reg)
		case code.IsCallTo(c.pass.TypesInfo, call, "os/signal.NotifyContext") && len(call.Args) > 0:
			reg := &registration{call: call, cur: cur, regFunc: enclosingFunc(cur), signals: call.Args[1:]}
			if assign, ok := cur.Parent().Node().(*ast.AssignStmt); ok && len(assign.Lhs) == 2 && len(assign.Rhs) == 1 {
				reg.ch = objOf(c.pass.TypesInfo, assign.Lhs[0])
			}
			if reg.ch != nil {
				c.findContextHandlers(reg)
			}
			regs = append(regs, reg)
		}
	}
	return regs
}

// sameChannelSignals returns the signals that every registration of
// h's channel in the same function registers; nil means all signals.
func (c *checker) sameChannelSignals(h *handler) []ast.Expr {
	signals := []ast.Expr{}
	for _, reg := range c.regs {
		if reg.ch != h.reg.ch || reg.regFunc != h.reg.regFunc {
			continue
		}
		if len(reg.signals) == 0 {
			return nil
		}
		signals = append(signals, reg.signals...)
	}
	return signals
}

// searchRoot returns where the uses of obj may be: the outermost
// function declaring a local, or the whole package.
func (c *checker) searchRoot(obj types.Object, at inspector.Cursor) inspector.Cursor {
	if isLocal(obj) {
		for decl := range at.Enclosing((*ast.FuncDecl)(nil)) {
			return decl
		}
	}
	return c.insp.Root()
}

// findChanHandlers finds the receives from reg.ch and records a handler
// for each. A channel passed to a function of this package is followed
// into that function's body, one call deep.
func (c *checker) findChanHandlers(reg *registration) {
	c.findChanHandlersOf(reg, reg.ch, c.searchRoot(reg.ch, reg.cur), true)
}

func (c *checker) findChanHandlersOf(reg *registration, ch types.Object, root inspector.Cursor, follow bool) {
	info := c.pass.TypesInfo
	for _, cur := range c.usesOf(ch) { // indexed once: walking root per registration was quadratic
		if root.Node() != nil && !root.Contains(cur) { // root: the whole package
			continue
		}
		id := cur.Node().(*ast.Ident)
		use := cur
		if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			use = cur.Parent()
		}
		parent := use.Parent()
		switch p := parent.Node().(type) {
		case *ast.UnaryExpr:
			if p.Op == token.ARROW {
				c.addHandler(reg, parent)
				continue
			}
		case *ast.RangeStmt:
			if p.X == use.Node() {
				c.addHandler(reg, parent)
				continue
			}
		case *ast.CallExpr:
			if code.IsCallTo(info, p, "os/signal.Notify", "os/signal.Stop", "os/signal.Reset") {
				continue // registering it, not receiving
			}
			if fn, param := calleeParam(c.pass, p, use.Node()); fn != nil && follow {
				if decl, ok := c.funcDecl(fn); ok {
					c.findChanHandlersOf(reg, param, decl, false)
					continue
				}
			}
		case *ast.AssignStmt:
			if isLHS(p, use.Node()) {
				continue // (re)made, not handed on
			}
		case *ast.ValueSpec:
			continue
		case *ast.KeyValueExpr:
			if p.Key == use.Node() && isMakeChan(c.pass, p.Value) != nil {
				continue // a field made in a composite literal, not handed on
			}
		}
		reg.escapes = true
	}
}

// findContextHandlers finds the receives from reg.ch.Done() for a
// context returned by signal.NotifyContext.
func (c *checker) findContextHandlers(reg *registration) {
	root := c.searchRoot(reg.ch, reg.cur)
	for _, cur := range c.usesOf(reg.ch) {
		if root.Node() != nil && !root.Contains(cur) { // root: the whole package
			continue
		}
		id := cur.Node().(*ast.Ident)
		sel, ok := cur.Parent().Node().(*ast.SelectorExpr)
		if !ok || sel.X != id || sel.Sel.Name != "Done" {
			reg.escapes = true // passed on, or asked for Err: out of sight
			continue
		}
		call := cur.Parent().Parent()
		if _, ok := call.Node().(*ast.CallExpr); !ok {
			reg.escapes = true
			continue
		}
		if u, ok := call.Parent().Node().(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			c.addHandler(reg, call.Parent())
		}
	}
}

// addHandler records the handler that runs after the receive at recv.
func (c *checker) addHandler(reg *registration, recv inspector.Cursor) {
	h := &handler{reg: reg, recv: recv, fn: enclosingFunc(recv)}
	if h.fn.Node() == nil {
		return // a receive in a package-level initializer
	}
	info := c.pass.TypesInfo
	if rs, ok := recv.Node().(*ast.RangeStmt); ok {
		h.body, h.loop = rs.Body.List, true
		if rs.Key != nil {
			h.sig = objOf(info, rs.Key)
		}
		reg.handlers = append(reg.handlers, h)
		return
	}
	stmt := recv.Parent()
	direct := true // the statement only receives
	switch p := stmt.Node().(type) {
	case *ast.ExprStmt:
	case *ast.AssignStmt:
		if len(p.Lhs) > 0 && len(p.Rhs) == 1 && p.Rhs[0] == recv.Node() {
			h.sig = objOf(info, p.Lhs[0])
		}
	default:
		direct = false
		for s := range recv.Enclosing((*ast.ExprStmt)(nil), (*ast.AssignStmt)(nil), (*ast.SwitchStmt)(nil),
			(*ast.IfStmt)(nil), (*ast.DeclStmt)(nil), (*ast.ReturnStmt)(nil), (*ast.SendStmt)(nil), (*ast.GoStmt)(nil), (*ast.DeferStmt)(nil)) {
			stmt = s
			break
		}
	}
	if cc, ok := stmt.Parent().Node().(*ast.CommClause); ok && cc.Comm == stmt.Node() {
		h.body = cc.Body
	} else {
		h.body = restOfBlock(stmt)
		if direct && len(h.body) > 0 {
			h.body = h.body[1:]
		}
	}
	for l := range recv.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch l.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			h.loop = true
		}
		if h.loop || l == h.fn {
			break
		}
	}
	reg.handlers = append(reg.handlers, h)
}

// restOfBlock returns the statement at stmt and those after it in the
// enclosing statement list.
func restOfBlock(stmt inspector.Cursor) []ast.Stmt {
	list, ok := code.StmtList(stmt.Parent().Node())
	if !ok {
		return nil // a statement that is not in a list
	}
	for i, s := range list {
		if s == stmt.Node() {
			return list[i:]
		}
	}
	return nil
}

// enclosingFunc returns the innermost FuncLit or FuncDecl holding cur,
// or the root (whose Node is nil) for package-level code.
func enclosingFunc(cur inspector.Cursor) inspector.Cursor {
	for fn := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		return fn
	}
	return cur.Inspector().Root()
}

// funcBody returns the body of a FuncLit or FuncDecl cursor.
func funcBody(fn inspector.Cursor) *ast.BlockStmt {
	switch n := fn.Node().(type) {
	case *ast.FuncLit:
		return n.Body
	case *ast.FuncDecl:
		return n.Body
	}
	return nil
}

// funcDecl returns the cursor of the declaration of fn in this package.
func (c *checker) funcDecl(fn *types.Func) (inspector.Cursor, bool) {
	for cur := range c.insp.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		if decl.Body != nil && c.pass.TypesInfo.Defs[decl.Name] == fn {
			return cur, true
		}
	}
	return inspector.Cursor{}, false
}

// calleeParam returns the statically called function of this package
// and the parameter that receives arg.
func calleeParam(pass *analysis.Pass, call *ast.CallExpr, arg ast.Node) (*types.Func, types.Object) {
	fn := typeutil.StaticCallee(pass.TypesInfo, call)
	if fn == nil || fn.Pkg() != pass.Pkg {
		return nil, nil
	}
	fn = fn.Origin() // the declared parameters, not an instance's
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return nil, nil
	}
	for i, a := range call.Args {
		if a == arg && i < sig.Params().Len() && (!sig.Variadic() || i < sig.Params().Len()-1) {
			return fn, sig.Params().At(i)
		}
	}
	return nil, nil
}

// objOf returns the variable an identifier or selector denotes.
func objOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj, ok := info.Defs[e].(*types.Var); ok {
			return obj
		}
		if obj, ok := info.Uses[e].(*types.Var); ok {
			return obj
		}
	case *ast.SelectorExpr:
		if obj, ok := info.Uses[e.Sel].(*types.Var); ok {
			return obj
		}
	}
	return nil
}

// isLocal reports whether obj is a local variable (not a field and not
// declared at package level).
func isLocal(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && !v.IsField() && v.Pkg() != nil && v.Parent() != v.Pkg().Scope()
}

// isLHS reports whether e is one of the assignment's left-hand sides.
func isLHS(assign *ast.AssignStmt, e ast.Node) bool {
	for _, l := range assign.Lhs {
		if l == e {
			return true
		}
	}
	return false
}
