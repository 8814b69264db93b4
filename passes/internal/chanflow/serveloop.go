package chanflow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/blocking"
)

// A goroutine is the body of a function that a go statement of the
// package starts, with its parameters and the arguments it is given.
type goroutine struct {
	body   *ast.BlockStmt
	params []*types.Var
	args   []ast.Expr
}

// goroutines returns the bodies the package's go statements start: func
// literals and functions of this package.
func (x *serveIndex) goroutines() []goroutine {
	info := x.pass.TypesInfo
	var gs []goroutine
	for _, f := range x.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			gostmt, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			call := gostmt.Call
			var body *ast.BlockStmt
			var sig *types.Signature
			if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
				body = lit.Body
				sig, _ = info.TypeOf(lit).(*types.Signature)
			} else if fn := typeutil.StaticCallee(info, call); fn != nil {
				if fd := x.decls[fn.Origin()]; fd != nil {
					body, sig = fd.Body, fn.Origin().Signature()
				}
			}
			if body == nil || sig == nil || call.Ellipsis.IsValid() {
				return true // not a function of this package.
			}
			g := goroutine{body: body, args: call.Args}
			for v := range sig.Params().Variables() {
				g.params = append(g.params, v)
			}
			gs = append(gs, g)
			return true
		})
	}
	return gs
}

// findLoops records the channels that the serving loops of g receive
// from.
func (x *serveIndex) findLoops(res *blocking.Result, g goroutine) {
	info := x.pass.TypesInfo
	ast.Inspect(g.body, func(n ast.Node) bool {
		var candidates []ast.Expr
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a function of its own.
		case *ast.RangeStmt:
			if t := info.TypeOf(n.X); t != nil && isChanType(t) {
				candidates = append(candidates, n.X)
			}
		case *ast.ForStmt:
			if n.Cond != nil {
				return true // a loop that can end on its own.
			}
			if sel := topSelect(n.Body); sel != nil {
				for _, stmt := range sel.Body.List {
					if cc, ok := stmt.(*ast.CommClause); ok {
						if ch := recvChan(cc.Comm); ch != nil {
							candidates = append(candidates, ch)
						}
					}
				}
			}
		default:
			return true
		}
		for _, ch := range candidates {
			loop := n.(ast.Stmt)
			if sv, ok := x.serving(res, g, loop, ch); ok {
				x.record(g, ch, sv)
			}
		}
		return true
	})
}

// topSelect returns the select statement a loop body runs at its top
// level.
func topSelect(body *ast.BlockStmt) *ast.SelectStmt {
	for _, stmt := range body.List {
		if l, ok := stmt.(*ast.LabeledStmt); ok {
			stmt = l.Stmt
		}
		if sel, ok := stmt.(*ast.SelectStmt); ok {
			return sel
		}
	}
	return nil
}

