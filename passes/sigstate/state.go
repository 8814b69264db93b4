package sigstate

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// handlerWrites calls f for every assignment target in h's body, with
// the statement that assigns it.
func (c *checker) handlerWrites(h *handler, f func(stmt ast.Stmt, lhs ast.Expr)) {
	for _, stmt := range h.body {
		ast.Inspect(stmt, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok.String() != ":=" {
					for _, l := range n.Lhs {
						f(n, l)
					}
				}
			case *ast.IncDecStmt:
				f(n, n.X)
			}
			return true
		})
	}
}

// checkCopy reports a handler that sets a field of (or assigns) a copy
// nobody reads afterwards: a value receiver, a struct parameter, a range
// variable, or a local copy of shared state.
func (c *checker) checkCopy(h *handler) {
	c.handlerWrites(h, func(stmt ast.Stmt, lhs ast.Expr) {
		root, field := copyRoot(c.pass.TypesInfo, lhs)
		if root == nil {
			return
		}
		v, ok := c.pass.TypesInfo.Uses[root].(*types.Var)
		if !ok || !isLocal(v) {
			return
		}
		why := c.copyKind(v, h, field == "")
		if why == "" || c.observed(v, field, root) {
			return
		}
		c.reported[stmt] = true
		c.pass.Report(analysis.Diagnostic{
			Category: "copy",
			Pos:      lhs.Pos(), End: lhs.End(),
			Message: fmt.Sprintf("signal handler sets %s on a copy that nothing reads afterwards: %s, so the change never reaches the goroutines that must stop",
				types.ExprString(lhs), why),
			Related: []analysis.RelatedInformation{{Pos: v.Pos(), Message: "the copy " + v.Name() + " is declared here"}},
		})
	})
}

// checkCopyCallee reports a handler that calls a function of this
// package passing a flag by value (or calls a value-receiver method of
// it) when the callee sets its copy and nothing reads it afterwards:
// stop(running) with func stop(flag bool) { flag = false }.
func (c *checker) checkCopyCallee(h *handler) {
	info := c.pass.TypesInfo
	for _, stmt := range h.body {
		ast.Inspect(stmt, func(n ast.Node) bool {
			if _, lit := n.(*ast.FuncLit); lit {
				return false // runs later, if at all
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := typeutil.StaticCallee(info, call)
			if fn == nil || fn.Pkg() != c.pass.Pkg {
				return true
			}
			decl, ok := c.funcDecl(fn.Origin())
			if !ok || decl == h.fn {
				return true
			}
			fd := decl.Node().(*ast.FuncDecl)
			// args maps the callee's copies to the caller's expressions.
			args := make(map[*types.Var]ast.Expr)
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
				if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal && !s.Indirect() {
					if _, ptr := fn.Type().(*types.Signature).Recv().Type().(*types.Pointer); !ptr {
						if v, ok := info.Defs[fd.Recv.List[0].Names[0]].(*types.Var); ok {
							args[v] = sel.X
						}
					}
				}
			}
			sig := fn.Type().(*types.Signature)
			for i, a := range call.Args {
				if i < sig.Params().Len() && (!sig.Variadic() || i < sig.Params().Len()-1) && objOf(info, a) != nil {
					args[sig.Params().At(i)] = a
				}
			}
			if len(args) == 0 {
				return true
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				var lhss []ast.Expr
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.AssignStmt:
					if n.Tok != token.DEFINE {
						lhss = n.Lhs
					}
				case *ast.IncDecStmt:
					lhss = []ast.Expr{n.X}
				}
				for _, lhs := range lhss {
					root, field := copyRoot(info, lhs)
					if root == nil {
						continue
					}
					v, ok := info.Uses[root].(*types.Var)
					arg, passed := args[v]
					if !ok || !passed {
						continue
					}
					_, basic := v.Type().Underlying().(*types.Basic)
					if field == "" && !basic || c.observed(v, field, root) {
						continue
					}
					delete(args, v) // once per copy
					c.pass.Report(analysis.Diagnostic{
						Category: "copy",
						Pos:      arg.Pos(), End: arg.End(),
						Message: fmt.Sprintf("signal handler passes %s by value to %s, which sets %s on its copy that nothing reads afterwards: the change never reaches the goroutines that must stop; pass a pointer",
							types.ExprString(arg), fn.Name(), types.ExprString(lhs)),
						Related: []analysis.RelatedInformation{{Pos: lhs.Pos(), Message: fn.Name() + " sets its copy here"}},
					})
				}
				return true
			})
			return true
		})
	}
}

