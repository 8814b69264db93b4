// Package code holds the small syntactic and type questions that several
// asynclint checks ask: which function a call invokes, whether a file is
// a test, whether a package is a main package. Checks ask them here
// instead of matching identifier text.
package code

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// CalleeName returns the full name of the function or method that call
// statically invokes, in types.Func.FullName form: "net/http.Get",
// "(*net/http.Client).Do", "(net.Conn).Read". It returns "" for calls of
// function values, conversions and builtins.
func CalleeName(info *types.Info, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok {
		return "" // dynamic call, conversion or builtin
	}
	return fn.Origin().FullName()
}

// IsCallTo reports whether call statically invokes one of the named
// functions (see CalleeName for the form of names).
func IsCallTo(info *types.Info, call *ast.CallExpr, names ...string) bool {
	name := CalleeName(info, call)
	if name == "" {
		return false
	}
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// IsTestFile reports whether the file holding node is a _test.go file.
func IsTestFile(pass *analysis.Pass, node ast.Node) bool {
	return strings.HasSuffix(pass.Fset.File(node.Pos()).Name(), "_test.go")
}

// IsMainPackage reports whether the package under analysis is a command.
func IsMainPackage(pass *analysis.Pass) bool {
	return pass.Pkg.Name() == "main"
}

// Imports reports whether the package under analysis imports path
// directly; checks use it to return early on packages that cannot matter.
func Imports(pass *analysis.Pass, path string) bool {
	for _, imp := range pass.Pkg.Imports() {
		if imp.Path() == path {
			return true
		}
	}
	return false
}

// IsNamedType reports whether t (or *t) is the named type pkgPath.name.
func IsNamedType(t types.Type, pkgPath, name string) bool {
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkgPath
}

// StmtList returns the statements of a block or of a case or select
// clause, and whether n is one of those.
func StmtList(n ast.Node) ([]ast.Stmt, bool) {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List, true
	case *ast.CaseClause:
		return n.Body, true
	case *ast.CommClause:
		return n.Body, true
	}
	return nil, false
}

// IdentOf returns e without parentheses if it is an identifier, or nil.
func IdentOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// RootIdent returns the identifier at the root of x, x.y.z, x[i].y or
// *x, or nil.
func RootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// ForEachStmtList calls f for each statement list in body (blocks and
// case and select clause bodies), outside function literals, with the
// position where the list's block or clause ends.
func ForEachStmtList(body *ast.BlockStmt, f func(list []ast.Stmt, end token.Pos)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false // another function
		}
		if list, ok := StmtList(n); ok {
			f(list, n.End())
		}
		return true
	})
}

// LoopBody returns the body of a for or range statement.
func LoopBody(n ast.Node) (*ast.BlockStmt, bool) {
	switch n := n.(type) {
	case *ast.ForStmt:
		return n.Body, true
	case *ast.RangeStmt:
		return n.Body, true
	}
	return nil, false
}
