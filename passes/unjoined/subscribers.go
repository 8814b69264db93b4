package unjoined

// This file finds subscriber channels dropped without their close: a
// map field of channels whose elements the package closes somewhere
// (Close ends every subscriber by closing its channel: that is the
// protocol its readers rely on), and a function that deletes an element
// without closing it. The reader ranging over that channel, or waiting
// on it, never learns it was unsubscribed and blocks forever.

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// checkDeletesWithoutClose reports delete(m, k) on a map field of
// channels whose elements the package closes elsewhere, in a function
// that neither closes the element nor hands it to a call.
func (c *checker) checkDeletesWithoutClose(in *inspector.Inspector) {
	info := c.pass.TypesInfo
	closer := make(map[*types.Var]ast.Node) // map field -> a close of one of its elements
	var deletes []*ast.CallExpr
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		switch builtinName(info, call) {
		case "delete":
			if chanMapField(info, call.Args[0]) != nil {
				deletes = append(deletes, call)
			}
		case "close":
			if f := closedElemOf(info, cur, call.Args[0]); f != nil && closer[f] == nil {
				closer[f] = call
			}
		}
	}
	for _, del := range deletes {
		f := chanMapField(info, del.Args[0])
		cl := closer[f]
		if cl == nil {
			continue
		}
		cur, _ := in.Root().FindNode(del)
		var fn ast.Node
		for e := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			fn = e.Node()
			break
		}
		if fn == nil || releasesElem(info, fn, f) {
			continue
		}
		c.pass.Report(analysis.Diagnostic{Pos: del.Pos(), End: del.End(), Category: "delete-unclosed",
			Message: fmt.Sprintf("delete from %s drops a channel without closing it, while the package ends the channels of %s by closing them: a reader ranging over this one never learns it is gone and blocks forever; close it (once) before the delete",
				types.ExprString(del.Args[0]), f.Name()),
			Related: []analysis.RelatedInformation{{Pos: cl.Pos(), End: cl.End(), Message: "elements of " + f.Name() + " are closed here"}},
		})
	}
}

// builtinName returns the name of the builtin call calls, or "".
func builtinName(info *types.Info, call *ast.CallExpr) string {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := info.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}

// chanMapField returns the field e selects when it is an unexported
// map of channels of this package (s.subs), or nil.
func chanMapField(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	if !ok || !v.IsField() || v.Exported() {
		return nil
	}
	m, ok := v.Type().Underlying().(*types.Map)
	if !ok {
		return nil
	}
	if _, ok := m.Elem().Underlying().(*types.Chan); !ok {
		return nil
	}
	return v.Origin()
}

// closedElemOf returns the map field whose element close(e) closes:
// close(s.subs[k]), or close(ch) where ch is the value of a range over
// s.subs or was read from s.subs[k] in the same function.
func closedElemOf(info *types.Info, cur inspector.Cursor, e ast.Expr) *types.Var {
	e = ast.Unparen(e)
	if ix, ok := e.(*ast.IndexExpr); ok {
		return chanMapField(info, ix.X)
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil
	}
	v := info.Uses[id]
	if v == nil {
		return nil
	}
	var fn ast.Node
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		fn = f.Node()
		break
	}
	if fn == nil {
		return nil
	}
	var field *types.Var
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.RangeStmt:
			if val, ok := n.Value.(*ast.Ident); ok && info.Defs[val] == v {
				field = chanMapField(info, n.X)
			}
		case *ast.AssignStmt:
			if len(n.Rhs) != 1 {
				break
			}
			ix, ok := ast.Unparen(n.Rhs[0]).(*ast.IndexExpr)
			if !ok {
				break
			}
			if lhs, ok := n.Lhs[0].(*ast.Ident); ok && (info.Defs[lhs] == v || info.Uses[lhs] == v) {
				field = chanMapField(info, ix.X)
			}
		}
		return field == nil
	})
	return field
}

// releasesElem reports whether fn may end an element of f itself:
// closes any channel, or reads an element of f (s.subs[k], a range
// over it) and passes it on or keeps it (a callee or the caller may
// close it).
func releasesElem(info *types.Info, fn ast.Node, f *types.Var) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			found = found || builtinName(info, n) == "close"
		case *ast.IndexExpr:
			found = found || chanMapField(info, n.X) == f
		case *ast.RangeStmt:
			found = found || n.Value != nil && chanMapField(info, n.X) == f
		}
		return !found
	})
	return found
}
