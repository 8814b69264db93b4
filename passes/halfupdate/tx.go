package halfupdate

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/mutation"
)

// A begin is `tx, err := db.BeginTx(ctx, opts)` (or db.Begin()).
type begin struct {
	stmt ast.Stmt
	call *ast.CallExpr
	tx   types.Object
}

// checkTxs reports the early returns that leave a database/sql
// transaction open after it wrote: with no deferred Rollback, the
// half-done update keeps its locks until the context dies (forever with
// Begin, whose transaction has no context), instead of being rolled back
// at once. unclosed reports transactions never released at all; this is
// the half-update angle: a write is pending and the function gave up.
func checkTxs(sc *scope, fn *function) {
	for _, b := range sc.begins(fn) {
		if sc.txHandled(fn, b.tx) {
			continue // deferred, escaping or captured: its end is elsewhere.
		}
		for _, r := range returnsIn(fn.body) {
			checkTxReturn(sc, b, r)
		}
	}
}

// begins returns the transactions fn begins into a local variable.
func (sc *scope) begins(fn *function) []begin {
	var bs []begin
	inspectBody(fn.body, func(n ast.Node) {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
			return
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || !code.IsCallTo(sc.pass.TypesInfo, call,
			"(*database/sql.DB).BeginTx", "(*database/sql.DB).Begin", "(*database/sql.Conn).BeginTx") {
			return
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			return
		}
		if obj := sc.pass.TypesInfo.ObjectOf(id); obj != nil {
			bs = append(bs, begin{stmt: as, call: call, tx: obj})
		}
	})
	return bs
}

// txHandled reports whether fn ends tx somewhere we do not follow: a
// defer that mentions it, a function literal or goroutine that captures
// it, a return or assignment that hands it on.
func (sc *scope) txHandled(fn *function, tx types.Object) bool {
	handled := false
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && sc.pass.TypesInfo.Uses[id] == tx {
				found = true
			}
			return !found
		})
		return found
	}
	ast.Inspect(fn.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt, *ast.GoStmt, *ast.FuncLit:
			if mentions(n) {
				handled = true
			}
			return false
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if id, ok := ast.Unparen(r).(*ast.Ident); ok && sc.pass.TypesInfo.Uses[id] == tx {
					handled = true
				}
			}
		case *ast.AssignStmt:
			for _, r := range n.Rhs {
				if id, ok := ast.Unparen(r).(*ast.Ident); ok && sc.pass.TypesInfo.Uses[id] == tx {
					handled = true
				}
			}
		case *ast.CompositeLit:
			if mentions(n) {
				handled = true
			}
		}
		return !handled
	})
	return handled
}

// A ret is a return statement and the statements that always run
// before it: those before it in each enclosing statement list.
type ret struct {
	stmt  *ast.ReturnStmt
	prior stmtPath
	// enclosing holds the prior statements that contain the return (an
	// if whose init ran): their calls ran, but may be what failed.
	enclosing map[ast.Stmt]bool
}

// returnsIn returns the return statements of body, outside function
// literals, each with its prior statements.
func returnsIn(body *ast.BlockStmt) []ret {
	var rets []ret
	var prior stmtPath
	var path []ast.Stmt
	var walk func(list []ast.Stmt)
	walk = func(list []ast.Stmt) {
		for i, stmt := range list {
			if r, ok := stmt.(*ast.ReturnStmt); ok {
				enclosing := make(map[ast.Stmt]bool, len(path))
				for _, p := range path {
					enclosing[p] = true
				}
				before := append(append(stmtPath(nil), prior...), list[:i])
				rets = append(rets, ret{r, before, enclosing})
				continue
			}
			inner := innerLists(stmt)
			if len(inner) == 0 {
				continue
			}
			// The statement's own init and condition run before its bodies.
			prior = append(prior, list[:i+1])
			path = append(path, stmt)
			for _, in := range inner {
				walk(in)
			}
			prior, path = prior[:len(prior)-1], path[:len(path)-1]
		}
	}
	walk(body.List)
	return rets
}

