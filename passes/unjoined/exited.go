package unjoined

// This file finds requests sent to a serving loop that may have exited:
// a goroutine serves an unexported channel field in a for-select loop
// that another case leaves (case <-s.quit: return), and a function
// sends on the field with a plain send. Once the loop is gone, nothing
// receives: the sender, and its caller, block forever. The cure is to
// select on the loop's exit signal too (case <-s.done: return
// errClosed).

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// A servingLoop is a for-select loop of a goroutine that receives from a
// channel field and can leave on another case.
type servingLoop struct {
	body *ast.BlockStmt // the goroutine's body
	exit ast.Node       // the statement that leaves the loop
}

// checkSendsAfterExit reports plain sends on channel fields that only a
// serving loop receives from, when the loop can exit on another case.
func (c *checker) checkSendsAfterExit(in *inspector.Inspector) {
	info := c.pass.TypesInfo
	served := make(map[*types.Var]servingLoop)
	for _, st := range report.HelperResult[*index.Index](c.pass, index.Analyzer).Starts() {
		if st.Body != nil {
			servingLoops(info, st.Body, served)
		}
	}
	if len(served) == 0 {
		return
	}
	// Every other use of the field: a receive elsewhere may drain it
	// after the loop, a close ends it, a field that leaves the package's
	// sight may have receivers anywhere.
	var sends []*ast.SendStmt
	for cur := range in.Root().Preorder((*ast.SelectorExpr)(nil)) {
		sel := cur.Node().(*ast.SelectorExpr)
		f := chanField(info, sel)
		loop, ok := served[f]
		if !ok {
			continue
		}
		switch p := cur.Parent().Node().(type) {
		case *ast.SendStmt:
			if p.Chan != sel {
				delete(served, f)
			} else if _, inSelect := cur.Parent().Parent().Node().(*ast.CommClause); !inSelect {
				sends = append(sends, p)
			}
			continue
		case *ast.UnaryExpr:
			if p.Op == token.ARROW && within(p, loop.body) {
				continue // the loop's own receive
			}
		case *ast.AssignStmt:
			if assigned(p, sel) {
				continue // s.reqs = make(chan req)
			}
		case *ast.KeyValueExpr:
			if p.Key == sel {
				continue
			}
		}
		delete(served, f) // received elsewhere, closed, passed on
	}
	for _, send := range sends {
		f := chanField(info, send.Chan.(*ast.SelectorExpr))
		loop, ok := served[f]
		if !ok || within(send, loop.body) {
			continue
		}
		c.pass.Report(analysis.Diagnostic{Pos: send.Pos(), End: send.End(), Category: "send-after-exit",
			Message: fmt.Sprintf("send on %s blocks forever once the loop that receives it has returned: only that loop receives %s, and it can leave on another case; select on the loop's exit signal too (its done channel or context)",
				types.ExprString(send.Chan), f.Name()),
			Related: []analysis.RelatedInformation{{Pos: loop.exit.Pos(), End: loop.exit.End(), Message: "the loop leaves here"}},
		})
	}
}

// servingLoops adds to served the unexported channel fields that a
// for-select loop directly in body receives from, when another case of
// the select leaves the loop.
func servingLoops(info *types.Info, body *ast.BlockStmt, served map[*types.Var]servingLoop) {
	for _, stmt := range body.List {
		loop, ok := stmt.(*ast.ForStmt)
		if !ok || loop.Cond != nil {
			continue
		}
		for _, s := range loop.Body.List {
			sel, ok := s.(*ast.SelectStmt)
			if !ok {
				continue
			}
			var fields []*types.Var
			var exit ast.Node
			for _, cc := range sel.Body.List {
				cc := cc.(*ast.CommClause)
				if x := leaves(cc.Body); x != nil {
					exit = x // a stop request is not a served one
				} else if f := recvField(info, cc.Comm); f != nil && !f.Exported() {
					fields = append(fields, f)
				}
			}
			if exit == nil {
				continue
			}
			for _, f := range fields {
				if _, dup := served[f]; !dup {
					served[f] = servingLoop{body: body, exit: exit}
				}
			}
		}
	}
}

// recvField returns the channel field a select case receives from.
func recvField(info *types.Info, comm ast.Stmt) *types.Var {
	sel, ok := ast.Unparen(code.CommRecv(comm)).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return chanField(info, sel)
}

// chanField returns the channel field sel selects, or nil.
func chanField(info *types.Info, sel *ast.SelectorExpr) *types.Var {
	v, ok := info.Uses[sel.Sel].(*types.Var)
	if !ok || !v.IsField() {
		return nil
	}
	if _, ok := v.Type().Underlying().(*types.Chan); !ok {
		return nil
	}
	return v.Origin()
}

// leaves returns the return statement, or the break out of the select's
// loop, at the top level of a case's statements, or nil.
func leaves(stmts []ast.Stmt) ast.Node {
	for _, s := range stmts {
		switch s := s.(type) {
		case *ast.ReturnStmt:
			return s
		case *ast.BranchStmt:
			if s.Tok == token.BREAK && s.Label != nil { // break loop
				return s
			}
		}
	}
	return nil
}

// within reports whether n lies inside body.
func within(n ast.Node, body *ast.BlockStmt) bool {
	return body.Pos() <= n.Pos() && n.End() <= body.End()
}
