package chanflow

// This file extends the serve model to request/reply: a channel of
// requests every sender of which waits for the reply on a field of the
// request it sent (reqs <- r; resp := <-r.reply), served by a loop that
// sends the reply on that field of each request it receives. The loop's
// reply send waits only for a requester that is about to receive it,
// and the requester's receive waits for one turn of a serving loop: the
// same bound as the request's send, under the same conditions on the
// locks held (see Served.Bounded).

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/asynclint/asynclint/passes/internal/blocking"
)

// noteRequests fills x.replies: for each place of a channel of the
// package, the field of the request on which every send on it is
// followed, in the same function, by a receive of the reply ("" when
// some send is not).
func (x *serveIndex) noteRequests(body *ast.BlockStmt) {
	info := x.pass.TypesInfo
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			x.noteRequests(lit.Body)
			return false
		}
		send, ok := n.(*ast.SendStmt)
		if !ok {
			return true
		}
		p, ok := placeOf(info, send.Chan)
		if !ok {
			return true
		}
		field := ""
		if v, ok := ast.Unparen(send.Value).(*ast.Ident); ok {
			field = replyAwaited(info, body, send.End(), info.Uses[v])
		}
		if old, seen := x.replies[p]; seen && old != field {
			field = ""
		}
		x.replies[p] = field
		return true
	})
}

// replyAwaited returns the field F of the request v when body receives
// from v.F after pos (outside func literals), "" otherwise.
func replyAwaited(info *types.Info, body *ast.BlockStmt, pos token.Pos, v types.Object) string {
	field := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || field != "" {
			return false
		}
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW && u.Pos() > pos {
			if sel, ok := ast.Unparen(u.X).(*ast.SelectorExpr); ok {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && v != nil && info.Uses[id] == v {
					field = sel.Sel.Name
				}
			}
		}
		return true
	})
	return field
}

// An answer says what the receivers of a channel of requests do: each
// replies on the field every sender awaits, and waits for nothing else
// in its function but the requests; locks are the mutexes they take.
type answer struct {
	locks []string
	bad   bool
}

// findAnswers fills s.answers from every receive of the package bound
// to a variable (r := <-ch, case r := <-ch, for r := range ch) on a
// channel whose senders await a reply.
func (x *serveIndex) findAnswers(res *blocking.Result) {
	info := x.pass.TypesInfo
	var visit func(body *ast.BlockStmt)
	visit = func(body *ast.BlockStmt) {
		ast.Inspect(body, func(n ast.Node) bool {
			var v types.Object
			var ch ast.Expr
			switch n := n.(type) {
			case *ast.FuncLit:
				visit(n.Body)
				return false
			case *ast.AssignStmt:
				if len(n.Rhs) != 1 {
					return true
				}
				if u, ok := ast.Unparen(n.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
					if id, ok := ast.Unparen(n.Lhs[0]).(*ast.Ident); ok {
						v, ch = info.ObjectOf(id), u.X
					}
				}
			case *ast.RangeStmt:
				if id, ok := n.Key.(*ast.Ident); ok && isChanType(info.TypeOf(n.X)) {
					v, ch = info.ObjectOf(id), n.X
				}
			}
			if v == nil {
				return true
			}
			p, ok := placeOf(info, ch)
			if !ok || x.s.replies[p] == "" {
				return true
			}
			a := x.s.answers[p]
			if !a.bad && !x.answers(res, body, v, ch, x.s.replies[p]) {
				a.bad = true
			}
			for _, l := range x.locksIn(body) {
				if !slices.Contains(a.locks, l) {
					a.locks = append(a.locks, l)
				}
			}
			x.s.answers[p] = a
			return true
		})
	}
	for _, fd := range x.decls {
		visit(fd.Body)
	}
}

