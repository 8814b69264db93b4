package sigstate

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// checkShadow reports a handler that declares, with := or var, a new
// variable shadowing one that another goroutine reads, when the new
// variable goes nowhere: only logged or tested, never handed on. Such a
// declaration was meant to update the outer variable.
func (c *checker) checkShadow(h *handler) {
	for _, stmt := range h.body {
		cur, ok := h.fn.FindNode(stmt)
		if !ok {
			continue
		}
		for decl := range cur.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
			var ids []*ast.Ident
			switch n := decl.Node().(type) {
			case *ast.AssignStmt:
				if n.Tok != token.DEFINE {
					continue
				}
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						ids = append(ids, id)
					}
				}
			case *ast.ValueSpec:
				ids = n.Names
			}
			for _, id := range ids {
				c.checkShadowingIdent(h, decl, id)
			}
		}
	}
}

// checkShadowingIdent reports id, declared by decl in handler h, if it
// shadows a variable of the same type that some other function reads.
func (c *checker) checkShadowingIdent(h *handler, decl inspector.Cursor, id *ast.Ident) {
	v, ok := c.pass.TypesInfo.Defs[id].(*types.Var)
	if !ok || v.Parent() == nil || v.Parent().Parent() == nil {
		return // redeclared, blank, or missing type information.
	}
	switch v.Name() {
	case "_", "err", "ok":
		return // conventionally fresh.
	}
	if isShutdownType(v.Type()) {
		return // a fresh context for the shutdown is the usual idiom.
	}
	_, outerObj := v.Parent().Parent().LookupParent(v.Name(), v.Pos())
	outer, ok := outerObj.(*types.Var)
	if !ok || outer.IsField() || !types.Identical(outer.Type(), v.Type()) {
		return // nothing shadowed, or something else.
	}
	if within(outer.Pos(), h.body) {
		return
	}
	read, ok := c.readElsewhere(outer, h)
	if !ok {
		return // no other goroutine reads it: a genuinely new local.
	}
	if !c.goesNowhere(v) {
		return // handed on: the new variable is used for itself.
	}
	reader := funcName(enclosingFunc(read))
	d := analysis.Diagnostic{
		Category: "shadow",
		Pos:      id.Pos(), End: id.End(),
		Message: fmt.Sprintf("signal handler declares a new %s that shadows the %s read by %s, so the update never reaches it: assign with = instead of declaring",
			v.Name(), v.Name(), reader),
		Related: []analysis.RelatedInformation{
			{Pos: outer.Pos(), Message: "the shadowed " + outer.Name() + " is declared here"},
			{Pos: read.Node().Pos(), Message: reader + " reads it here"},
		},
	}
	// The fix turns the declaration into a write of a variable another
	// goroutine reads. Without a lock that is a data race (checkRace
	// would report the fixed line), and the cure, an atomic or a
	// channel, changes the readers too; so the fix is offered only when
	// the handler holds a lock, which checkRace trusts the readers to
	// take as well.
	if c.handlerTakesLock(h) {
		if fix, ok := c.shadowFix(decl); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.pass.Report(d)
}

// handlerTakesLock reports whether handler h takes a lock.
func (c *checker) handlerTakesLock(h *handler) bool {
	for _, stmt := range h.body {
		if takesLock(c.pass.TypesInfo, stmt) {
			return true
		}
	}
	return false
}

// isShutdownType reports whether t is a type that handlers routinely
// declare afresh: a context, its cancel function, an error.
func isShutdownType(t types.Type) bool {
	switch types.TypeString(t, nil) {
	case "context.Context", "context.CancelFunc", "error":
		return true
	}
	return false
}

// readElsewhere returns a read of v outside handler h's function.
func (c *checker) readElsewhere(v types.Object, h *handler) (inspector.Cursor, bool) {
	for _, use := range c.usesOf(v) {
		fn := enclosingFunc(use)
		if fn == h.fn || within(use.Node().Pos(), h.body) || isWrite(use) {
			continue
		}
		if fn.Contains(h.fn) && use.Node().Pos() < h.fn.Node().Pos() && !inLoopAround(use, h.fn.Node()) {
			continue // read before the handler starts
		}
		return use, true
	}
	return inspector.Cursor{}, false
}

// goesNowhere reports whether every use of the local v only logs it,
// tests it, reads a field of it, assigns to it or discards it.
func (c *checker) goesNowhere(v *types.Var) bool {
	for _, use := range c.usesOf(v) {
		if !useGoesNowhere(c.pass.TypesInfo, use) {
			return false
		}
	}
	return true
}

// useGoesNowhere reports whether the use at cur neither hands the value
// on nor calls a method of it.
func useGoesNowhere(info *types.Info, cur inspector.Cursor) bool {
	child := cur
	handed := false // passed to a call that does not log
	for p := cur.Parent(); p.Node() != nil; child, p = p, p.Parent() {
		switch n := p.Node().(type) {
		case *ast.CallExpr:
			if n.Fun == child.Node() {
				return false // calls it or a method of it
			}
			if isLogCall(info, n) {
				return true // logged, perhaps through a field constructor such as zap.Bool
			}
			handed = true
			continue
		case *ast.SelectorExpr:
			if sel, isMethod := info.Selections[n]; isMethod && sel.Kind() != types.FieldVal {
				call, ok := p.Parent().Node().(*ast.CallExpr)
				return ok && call.Fun == n && isCheckMethod(sel.Obj()) // a validation: its result only tells
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				return false
			}
		case *ast.CompositeLit, *ast.KeyValueExpr, *ast.FuncLit, *ast.ReturnStmt, *ast.SendStmt,
			*ast.GoStmt, *ast.DeferStmt, *ast.RangeStmt:
			return false
		case *ast.AssignStmt:
			if isLHS(n, child.Node()) {
				return true
			}
			if handed {
				return false
			}
			for _, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
					return false
				}
			}
			return true
		case *ast.ValueSpec:
			return false
		case ast.Stmt:
			return !handed
		}
		if handed {
			if _, ok := p.Node().(ast.Expr); !ok {
				return false
			}
		}
	}
	return !handed
}