// copyRoot returns the variable at the root of lhs and the first field
// selected from it, when no step of lhs goes through a pointer, slice or
// map (so that the write stays in the root variable's own memory).
func copyRoot(info *types.Info, lhs ast.Expr) (*ast.Ident, string) {
	field := ""
	for {
		switch e := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			return e, field
		case *ast.SelectorExpr:
			sel, ok := info.Selections[e]
			if !ok || sel.Kind() != types.FieldVal || sel.Indirect() {
				return nil, ""
			}
			if _, ptr := info.TypeOf(e.X).Underlying().(*types.Pointer); ptr {
				return nil, ""
			}
			field, lhs = e.Sel.Name, e.X
		case *ast.IndexExpr:
			if _, arr := info.TypeOf(e.X).Underlying().(*types.Array); !arr {
				return nil, ""
			}
			lhs = e.X
		default:
			return nil, ""
		}
	}
}

// copyKind explains why v is a copy when it is one: a value receiver, a
// struct parameter, a range variable or a local copy of shared state. A
// plain (fieldless) write only counts for the last.
//
// A plain write to a parameter counts when the parameter has a basic
// type: a flag or counter passed by value (go onSignal(sigs, stopping))
// that the handler sets for the caller to see.
func (c *checker) copyKind(v *types.Var, h *handler, plain bool) string {
	_, basic := v.Type().Underlying().(*types.Basic)
	for fn := range h.fn.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		var params *ast.FieldList
		switch fd := fn.Node().(type) {
		case *ast.FuncDecl:
			if fd.Recv != nil && !plain && declares(c.pass.TypesInfo, fd.Recv, v) {
				return v.Name() + " is a value receiver: use a pointer receiver"
			}
			params = fd.Type.Params
		case *ast.FuncLit:
			params = fd.Type.Params
		}
		if (!plain || basic) && declares(c.pass.TypesInfo, params, v) {
			return v.Name() + " is passed by value: pass a pointer"
		}
	}
	id := c.defIdent(v)
	if id == nil {
		return ""
	}
	switch p := id.Parent().Node().(type) {
	case *ast.RangeStmt:
		if p.Value == id.Node() && !plain {
			return fmt.Sprintf("%s is a copy of an element of %s: index the element or range over pointers", v.Name(), types.ExprString(p.X))
		}
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) {
			for i, l := range p.Lhs {
				if l == id.Node() && c.isSharedState(p.Rhs[i]) {
					return fmt.Sprintf("%s is a local copy of %s: assign to %s itself", v.Name(), types.ExprString(p.Rhs[i]), types.ExprString(p.Rhs[i]))
				}
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) {
			for i, n := range p.Names {
				if n == id.Node() && c.isSharedState(p.Values[i]) {
					return fmt.Sprintf("%s is a local copy of %s: assign to %s itself", v.Name(), types.ExprString(p.Values[i]), types.ExprString(p.Values[i]))
				}
			}
		}
	}
	return ""
}

// isSharedState reports whether e reads a package-level variable, or a
// field of one, or dereferences a pointer: state other goroutines see.
func (c *checker) isSharedState(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.StarExpr:
		return true
	case *ast.Ident:
		v, ok := c.pass.TypesInfo.Uses[e].(*types.Var)
		return ok && !isLocal(v) && !v.IsField()
	case *ast.SelectorExpr:
		if v, ok := c.pass.TypesInfo.Uses[e.Sel].(*types.Var); ok && !v.IsField() {
			return true // pkg.Var
		}
		return c.isSharedState(e.X)
	}
	return false
}

// declares reports whether the field list declares v.
func declares(info *types.Info, fields *ast.FieldList, v *types.Var) bool {
	if fields == nil {
		return false
	}
	for _, f := range fields.List {
		for _, n := range f.Names {
			if info.Defs[n] == v {
				return true
			}
		}
	}
	return false
}

// defIdent returns the cursor of the identifier declaring v.
func (c *checker) defIdent(v *types.Var) *inspector.Cursor {
	if !v.Pos().IsValid() {
		return nil
	}
	cur, ok := c.insp.Root().FindByPos(v.Pos(), v.Pos()+1)
	if !ok {
		return nil
	}
	if id, ok := cur.Node().(*ast.Ident); !ok || c.pass.TypesInfo.Defs[id] != v {
		return nil
	}
	return &cur
}

