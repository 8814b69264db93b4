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
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
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
	var gs []goroutine
	for _, st := range report.HelperResult[*index.Index](x.pass, index.Analyzer).Starts() {
		gostmt, ok := st.Node.(*ast.GoStmt)
		if !ok || st.Body == nil || st.Sig == nil || gostmt.Call.Ellipsis.IsValid() {
			continue // a spawner's callback, or not a function of this package.
		}
		g := goroutine{body: st.Body, args: st.Args}
		for v := range st.Sig.Params().Variables() {
			g.params = append(g.params, v)
		}
		gs = append(gs, g)
		gs = append(gs, x.wrapped(st.Body, st.Sig, st.Args)...)
	}
	return gs
}

// wrapped returns the functions of this package, without parameters,
// that a goroutine body of signature sig runs by calling the parameter
// they are given as (go withRecover(p.retryHandler) in sarama).
func (x *serveIndex) wrapped(body *ast.BlockStmt, sig *types.Signature, args []ast.Expr) []goroutine {
	info := x.pass.TypesInfo
	var gs []goroutine
	for i, arg := range args {
		if i >= sig.Params().Len() {
			break
		}
		var fn *types.Func
		switch a := ast.Unparen(arg).(type) {
		case *ast.Ident:
			fn, _ = info.Uses[a].(*types.Func)
		case *ast.SelectorExpr:
			fn, _ = info.Uses[a.Sel].(*types.Func)
		}
		if fn == nil || fn.Origin().Signature().Params().Len() != 0 {
			continue
		}
		fd := x.decls[fn.Origin()]
		if fd == nil || !callsParam(info, body, sig.Params().At(i)) {
			continue
		}
		gs = append(gs, goroutine{body: fd.Body})
	}
	return gs
}

// callsParam reports whether body calls the function held by param.
func callsParam(info *types.Info, body *ast.BlockStmt, param *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && info.Uses[id] == param {
				found = true
			}
		}
		return !found
	})
	return found
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
			candidates = received(n.Body)
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

// received returns the channels that a loop body receives from, in a
// select or outside, once each as written, in source order: a loop can
// serve a channel that it receives from only when its queue is empty
// (sarama's retryHandler), or in the select of an inner loop
// (robfig/cron's run). Whether it always comes back to receive is for
// serving to judge.
func received(body *ast.BlockStmt) []ast.Expr {
	var chans []ast.Expr
	seen := make(map[string]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt:
			return false
		case *ast.UnaryExpr:
			if key := types.ExprString(n.X); n.Op == token.ARROW && !seen[key] {
				seen[key] = true
				chans = append(chans, n.X)
			}
		}
		return true
	})
	return chans
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
		case *ast.SendStmt:
			if x.s.ReplySend(g.body, n) && op.Callee == nil {
				continue // the requester waits for it.
			}
		}
		if len(x.heldAt(g.body, op.Pos())) > 0 {
			continue // blocking under a lock is reported where it is.
		}
		return Served{}, false
	}
	needs, ok := x.exitNeeds(g.body, body, isCh)
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
			if r := code.CommRecv(cc.Comm); r != nil && isCh(r) {
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
		if def == nil || !info.Types[def].IsNil() && !x.aliases(def, ch, depth+1) {
			return false
		}
	}
	return true
}