// isCheckMethod reports whether obj is a method that returns a single
// error or bool, as Validate or IsValid do: calling it on the new
// variable checks the value and hands it nowhere.
func isCheckMethod(obj types.Object) bool {
	sig, ok := obj.Type().(*types.Signature)
	if !ok || sig.Results().Len() != 1 {
		return false
	}
	t := sig.Results().At(0).Type()
	if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
		return true
	}
	return types.TypeString(t, nil) == "error"
}

// shadowFix turns the shadowing declaration into an assignment: := becomes
// =, and other new variables of the statement are declared before it.
func (c *checker) shadowFix(decl inspector.Cursor) (analysis.SuggestedFix, bool) {
	info := c.pass.TypesInfo
	switch n := decl.Node().(type) {
	case *ast.AssignStmt:
		if restOfBlock(decl) == nil {
			return analysis.SuggestedFix{}, false // e.g. an if statement's init
		}
		var pre strings.Builder
		indent := strings.Repeat("\t", c.pass.Fset.Position(n.Pos()).Column-1)
		for _, l := range n.Lhs {
			id, _ := l.(*ast.Ident)
			if id == nil {
				return analysis.SuggestedFix{}, false
			}
			v, ok := info.Defs[id].(*types.Var)
			if !ok {
				continue // blank or redeclared: = assigns it the same way
			}
			if _, outer := v.Parent().Parent().LookupParent(v.Name(), v.Pos()); outer != nil && types.Identical(outer.Type(), v.Type()) && isShadowTarget(v) {
				continue
			}
			typ, ok := c.typeString(v.Type(), n.Pos())
			if !ok {
				return analysis.SuggestedFix{}, false
			}
			fmt.Fprintf(&pre, "var %s %s\n%s", v.Name(), typ, indent)
		}
		edits := []analysis.TextEdit{{Pos: n.TokPos, End: n.TokPos + token.Pos(len(":=")), NewText: []byte("=")}}
		if pre.Len() > 0 {
			edits = append([]analysis.TextEdit{{Pos: n.Pos(), End: n.Pos(), NewText: []byte(pre.String())}}, edits...)
		}
		return analysis.SuggestedFix{Message: "Assign with = instead of declaring a shadowing variable", TextEdits: edits}, true
	case *ast.ValueSpec:
		gen, ok := decl.Parent().Node().(*ast.GenDecl)
		if !ok || gen.Lparen.IsValid() || len(n.Names) != 1 || n.Type != nil || len(n.Values) != 1 {
			return analysis.SuggestedFix{}, false
		}
		return analysis.SuggestedFix{
			Message:   "Assign with = instead of declaring a shadowing variable",
			TextEdits: []analysis.TextEdit{{Pos: gen.Pos(), End: n.Names[0].Pos(), NewText: nil}},
		}, true
	}
	return analysis.SuggestedFix{}, false
}

// isShadowTarget reports whether v is a name the fix assigns to the
// outer variable rather than declaring afresh.
func isShadowTarget(v *types.Var) bool {
	switch v.Name() {
	case "_", "err", "ok":
		return false
	}
	return !isShutdownType(v.Type())
}

// typeString prints t as the file holding pos spells it, or reports
// that it cannot without a new import.
func (c *checker) typeString(t types.Type, pos token.Pos) (string, bool) {
	file := c.fileOf(pos)
	ok := true
	s := types.TypeString(t, func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		if file != nil {
			for _, imp := range file.Imports {
				if strings.Trim(imp.Path.Value, `"`) != p.Path() {
					continue
				}
				if imp.Name != nil {
					return imp.Name.Name
				}
				return p.Name()
			}
		}
		ok = false
		return p.Name()
	})
	return s, ok
}

// fileOf returns the file holding pos.
func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// within reports whether pos lies inside the statements.
func within(pos token.Pos, stmts []ast.Stmt) bool {
	return len(stmts) > 0 && stmts[0].Pos() <= pos && pos < stmts[len(stmts)-1].End()
}

// isWrite reports whether the identifier at cur is assigned to.
func isWrite(cur inspector.Cursor) bool {
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		return isLHS(p, cur.Node())
	case *ast.IncDecStmt:
		return true
	}
	return false
}

// funcName names the function at fn for a message.
func funcName(fn inspector.Cursor) string {
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		if n.Recv != nil && len(n.Recv.List) == 1 {
			t := n.Recv.List[0].Type
			if star, ok := t.(*ast.StarExpr); ok {
				t = star.X
			}
			if idx, ok := t.(*ast.IndexExpr); ok {
				t = idx.X
			}
			if idx, ok := t.(*ast.IndexListExpr); ok {
				t = idx.X
			}
			if id, ok := t.(*ast.Ident); ok {
				return id.Name + "." + n.Name.Name
			}
		}
		return n.Name.Name
	case *ast.FuncLit:
		for decl := range fn.Enclosing((*ast.FuncDecl)(nil)) {
			return "a function literal in " + decl.Node().(*ast.FuncDecl).Name.Name
		}
	}
	return "another function"
}