// observed reports whether something may read what the write at root
// stored: a later read of the field (or of the whole variable), in the
// same function after the write or in any other function.
func (c *checker) observed(v *types.Var, field string, root *ast.Ident) bool {
	rootCur, ok := c.insp.Root().FindNode(root)
	if !ok {
		return true
	}
	writeFn := enclosingFunc(rootCur)
	for _, use := range c.usesOf(v) {
		if use.Node() == root {
			continue
		}
		if field != "" {
			if sel, ok := use.Parent().Node().(*ast.SelectorExpr); ok && sel.X == use.Node() {
				if sel.Sel.Name != field {
					if _, isField := c.pass.TypesInfo.Selections[sel]; isField && c.pass.TypesInfo.Selections[sel].Kind() == types.FieldVal {
						continue // another field: does not see this one
					}
				}
			}
		}
		if r, _ := copyRoot(c.pass.TypesInfo, lhsOf(use)); r == use.Node() && isAssignTarget(use) {
			continue // another write
		}
		if enclosingFunc(use) != writeFn {
			return true
		}
		if use.Node().Pos() > root.Pos() && !c.onlyReported(use) || loopCarries(use, root, v) {
			return true
		}
	}
	return false
}

// onlyReported reports whether the read at cur only reports the value:
// it is an argument of a log call, or the condition of an if statement
// whose branches only log. Such a read does not make a copy's change
// reach anyone.
func (c *checker) onlyReported(cur inspector.Cursor) bool {
	child := cur
	for p := cur.Parent(); p.Node() != nil; child, p = p, p.Parent() {
		switch n := p.Node().(type) {
		case *ast.CallExpr:
			if n.Fun == child.Node() {
				return false // calls a method of it
			}
			return isLogCall(c.pass.TypesInfo, n)
		case *ast.IfStmt:
			if n.Cond != child.Node() || !c.logOnly(n.Body.List) {
				return false
			}
			if n.Else != nil {
				blk, ok := n.Else.(*ast.BlockStmt)
				return ok && c.logOnly(blk.List)
			}
			return true
		case *ast.SelectorExpr, *ast.ParenExpr, *ast.BinaryExpr, *ast.UnaryExpr:
			if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
				return false
			}
			continue
		}
		return false
	}
	return false
}

// loopCarries reports whether a loop of use's function encloses both use
// and the write at w but not the declaration of v, so that the use may
// read, in a later iteration, what w stored.
func loopCarries(use inspector.Cursor, w ast.Node, v *types.Var) bool {
	for l := range use.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch l.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
		n := l.Node()
		if n.Pos() <= w.Pos() && w.End() <= n.End() && !(n.Pos() <= v.Pos() && v.Pos() < n.End()) {
			return true
		}
	}
	return false
}

// lhsOf returns the largest selector or index expression rooted at cur.
func lhsOf(cur inspector.Cursor) ast.Expr {
	for {
		switch p := cur.Parent().Node().(type) {
		case *ast.SelectorExpr:
			if p.X != cur.Node() {
				return cur.Node().(ast.Expr)
			}
		case *ast.IndexExpr:
			if p.X != cur.Node() {
				return cur.Node().(ast.Expr)
			}
		default:
			e, _ := cur.Node().(ast.Expr)
			return e
		}
		cur = cur.Parent()
	}
}

// isAssignTarget reports whether the expression rooted at cur is
// assigned to.
func isAssignTarget(cur inspector.Cursor) bool {
	for {
		switch p := cur.Parent().Node().(type) {
		case *ast.SelectorExpr, *ast.IndexExpr, *ast.ParenExpr:
			cur = cur.Parent()
			continue
		case *ast.AssignStmt:
			return isLHS(p, cur.Node())
		case *ast.IncDecStmt:
			return true
		}
		return false
	}
}

// inLoopAround reports whether a loop in use's function encloses both
// use and the node at pos (so the use may run after it).
func inLoopAround(use inspector.Cursor, pos ast.Node) bool {
	for l := range use.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch l.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
		if l.Node().Pos() <= pos.Pos() && pos.End() <= l.Node().End() {
			return true
		}
	}
	return false
}

