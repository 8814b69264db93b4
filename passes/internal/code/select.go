package code

import (
	"go/ast"
	"go/token"
)

// CommRecv returns the channel that the comm of a select case receives
// from (ch in <-ch, v := <-ch and v, ok = <-ch), or nil for a send and
// for the default case (a nil comm).
func CommRecv(comm ast.Stmt) ast.Expr {
	var e ast.Expr
	switch comm := comm.(type) {
	case *ast.ExprStmt:
		e = comm.X
	case *ast.AssignStmt:
		if len(comm.Rhs) == 1 {
			e = comm.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}
