package blocking

import (
	"go/ast"
	"go/token"
	"go/types"
)

// This file knows the notification channels that a package offers its
// importers behind a switch: an exported channel field that the package
// sends on only when an exported boolean field says so (if
// cfg.NotifyDisconnect { h.DisconnectChan <- ev }) and never receives
// from itself. The user who turns the switch on reads the channel by
// the package's contract; the send is that contract, not a wait the
// package can bound. A channel sent on behind a nil check alone
// (if s.config.EventCh != nil) has no such switch and stays an
// operation: nothing tells that the one who set it keeps up.

// notification reports whether send is on such a channel.
func (r *Result) notification(send *ast.SendStmt) bool {
	sel, ok := ast.Unparen(send.Chan).(*ast.SelectorExpr)
	if !ok || !sel.Sel.IsExported() {
		return false
	}
	v, ok := r.info.Uses[sel.Sel].(*types.Var)
	if !ok || !v.IsField() || r.received[v.Origin()] {
		return false
	}
	return r.switched(send)
}

// switched reports whether send lies in the body of an if statement
// whose condition is an exported boolean field, alone or as a term of a
// conjunction.
func (r *Result) switched(send *ast.SendStmt) bool {
	found := false
	for _, f := range r.files {
		if send.Pos() < f.FileStart || send.Pos() >= f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if found || n == nil || send.Pos() < n.Pos() || send.Pos() >= n.End() {
				return false
			}
			if is, ok := n.(*ast.IfStmt); ok && send.Pos() >= is.Body.Pos() && send.End() <= is.Body.End() && r.flag(is.Cond) {
				found = true
			}
			return true
		})
	}
	return found
}

// flag reports whether cond is, or is a conjunct of, an exported
// boolean field.
func (r *Result) flag(cond ast.Expr) bool {
	switch e := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		return e.Op == token.LAND && (r.flag(e.X) || r.flag(e.Y))
	case *ast.SelectorExpr:
		v, ok := r.info.Uses[e.Sel].(*types.Var)
		if !ok || !v.IsField() || !v.Exported() {
			return false
		}
		b, ok := v.Type().Underlying().(*types.Basic)
		return ok && b.Kind() == types.Bool
	}
	return false
}

// collectReceived fills r.received.
func collectReceived(r *Result) {
	mark := func(e ast.Expr) {
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); ok {
			if v, ok := r.info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
				r.received[v.Origin()] = true
			}
		}
	}
	for _, f := range r.files {
		if isTestFile(r.fset, f) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					mark(n.X)
				}
			case *ast.RangeStmt:
				if isChan(r.info.TypeOf(n.X)) {
					mark(n.X)
				}
			}
			return true
		})
	}
}
