package code

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// A Store is one value that the syntax stores into a variable, a field
// or a parameter.
type Store struct {
	// Node is where the store is written: an *ast.AssignStmt, an
	// *ast.ValueSpec, the *ast.KeyValueExpr of a struct literal, or the
	// *ast.CallExpr that passes an argument.
	Node ast.Node
	// Lhs is, for an assignment or a var declaration, the left-hand
	// side or the name declared; nil for fields and parameters, which
	// Obj gives. Callers resolve Lhs themselves: some want its object,
	// some its type, some the container it indexes.
	Lhs ast.Expr
	// Obj is the field of a keyed struct literal element or the
	// parameter an argument is passed to; nil when Lhs is set.
	Obj *types.Var
	// Rhs is the value stored.
	Rhs ast.Expr
	// Index says which result of Rhs is stored when several values are
	// assigned from one expression (v, err := f(); v, ok := m[k]):
	// 0, 1, ...; it is -1 when Rhs is stored whole.
	Index int
}

// Value returns the expression stored, when it is Rhs whole or the
// first result of an assignment (v in v, err := f() or v, ok := m[k]);
// nil for the other results, and for every name of var a, b = f():
// the results of a declaration are not followed.
func (s Store) Value() ast.Expr {
	if _, decl := s.Node.(*ast.ValueSpec); s.Index > 0 || s.Index == 0 && decl {
		return nil
	}
	return s.Rhs
}

// Stores calls f for each store that the node n writes, in source
// order: each left-hand side of an assignment, each name of a var
// declaration with values (a declaration without values stores the
// zero value, which it does not report), each keyed element of a struct
// literal, and each argument of a static call of a function of pkg,
// bound to its parameter (not for calls with "...", nor when pkg is
// nil).
//
// Call it on every node of an ast.Inspect to see every store of a file;
// ForEachStore does so. Assignments whose counts match neither n = n
// nor n = 1 are ill-typed and store nothing known.
func Stores(info *types.Info, pkg *types.Package, n ast.Node, f func(Store)) {
	switch n := n.(type) {
	case *ast.AssignStmt:
		assigned(n, n.Lhs, n.Rhs, f)
	case *ast.ValueSpec:
		lhs := make([]ast.Expr, len(n.Names))
		for i, name := range n.Names {
			lhs[i] = name
		}
		assigned(n, lhs, n.Values, f)
	case *ast.KeyValueExpr:
		if id, ok := n.Key.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && v.IsField() {
				f(Store{Node: n, Obj: v, Rhs: n.Value, Index: -1})
			}
		}
	case *ast.CallExpr:
		if pkg == nil {
			return // the caller follows no arguments.
		}
		fn := typeutil.StaticCallee(info, n)
		if fn == nil || fn.Pkg() != pkg || n.Ellipsis.IsValid() {
			return
		}
		params := fn.Origin().Signature().Params()
		for i, arg := range n.Args {
			if i < params.Len() {
				f(Store{Node: n, Obj: params.At(i), Rhs: arg, Index: -1})
			}
		}
	}
}

// assigned reports the stores of lhs = rhs written at n.
func assigned(n ast.Node, lhs, rhs []ast.Expr, f func(Store)) {
	for i, l := range lhs {
		switch {
		case len(lhs) == len(rhs):
			f(Store{Node: n, Lhs: l, Rhs: rhs[i], Index: -1})
		case len(rhs) == 1:
			f(Store{Node: n, Lhs: l, Rhs: rhs[0], Index: i})
		}
	}
}

// ForEachStore calls f for each store written in root (see Stores),
// function literals included.
func ForEachStore(info *types.Info, pkg *types.Package, root ast.Node, f func(Store)) {
	ast.Inspect(root, func(n ast.Node) bool {
		Stores(info, pkg, n, f)
		return true
	})
}