// checkRace reports a handler that sets a plain variable of basic type,
// without a lock, while a loop in another function polls it.
func (c *checker) checkRace(h *handler) {
	info := c.pass.TypesInfo
	if c.handlerTakesLock(h) {
		return // assume the readers take the lock too.
	}
	c.handlerWrites(h, func(stmt ast.Stmt, lhs ast.Expr) {
		if c.reported[stmt] {
			return
		}
		v, ok := objOf(info, lhs).(*types.Var)
		if !ok || v == nil {
			return
		}
		if _, basic := v.Type().Underlying().(*types.Basic); !basic {
			return // atomics, channels and structs are out of scope
		}
		root, _ := copyRoot(info, lhs)
		var rootVar types.Object
		if root != nil && root != lhs {
			rootVar = info.Uses[root] // a field of a local value: only reads through it can see the write
		}
		if isLocal(v) && within(v.Pos(), []ast.Stmt{funcBody(h.fn)}) {
			return // the handler's own local
		}
		var poll inspector.Cursor
		found := false
		for _, use := range c.usesOf(v) {
			if isAddressTaken(use) {
				return // &v: perhaps used with sync/atomic
			}
			if !found && pollRoot(info, use) == rootVar {
				poll, found = c.pollAt(use, h)
			}
		}
		if !found {
			return
		}
		reader := funcName(enclosingFunc(poll))
		c.reported[stmt] = true
		d := analysis.Diagnostic{
			Category: "race",
			Pos:      lhs.Pos(), End: lhs.End(),
			Message: fmt.Sprintf("signal handler sets %s without synchronization while %s polls it in a loop: a data race, and the compiler may hoist the read so the loop never stops; use an atomic.Bool, close a channel or cancel a context",
				types.ExprString(lhs), reader),
			Related: []analysis.RelatedInformation{{Pos: poll.Node().Pos(), Message: reader + " polls it here"}},
		}
		if assign, ok := stmt.(*ast.AssignStmt); ok {
			if fix, ok := c.notifyContextFix(h, assign, v); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		c.pass.Report(d)
	})
}

// pollAt returns where the use at cur is polled: the use itself when
// it reads the variable inside a lock-free loop of a function other than
// h's, or a call inside such a loop of the getter (a function whose body
// is a single return) that holds the use.
func (c *checker) pollAt(cur inspector.Cursor, h *handler) (inspector.Cursor, bool) {
	if isWrite(cur) || isAssignTarget(cur) {
		return inspector.Cursor{}, false
	}
	if c.inLockFreeLoop(cur, h) {
		return cur, true
	}
	decl, ok := enclosingFunc(cur).Node().(*ast.FuncDecl)
	if !ok || decl.Body == nil || len(decl.Body.List) != 1 {
		return inspector.Cursor{}, false
	}
	if _, ok := decl.Body.List[0].(*ast.ReturnStmt); !ok {
		return inspector.Cursor{}, false // not a getter
	}
	for _, call := range c.usesOf(c.pass.TypesInfo.Defs[decl.Name]) {
		if c.inLockFreeLoop(call, h) {
			return call, true
		}
	}
	return inspector.Cursor{}, false
}

// inLockFreeLoop reports whether cur is inside a loop of a function
// other than h's that takes no lock.
func (c *checker) inLockFreeLoop(cur inspector.Cursor, h *handler) bool {
	fn := enclosingFunc(cur)
	if fn == h.fn {
		return false
	}
	if body := funcBody(fn); body == nil || takesLock(c.pass.TypesInfo, body) {
		return false // the reader takes a lock
	}
	for l := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch l.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
		return true
	}
	return false
}

// pollRoot returns the local variable whose own memory holds the field
// read at cur (a struct value, reached through no pointer), or nil when
// the read goes through a pointer or names a variable directly.
func pollRoot(info *types.Info, cur inspector.Cursor) types.Object {
	sel, ok := cur.Parent().Node().(*ast.SelectorExpr)
	if !ok || sel.Sel != cur.Node() {
		return nil
	}
	root, _ := copyRoot(info, sel)
	if root == nil {
		return nil
	}
	if v, ok := info.Uses[root].(*types.Var); ok && isLocal(v) {
		return v
	}
	return nil
}

// isAddressTaken reports whether the use at cur (or the selector it
// ends) has its address taken.
func isAddressTaken(cur inspector.Cursor) bool {
	use := cur
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == cur.Node() {
		use = cur.Parent()
	}
	u, ok := use.Parent().Node().(*ast.UnaryExpr)
	return ok && u.Op.String() == "&"
}