// innerLists returns the statement lists directly inside stmt.
func innerLists(stmt ast.Stmt) [][]ast.Stmt {
	switch s := stmt.(type) {
	case *ast.BlockStmt:
		return [][]ast.Stmt{s.List}
	case *ast.IfStmt:
		lists := [][]ast.Stmt{s.Body.List}
		if s.Else != nil {
			lists = append(lists, innerLists(s.Else)...)
		}
		return lists
	case *ast.ForStmt:
		return [][]ast.Stmt{s.Body.List}
	case *ast.RangeStmt:
		return [][]ast.Stmt{s.Body.List}
	case *ast.LabeledStmt:
		return innerLists(s.Stmt)
	case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		var lists [][]ast.Stmt
		ast.Inspect(s, func(n ast.Node) bool {
			switch c := n.(type) {
			case *ast.CaseClause:
				lists = append(lists, c.Body)
				return false
			case *ast.CommClause:
				lists = append(lists, c.Body)
				return false
			case *ast.FuncLit:
				return false
			}
			return true
		})
		return lists
	}
	return nil
}

// checkTxReturn reports r when the transaction b has begun and written
// on every path to r, and nothing has committed or rolled it back.
func checkTxReturn(sc *scope, b begin, r ret) {
	begun := false
	var write *ast.CallExpr
	ended := false
	for stmt := range r.prior.all() {
		if stmt == b.stmt {
			begun = true
			continue
		}
		if !begun {
			continue
		}
		for _, call := range callsIn(unconditional(stmt)...) {
			switch {
			case sc.endsTx(call, b.tx):
				ended = true
			case write == nil && !r.enclosing[stmt] && sc.writesTx(call, b.tx):
				write = call
			}
		}
	}
	for _, call := range callsIn(exprNodes(r.stmt.Results)...) {
		if sc.endsTx(call, b.tx) {
			ended = true
		}
	}
	if !begun || write == nil || ended {
		return
	}
	tx := b.tx.Name()
	until := "its context is cancelled"
	if code.IsCallTo(sc.pass.TypesInfo, b.call, "(*database/sql.DB).Begin") {
		until = "the connection closes, since Begin has no context"
	}
	sc.pass.Report(analysis.Diagnostic{
		Category: "tx",
		Pos:      r.stmt.Pos(), End: r.stmt.End(),
		Message: "return leaves " + tx + " open after " + callName(write) + " wrote in it: the half-done update holds its locks until " +
			until + "; defer " + tx + ".Rollback() right after " + callName(b.call) + " (it is a no-op after Commit)",
		Related: []analysis.RelatedInformation{
			{Pos: b.call.Pos(), End: b.call.End(), Message: tx + " begins here"},
			{Pos: write.Pos(), End: write.End(), Message: "first write in " + tx},
		},
	})
}

// endsTx reports whether call commits or rolls back tx: tx.Commit(),
// tx.Rollback(), or a helper given tx whose name commits or compensates.
func (sc *scope) endsTx(call *ast.CallExpr, tx types.Object) bool {
	fn := sc.callee(call)
	if fn == nil {
		return false
	}
	name := mutation.Verb(fn.Name())
	if name != "commit" && name != "rollback" && !mutation.IsCompensation(fn) {
		return false
	}
	return sc.onOrWith(call, tx)
}

// writesTx reports whether call writes through tx: tx.ExecContext, or
// an update helper given tx.
func (sc *scope) writesTx(call *ast.CallExpr, tx types.Object) bool {
	return mutation.Classify(sc.callee(call)) == mutation.Update && sc.onOrWith(call, tx)
}

// onOrWith reports whether call is a method of tx or takes tx as an
// argument.
func (sc *scope) onOrWith(call *ast.CallExpr, tx types.Object) bool {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && sc.pass.TypesInfo.Uses[id] == tx {
			return true
		}
	}
	for _, arg := range call.Args {
		if id, ok := ast.Unparen(arg).(*ast.Ident); ok && sc.pass.TypesInfo.Uses[id] == tx {
			return true
		}
	}
	return false
}