// exitNeeds checks how the loop body (of the goroutine body gbody) can
// leave the loop: only from a case that receives ch (or when ch is
// closed), from a branch taken on a value received from ch (sarama's
// retryHandler returns on the nil that the closed p.retries gives), or
// from a case receiving a stop signal that is closed or sent under a
// mutex. It returns the mutexes under which every such signal is given.
func (x *serveIndex) exitNeeds(gbody, body *ast.BlockStmt, isCh func(ast.Expr) bool) ([]string, bool) {
	info := x.pass.TypesInfo
	var needs []string
	first := true
	ok := true
	var visit func(n ast.Node, cc *ast.CommClause, nested, onValue bool)
	visit = func(n ast.Node, cc *ast.CommClause, nested, onValue bool) {
		ast.Inspect(n, func(m ast.Node) bool {
			if !ok {
				return false
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CommClause:
				for _, st := range m.Body {
					visit(st, m, nested, onValue)
				}
				return false
			case *ast.IfStmt:
				if cc != nil || onValue || !x.onReceived(gbody, m.Cond, isCh) {
					return true
				}
				if m.Init != nil {
					visit(m.Init, cc, nested, false)
				}
				visit(m.Body, cc, nested, true)
				if m.Else != nil {
					visit(m.Else, cc, nested, true)
				}
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				// A plain break inside leaves this statement only.
				for _, child := range children(m) {
					visit(child, cc, true, onValue)
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
			if cc == nil && onValue {
				return true // on what ch delivered.
			}
			if cc == nil {
				ok = false
				return false
			}
			r := code.CommRecv(cc.Comm)
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
		visit(st, nil, false, false)
	}
	sort.Strings(needs)
	return needs, ok
}

// onReceived reports whether cond tests only values received from ch:
// variables declared in gbody and assigned there, each assignment a
// receive from ch (msg = <-p.retries; v, ok := <-in), fields of them,
// constants and nil.
func (x *serveIndex) onReceived(gbody *ast.BlockStmt, cond ast.Expr, isCh func(ast.Expr) bool) bool {
	info := x.pass.TypesInfo
	vars := make(map[*types.Var]bool)
	good := true
	var check func(e ast.Expr)
	check = func(e ast.Expr) {
		switch e := ast.Unparen(e).(type) {
		case *ast.BinaryExpr:
			check(e.X)
			check(e.Y)
		case *ast.UnaryExpr:
			check(e.X)
		case *ast.SelectorExpr:
			check(e.X)
		case *ast.BasicLit:
		case *ast.Ident:
			switch obj := info.Uses[e].(type) {
			case *types.Nil, *types.Const:
			case *types.Var:
				if obj.IsField() || obj.Pos() < gbody.Pos() || obj.Pos() >= gbody.End() {
					good = false // a parameter, or a variable of another function.
				}
				vars[obj] = true
			default:
				good = false
			}
		default:
			good = false
		}
	}
	check(cond)
	if !good || len(vars) == 0 {
		return false
	}
	assigned := make(map[*types.Var]bool)
	ast.Inspect(gbody, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			fromCh := len(n.Rhs) == 1 && isRecvFrom(n.Rhs[0], isCh)
			for _, lhs := range n.Lhs {
				if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && vars[asVar(info.ObjectOf(id))] {
					good = good && fromCh
					assigned[asVar(info.ObjectOf(id))] = true
				}
			}
		case *ast.ValueSpec:
			for _, name := range n.Names {
				if vars[asVar(info.ObjectOf(name))] && len(n.Values) > 0 {
					good = false
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && vars[asVar(info.Uses[id])] {
				good = false // its address is taken.
			}
		case *ast.IncDecStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && vars[asVar(info.Uses[id])] {
				good = false
			}
		}
		return good
	})
	return good && len(assigned) == len(vars)
}

// isRecvFrom reports whether e receives from a channel isCh accepts.
func isRecvFrom(e ast.Expr, isCh func(ast.Expr) bool) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	return ok && u.Op == token.ARROW && isCh(u.X)
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
		if c, ok := locks.Takes(info, call); ok {
			add(c.Mutex.Key)
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
// channels. A send made while the function itself holds one of the
// mutexes the loops need is served for any caller (robfig/cron's
// Cron.Remove sends under runningMu, the lock Stop sends its stop signal
// under).
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
			var sv Served
			var ok bool
			switch node := op.Node.(type) {
			case *ast.SendStmt:
				sv, ok = s.Send(node)
			case *ast.UnaryExpr:
				sv, ok = s.Reply(x.decls[fn].Body, node) // the reply to a request sent before
			}
			if ok && op.Callee == nil {
				sv = sv.under(x.heldAt(x.decls[fn].Body, op.Pos()))
			} else {
				ok = false
			}
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