// recvChan returns the channel a select comm receives from, nil for
// sends and the default case.
func recvChan(comm ast.Stmt) ast.Expr {
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

// serving reports whether loop, in g, is a serving loop of ch: every
// operation of its body that can block is a wait that also receives ch
// or is made under a mutex of the goroutine (it is reported there), and
// it leaves only when ch is closed or delivers, or on a stop signal
// given under a mutex (Served.Needs).
func (x *serveIndex) serving(res *blocking.Result, g goroutine, loop ast.Stmt, ch ast.Expr) (Served, bool) {
	info := x.pass.TypesInfo
	var body *ast.BlockStmt
	switch loop := loop.(type) {
	case *ast.RangeStmt:
		body = loop.Body
	case *ast.ForStmt:
		body = loop.Body
	}
	isCh := func(e ast.Expr) bool { return x.aliases(e, ch, 0) }
	for _, op := range res.Ops(info, g.body) {
		if op.Pos() < loop.Pos() {
			return Served{}, false // the goroutine may wait before it serves.
		}
	}
	if !selectsServe(info, body, isCh) {
		return Served{}, false
	}
	for _, op := range res.Ops(info, body) {
		switch n := op.Node.(type) {
		case *ast.SelectStmt:
			if selectReceives(n, isCh) {
				continue // it waits for the sender too.
			}
		case *ast.UnaryExpr:
			if isCh(n.X) {
				continue
			}
		}
		if len(heldAt(info, g.body, op.Pos())) > 0 {
			continue // blocking under a lock is reported where it is.
		}
		return Served{}, false
	}
	needs, ok := x.exitNeeds(body, isCh)
	if !ok {
		return Served{}, false
	}
	return Served{Locks: x.locksIn(body), Needs: needs}, true
}

// selectsServe reports whether every select of the loop body that can
// wait has a default or timer case or receives ch too: a select that can
// wait only for a stop signal (bounded for blocking) still waits for its
// other cases as long as they take (an out <- v to a slow consumer).
func selectsServe(info *types.Info, body *ast.BlockStmt, isCh func(ast.Expr) bool) bool {
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.SelectStmt:
			if selectReceives(n, isCh) {
				return true
			}
			for _, stmt := range n.Body.List {
				if cc, is := stmt.(*ast.CommClause); is {
					if k := blocking.ClassifyCase(info, cc); k == blocking.CaseDefault || k == blocking.CaseTimer {
						return true
					}
				}
			}
			ok = false
		}
		return ok
	})
	return ok
}

// selectReceives reports whether sel has a case receiving from a channel
// isCh accepts.
func selectReceives(sel *ast.SelectStmt, isCh func(ast.Expr) bool) bool {
	for _, stmt := range sel.Body.List {
		if cc, ok := stmt.(*ast.CommClause); ok {
			if r := recvChan(cc.Comm); r != nil && isCh(r) {
				return true
			}
		}
	}
	return false
}

// aliases reports whether e is the channel ch: the same place, or a
// local variable every value of which is ch or nil (amqp091's inflight).
func (x *serveIndex) aliases(e, ch ast.Expr, depth int) bool {
	if depth > maxDepth {
		return false
	}
	info := x.pass.TypesInfo
	pe, ok1 := placeOf(info, e)
	pc, ok2 := placeOf(info, ch)
	if !ok1 || !ok2 {
		return false
	}
	if pe == pc {
		return true
	}
	if pe.elem || !isLocal(pe.obj) {
		return false
	}
	defs := x.s.defs[pe.obj]
	if len(defs) == 0 {
		return false
	}
	for _, def := range defs {
		if def == nil || !(info.Types[def].IsNil() || x.aliases(def, ch, depth+1)) {
			return false
		}
	}
	return true
}

// exitNeeds checks how the loop body can leave the loop: only from a
// case that receives ch (or when ch is closed), or from a case receiving
// a stop signal that is closed under a mutex. It returns the mutexes
// under which every such signal is closed.
func (x *serveIndex) exitNeeds(body *ast.BlockStmt, isCh func(ast.Expr) bool) ([]string, bool) {
	info := x.pass.TypesInfo
	var needs []string
	first := true
	ok := true
	var visit func(n ast.Node, cc *ast.CommClause, nested bool)
	visit = func(n ast.Node, cc *ast.CommClause, nested bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if !ok {
				return false
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CommClause:
				for _, st := range m.Body {
					visit(st, m, nested)
				}
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				// A plain break inside leaves this statement only.
				for _, child := range children(m) {
					visit(child, cc, true)
				}
				return false
			case *ast.ReturnStmt:
			case *ast.BranchStmt:
				if m.Tok == token.GOTO || m.Tok == token.BREAK && (m.Label != nil || !nested) {
					break
				}
				return true
			default:
				return true
			}
			// m leaves the loop.
			if cc == nil {
				ok = false
				return false
			}
			r := recvChan(cc.Comm)
			if r != nil && isCh(r) {
				return true
			}
			p, found := placeOf(info, r)
			sites := x.closes[p]
			if r == nil || !found || len(sites) == 0 {
				ok = false
				return false
			}
			for _, held := range sites {
				if first {
					needs, first = slices.Clone(held), false
				} else {
					needs = slices.DeleteFunc(needs, func(k string) bool { return !slices.Contains(held, k) })
				}
			}
			if len(needs) == 0 {
				ok = false
			}
			return true
		})
	}
	for _, st := range body.List {
		visit(st, nil, false)
	}
	sort.Strings(needs)
	return needs, ok
}