// answers reports whether body, which receives the request v from ch,
// replies on v.field and blocks on nothing else than receiving ch (in
// a select or outside) and its replies.
func (x *serveIndex) answers(res *blocking.Result, body *ast.BlockStmt, v types.Object, ch ast.Expr, field string) bool {
	info := x.pass.TypesInfo
	isCh := func(e ast.Expr) bool { return x.aliases(e, ch, 0) }
	replied := false
	for _, op := range res.Ops(info, body) {
		switch n := op.Node.(type) {
		case *ast.SendStmt:
			if sel, ok := ast.Unparen(n.Chan).(*ast.SelectorExpr); ok && sel.Sel.Name == field {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == v {
					replied = true
					continue
				}
			}
		case *ast.UnaryExpr:
			if isCh(n.X) {
				continue
			}
		case *ast.SelectStmt:
			if selectReceives(n, isCh) {
				continue
			}
		case *ast.RangeStmt:
			if isCh(n.X) {
				continue
			}
		}
		return false
	}
	if !replied { // a buffered reply channel is no operation: look for the send.
		ast.Inspect(body, func(n ast.Node) bool {
			if send, ok := n.(*ast.SendStmt); ok {
				if sel, ok := ast.Unparen(send.Chan).(*ast.SelectorExpr); ok && sel.Sel.Name == field {
					if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == v {
						replied = true
					}
				}
			}
			return !replied
		})
	}
	return replied
}

// Reply reports whether the receive recv, in body, waits for the reply
// to a request that body sent before (a plain send, or a select case)
// on a channel whose receivers all answer it (see answer); the result's
// Locks are the mutexes they take.
func (s *Serving) Reply(body *ast.BlockStmt, recv *ast.UnaryExpr) (Served, bool) {
	if s == nil || body == nil || recv.Op != token.ARROW {
		return Served{}, false
	}
	info := s.info
	sel, ok := ast.Unparen(recv.X).(*ast.SelectorExpr)
	if !ok {
		return Served{}, false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return Served{}, false
	}
	v := info.Uses[id]
	var found Served
	ok = false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit || ok {
			return false
		}
		send, isSend := n.(*ast.SendStmt)
		if !isSend || send.End() > recv.Pos() {
			return true
		}
		vid, isID := ast.Unparen(send.Value).(*ast.Ident)
		if !isID || v == nil || info.Uses[vid] != v {
			return true
		}
		p, placed := placeOf(info, send.Chan)
		if !placed || s.replies[p] != sel.Sel.Name {
			return true
		}
		if a, seen := s.answers[p]; seen && !a.bad {
			found, ok = Served{Locks: slices.Sorted(slices.Values(a.locks))}, true
		}
		return true
	})
	return found, ok
}

// ReplySend reports whether send, in body, replies to a request: a send
// on r.F where r, a variable of body, is only ever assigned a receive
// from one channel of the package every sender on which waits for the
// reply on F. The requester is about to receive it.
func (s *Serving) ReplySend(body *ast.BlockStmt, send *ast.SendStmt) bool {
	if s == nil || body == nil {
		return false
	}
	info := s.info
	sel, ok := ast.Unparen(send.Chan).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return false
	}
	var from *place
	good := true
	note := func(ch ast.Expr) {
		p, ok := placeOf(info, ch)
		if !ok || from != nil && *from != p {
			good = false
			return
		}
		from = &p
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if lid, ok := ast.Unparen(lhs).(*ast.Ident); ok && info.ObjectOf(lid) == v {
					u, isRecv := ast.Unparen(n.Rhs[0]).(*ast.UnaryExpr)
					if len(n.Rhs) != 1 || !isRecv || u.Op != token.ARROW {
						good = false
					} else {
						note(u.X)
					}
				}
			}
		case *ast.RangeStmt:
			if kid, ok := n.Key.(*ast.Ident); ok && info.ObjectOf(kid) == v {
				note(n.X)
			}
		case *ast.ValueSpec:
			for _, name := range n.Names {
				if info.Defs[name] == v {
					good = false
				}
			}
		}
		return good
	})
	return good && from != nil && s.replies[*from] == sel.Sel.Name
}