// children returns the direct statement and expression children of a
// loop, switch or select, for exitNeeds to visit as nested.
func children(n ast.Node) []ast.Node {
	var out []ast.Node
	first := true
	ast.Inspect(n, func(m ast.Node) bool {
		if first {
			first = false
			return true
		}
		if m != nil {
			out = append(out, m)
		}
		return false
	})
	return out
}

// locksIn returns the mutexes that body locks, directly or through the
// functions of this package it calls.
func (x *serveIndex) locksIn(body ast.Node) []string {
	info := x.pass.TypesInfo
	var keys []string
	add := func(k string) {
		if k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if key, ok := mutexCall(info, call, "Lock", "RLock"); ok {
			add(key)
			return true
		}
		if fn := typeutil.StaticCallee(info, call); fn != nil {
			for _, k := range x.locksTaken(fn.Origin()) {
				add(k)
			}
		}
		return true
	})
	sort.Strings(keys)
	return keys
}

// locksTaken returns the mutexes that the package function fn locks,
// directly or through calls.
func (x *serveIndex) locksTaken(fn *types.Func) []string {
	if keys, seen := x.locks[fn]; seen {
		return keys // nil while in progress: recursion.
	}
	fd := x.decls[fn]
	if fd == nil {
		return nil // another package: out of reach.
	}
	x.locks[fn] = nil
	keys := x.locksIn(fd.Body)
	x.locks[fn] = keys
	return keys
}

// record marks the places where ch, which a serving loop of g receives
// from, is kept. A parameter of g stands for the argument of the go
// statement and the places that argument is stored in.
func (x *serveIndex) record(g goroutine, ch ast.Expr, sv Served) {
	info := x.pass.TypesInfo
	p, ok := placeOf(info, ch)
	if !ok {
		return
	}
	var places []place
	if i := slices.Index(g.params, asVar(p.obj)); i >= 0 && !p.elem {
		if i >= len(g.args) {
			return
		}
		arg, ok := placeOf(info, g.args[i])
		if !ok {
			return
		}
		places = append(places, arg)
		if !arg.elem && isLocal(arg.obj) {
			places = append(places, x.stores[arg.obj]...)
		}
	} else {
		places = append(places, p)
	}
	for _, pl := range places {
		if old, seen := x.s.places[pl]; seen {
			if sv2, ok := old.merge(sv); ok {
				x.s.places[pl] = sv2
			}
			continue
		}
		x.s.places[pl] = sv
	}
}

func asVar(obj types.Object) *types.Var {
	v, _ := obj.(*types.Var)
	return v
}

// exportServed exports a Served fact on every function of the package
// whose operations that can block are all plain sends on served
// channels.
func exportServed(pass *analysis.Pass, res *blocking.Result, s *Serving, x *serveIndex) {
	fns := make([]*types.Func, 0, len(x.decls))
	for fn := range x.decls {
		fns = append(fns, fn)
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Pos() < fns[j].Pos() })
	for _, fn := range fns {
		var out Served
		n := 0
		for _, op := range res.Ops(pass.TypesInfo, x.decls[fn].Body) {
			if op.Callee != nil && !op.Kind.Transitive() {
				continue // does not make fn block for its callers.
			}
			send, isSend := op.Node.(*ast.SendStmt)
			if op.Callee != nil || !isSend {
				n = -1
				break
			}
			sv, ok := s.Send(send)
			if !ok {
				n = -1
				break
			}
			if n == 0 {
				out = sv
			} else if out, ok = out.merge(sv); !ok {
				n = -1
				break
			}
			n++
		}
		if n > 0 {
			s.funcs[fn] = out
			pass.ExportObjectFact(fn, &out)
		}
	}
}
