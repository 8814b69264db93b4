package blocking

// This file knows when a sleep is bounded: its duration has an upper
// bound that the source states (a constant, min(d, max), a jitter drawn
// by rand.Intn(n), a variable clamped by an if before the call or
// guarded by the if around it), and it runs a number of times that the
// source states too (not in a loop, or in a loop with a constant count,
// as a retry loop has). Such a sleep is a pause, not a wait without
// bound: etcd's watchGRPCStream.backoffIfUnavailable sleeps at most
// 100ms. A duration read from a parameter or a field (configuration) has
// no bound here.

import (
	"github.com/asynclint/asynclint/passes/internal/code"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"time"

	"golang.org/x/tools/go/types/typeutil"
)

// maxBoundDepth bounds how many definitions and operators a bound is
// followed through.
const maxBoundDepth = 6

// randBounded lists the functions whose result is below their first
// argument (math/rand's and math/rand/v2's Intn, Int63n, N, ...), and
// those below 1 (Float64).
var randBounded = map[string]bool{
	"math/rand.Intn": true, "math/rand.Int31n": true, "math/rand.Int63n": true,
	"(*math/rand.Rand).Intn": true, "(*math/rand.Rand).Int31n": true, "(*math/rand.Rand).Int63n": true,
	"math/rand/v2.IntN": true, "math/rand/v2.Int32N": true, "math/rand/v2.Int64N": true,
	"math/rand/v2.UintN": true, "math/rand/v2.Uint32N": true, "math/rand/v2.Uint64N": true, "math/rand/v2.N": true,
	"(*math/rand/v2.Rand).IntN": true, "(*math/rand/v2.Rand).Int32N": true, "(*math/rand/v2.Rand).Int64N": true,
	"(*math/rand/v2.Rand).UintN": true, "(*math/rand/v2.Rand).Uint32N": true, "(*math/rand/v2.Rand).Uint64N": true,
}

var randUnit = map[string]bool{
	"math/rand.Float64": true, "math/rand.Float32": true, "(*math/rand.Rand).Float64": true, "(*math/rand.Rand).Float32": true,
	"math/rand/v2.Float64": true, "math/rand/v2.Float32": true, "(*math/rand/v2.Rand).Float64": true, "(*math/rand/v2.Rand).Float32": true,
}

// A bounder computes upper bounds of the expressions of one function
// body.
type bounder struct {
	info *types.Info
	body *ast.BlockStmt
	r    *Result // for the package's variables; may be nil
}

// sleepBound returns the upper bound of one run of the sleep n (a
// time.Sleep call or a receive from time.After), when it has one.
func (b bounder) sleepBound(n ast.Node) (time.Duration, bool) {
	var d ast.Expr
	switch n := n.(type) {
	case *ast.CallExpr:
		if len(n.Args) != 1 {
			return 0, false
		}
		d = n.Args[0]
	case *ast.UnaryExpr:
		call, ok := ast.Unparen(n.X).(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return 0, false
		}
		if fn, ok := typeutil.Callee(b.info, call).(*types.Func); !ok || fn.FullName() != "time.After" {
			return 0, false // a timer made elsewhere.
		}
		d = call.Args[0]
	default:
		return 0, false
	}
	v, ok := b.bound(d, n.Pos(), 0)
	if !ok {
		return 0, false
	}
	return toDuration(v), true
}

// toDuration converts a bound in nanoseconds, saturating.
func toDuration(v float64) time.Duration {
	switch {
	case v <= 0:
		return 0
	case v >= math.MaxInt64:
		return math.MaxInt64
	}
	return time.Duration(v)
}

// bound returns an upper bound of the value of e, evaluated at pos.
func (b bounder) bound(e ast.Expr, pos token.Pos, depth int) (float64, bool) {
	if depth > maxBoundDepth {
		return 0, false
	}
	e = ast.Unparen(e)
	if tv, ok := b.info.Types[e]; ok && tv.Value != nil {
		return constValue(tv.Value)
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		return b.callBound(e, pos, depth)
	case *ast.BinaryExpr:
		return b.binaryBound(e, pos, depth)
	case *ast.Ident, *ast.SelectorExpr:
		return b.varBound(e, pos, depth)
	}
	return 0, false
}

func constValue(v constant.Value) (float64, bool) {
	switch v.Kind() {
	case constant.Int, constant.Float:
		f, _ := constant.Float64Val(v)
		return f, true
	}
	return 0, false
}

// callBound bounds a conversion, min, max, or a draw from math/rand.
func (b bounder) callBound(call *ast.CallExpr, pos token.Pos, depth int) (float64, bool) {
	if tv, ok := b.info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		return b.bound(call.Args[0], pos, depth+1) // time.Duration(n)
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if bi, ok := b.info.Uses[id].(*types.Builtin); ok {
			switch bi.Name() {
			case "min": // below each argument: one bounded argument is enough.
				best, found := 0.0, false
				for _, arg := range call.Args {
					if v, ok := b.bound(arg, pos, depth+1); ok && (!found || v < best) {
						best, found = v, true
					}
				}
				return best, found
			case "max":
				best := math.Inf(-1)
				for _, arg := range call.Args {
					v, ok := b.bound(arg, pos, depth+1)
					if !ok {
						return 0, false
					}
					best = max(best, v)
				}
				return best, len(call.Args) > 0
			}
			return 0, false
		}
	}
	fn, ok := typeutil.Callee(b.info, call).(*types.Func)
	if !ok {
		return 0, false
	}
	switch name := fn.FullName(); {
	case randBounded[name] && len(call.Args) == 1:
		return b.bound(call.Args[0], pos, depth+1)
	case randUnit[name]:
		return 1, true
	}
	return 0, false
}

// binaryBound bounds a sum, or a product, quotient or shift with a
// constant operand that is not negative.
func (b bounder) binaryBound(e *ast.BinaryExpr, pos token.Pos, depth int) (float64, bool) {
	x, xok := b.bound(e.X, pos, depth+1)
	y, yok := b.bound(e.Y, pos, depth+1)
	cx := b.nonNegConst(e.X)
	cy := b.nonNegConst(e.Y)
	switch e.Op {
	case token.ADD:
		return x + y, xok && yok
	case token.SUB:
		if xok && cy {
			return x - y, true
		}
	case token.MUL:
		if xok && yok && (cx || cy) {
			return x * y, true
		}
	case token.QUO, token.SHR:
		if xok && cy && y > 0 {
			if e.Op == token.QUO {
				return x / y, true
			}
			return x, true
		}
	case token.REM:
		if cy {
			return y, true
		}
	}
	return 0, false
}

func (b bounder) nonNegConst(e ast.Expr) bool {
	tv, ok := b.info.Types[e]
	if !ok || tv.Value == nil {
		return false
	}
	v, ok := constValue(tv.Value)
	return ok && v >= 0
}

// varBound bounds a variable or field read at pos: by the condition of
// an if or for around pos that keeps it below a bound, by an if before
// pos that clamps it, or, for a local variable, by every value assigned
// to it.
func (b bounder) varBound(e ast.Expr, pos token.Pos, depth int) (float64, bool) {
	key := types.ExprString(e)
	if v, ok := b.guarded(e, key, pos, depth); ok {
		return v, true
	}
	if v, ok := b.clamped(key, pos, depth); ok {
		return v, true
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return 0, false // a field: configuration.
	}
	obj, ok := b.info.Uses[id].(*types.Var)
	if !ok {
		return 0, false
	}
	if b.r != nil && obj.Pkg() == b.r.pkg && obj.Parent() == obj.Pkg().Scope() && !obj.Exported() {
		// An unexported package variable assigned only where it is
		// declared is a constant that tests may change (etcd's
		// maxBackoff); one assigned elsewhere is not.
		if def := b.r.defs[obj]; def != nil {
			return b.bound(def, pos, depth+1)
		}
		return 0, false
	}
	if obj.Pos() < b.body.Pos() || obj.Pos() >= b.body.End() {
		return 0, false // a parameter or a captured variable.
	}
	return b.defsBound(obj, depth)
}

// guarded finds an if or for around pos, within the body, whose
// condition (or a conjunct of it) says key < c or key <= c, with no
// assignment to key between the condition and pos: the etcd shape
// if s.backoff < max { time.Sleep(s.backoff) }, and the counter of a
// bounded retry loop.
func (b bounder) guarded(e ast.Expr, key string, pos token.Pos, depth int) (float64, bool) {
	var best float64
	found := false
	ast.Inspect(b.body, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		var cond ast.Expr
		var scope ast.Node
		switch n := n.(type) {
		case *ast.IfStmt:
			cond, scope = n.Cond, n.Body
		case *ast.ForStmt:
			cond, scope = n.Cond, n.Body
		}
		if cond == nil || pos < scope.Pos() || pos >= scope.End() {
			return true
		}
		if b.assignedBetween(key, scope.Pos(), pos) {
			return true // the condition held at the top of the body (or of each turn), not here.
		}
		for _, c := range conjuncts(cond) {
			if v, ok := b.upperFrom(c, key, pos, depth); ok && (!found || v < best) {
				best, found = v, true
			}
		}
		return true
	})
	return best, found
}

// conjuncts splits a && b && c.
func conjuncts(e ast.Expr) []ast.Expr {
	e = ast.Unparen(e)
	if be, ok := e.(*ast.BinaryExpr); ok && be.Op == token.LAND {
		return append(conjuncts(be.X), conjuncts(be.Y)...)
	}
	return []ast.Expr{e}
}

// upperFrom returns c's bound of key when c is key < x, key <= x,
// x > key or x >= key with x bounded.
func (b bounder) upperFrom(c ast.Expr, key string, pos token.Pos, depth int) (float64, bool) {
	be, ok := ast.Unparen(c).(*ast.BinaryExpr)
	if !ok {
		return 0, false
	}
	var other ast.Expr
	switch {
	case (be.Op == token.LSS || be.Op == token.LEQ) && types.ExprString(ast.Unparen(be.X)) == key:
		other = be.Y
	case (be.Op == token.GTR || be.Op == token.GEQ) && types.ExprString(ast.Unparen(be.Y)) == key:
		other = be.X
	default:
		return 0, false
	}
	return b.bound(other, be.Pos(), depth+1)
}

// clamped finds, before pos in a statement list around it, an
// if key > c { key = v } (or >=, or c < key) with v bounded and no else,
// and no assignment to key after it up to pos.
func (b bounder) clamped(key string, pos token.Pos, depth int) (float64, bool) {
	var best float64
	found := false
	ast.Inspect(b.body, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		var list []ast.Stmt
		switch n := n.(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		}
		for _, stmt := range list {
			if stmt.End() > pos {
				break
			}
			if v, ok := b.clampOf(stmt, key, depth); ok && !b.assignedBetween(key, stmt.End(), pos) && (!found || v < best) {
				best, found = v, true
			}
		}
		return true
	})
	return best, found
}

// clampOf returns the bound that stmt, if key > c { key = v }, puts on
// key: the larger of c and v.
func (b bounder) clampOf(stmt ast.Stmt, key string, depth int) (float64, bool) {
	ifs, ok := stmt.(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil {
		return 0, false
	}
	be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok {
		return 0, false
	}
	var limit ast.Expr
	switch {
	case (be.Op == token.GTR || be.Op == token.GEQ) && types.ExprString(ast.Unparen(be.X)) == key:
		limit = be.Y
	case (be.Op == token.LSS || be.Op == token.LEQ) && types.ExprString(ast.Unparen(be.Y)) == key:
		limit = be.X
	default:
		return 0, false
	}
	c, ok := b.bound(limit, be.Pos(), depth+1)
	if !ok {
		return 0, false
	}
	set := false
	for _, st := range ifs.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 || types.ExprString(as.Lhs[0]) != key {
			continue
		}
		v, ok := b.bound(as.Rhs[0], as.Pos(), depth+1)
		if !ok {
			return 0, false
		}
		c, set = max(c, v), true
	}
	return c, set
}

// assignedBetween reports whether key is assigned, incremented or has
// its address taken in the body between from and to.
func (b bounder) assignedBetween(key string, from, to token.Pos) bool {
	found := false
	ast.Inspect(b.body, func(n ast.Node) bool {
		if found || n == nil || n.End() <= from || n.Pos() >= to {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				found = found || types.ExprString(lhs) == key
			}
		case *ast.IncDecStmt:
			found = found || types.ExprString(n.X) == key
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND && types.ExprString(n.X) == key
		}
		return !found
	})
	return found
}

// defsBound bounds the local variable v by every value assigned to it in
// the body: each must be bounded, or clamped by the statement right
// after it.
func (b bounder) defsBound(v *types.Var, depth int) (float64, bool) {
	best, found, ok := 0.0, false, true
	consider := func(val ast.Expr, at token.Pos, next ast.Stmt) {
		if !ok {
			return
		}
		x, xok := 0.0, false
		if val != nil {
			x, xok = b.bound(val, at, depth+1)
		}
		if !xok && next != nil {
			x, xok = b.clampOf(next, v.Name(), depth)
		}
		if !xok {
			ok = false
			return
		}
		best, found = max(best, x), true
	}
	isV := func(e ast.Expr) bool {
		id, isId := ast.Unparen(e).(*ast.Ident)
		return isId && b.info.ObjectOf(id) == v
	}
	var visit func(list []ast.Stmt)
	visit = func(list []ast.Stmt) {
		for i, stmt := range list {
			var next ast.Stmt
			if i+1 < len(list) {
				next = list[i+1]
			}
			switch st := stmt.(type) {
			case *ast.AssignStmt:
				for j, lhs := range st.Lhs {
					if !isV(lhs) {
						continue
					}
					if st.Tok != token.ASSIGN && st.Tok != token.DEFINE || len(st.Lhs) != len(st.Rhs) {
						consider(nil, st.Pos(), next) // d *= 2, or one of several results
						continue
					}
					consider(st.Rhs[j], st.Pos(), next)
				}
			case *ast.IncDecStmt:
				if isV(st.X) {
					consider(nil, st.Pos(), next)
				}
			case *ast.DeclStmt:
				if gd, isGen := st.Decl.(*ast.GenDecl); isGen {
					for _, spec := range gd.Specs {
						vs, isVal := spec.(*ast.ValueSpec)
						if !isVal {
							continue
						}
						for j, name := range vs.Names {
							if b.info.Defs[name] != v {
								continue
							}
							if len(vs.Values) == len(vs.Names) {
								consider(vs.Values[j], st.Pos(), next)
							} else if len(vs.Values) == 0 {
								consider(&ast.BasicLit{Kind: token.INT, Value: "0"}, st.Pos(), next)
							} else {
								consider(nil, st.Pos(), next)
							}
						}
					}
				}
			}
		}
	}
	ast.Inspect(b.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if n.Op == token.AND && isV(n.X) {
				ok = false // its address escapes.
			}
		case *ast.RangeStmt:
			if n.Key != nil && isV(n.Key) || n.Value != nil && isV(n.Value) {
				ok = false
			}
		case *ast.IfStmt:
			if n.Init != nil {
				visit([]ast.Stmt{n.Init})
			}
		case *ast.ForStmt:
			if n.Init != nil {
				visit([]ast.Stmt{n.Init})
			}
			if n.Post != nil {
				visit([]ast.Stmt{n.Post})
			}
		case *ast.SwitchStmt:
			if n.Init != nil {
				visit([]ast.Stmt{n.Init})
			}
		}
		if list, isList := code.StmtList(n); isList {
			visit(list)
		}
		return ok
	})
	return best, ok && found
}

// Repeats returns how many times the node at pos runs each time the
// stretch of body from from runs: the product of the counts of the loops
// around it that begin at or after from. ok is false when one of those
// loops has no count that the source states (a constant, or a counter
// bounded by a condition and stepped by its post statement).
func Repeats(info *types.Info, body *ast.BlockStmt, pos, from token.Pos) (int64, bool) {
	b := bounder{info: info, body: body}
	total := 1.0
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok || n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		if _, lit := n.(*ast.FuncLit); lit {
			return true // called on the spot: its loops count too.
		}
		if n.Pos() < from {
			return true
		}
		var count float64
		var counted bool
		switch n := n.(type) {
		case *ast.ForStmt:
			if pos >= n.Body.Pos() {
				count, counted = b.forCount(n)
			} else {
				return true // the init, condition or post.
			}
		case *ast.RangeStmt:
			if pos >= n.Body.Pos() {
				count, counted = b.rangeCount(n)
			} else {
				return true
			}
		default:
			return true
		}
		if !counted {
			ok = false
			return false
		}
		total *= max(count, 0)
		return true
	})
	if !ok || total >= math.MaxInt64 {
		return 0, false
	}
	return int64(total), true
}

// forCount returns the number of iterations of for i := a; i < c; i++
// (or <=, or i += k with k a positive constant, or counting down to a
// constant with i-- or i -= k), when i is not assigned in the body.
func (b bounder) forCount(loop *ast.ForStmt) (float64, bool) {
	init, ok := loop.Init.(*ast.AssignStmt)
	if !ok || len(init.Lhs) != 1 || len(init.Rhs) != 1 || loop.Cond == nil || loop.Post == nil {
		return 0, false
	}
	key := types.ExprString(init.Lhs[0])
	step, up, ok := b.step(loop.Post, key)
	if !ok || b.assignedBetween(key, loop.Body.Pos(), loop.Body.End()) {
		return 0, false
	}
	be, ok := ast.Unparen(loop.Cond).(*ast.BinaryExpr)
	if !ok {
		return 0, false
	}
	op, limit := be.Op, be.Y
	if types.ExprString(ast.Unparen(be.X)) != key {
		if types.ExprString(ast.Unparen(be.Y)) != key {
			return 0, false
		}
		limit = be.X
		switch op { // c > i is i < c.
		case token.GTR:
			op = token.LSS
		case token.GEQ:
			op = token.LEQ
		case token.LSS:
			op = token.GTR
		case token.LEQ:
			op = token.GEQ
		}
	}
	extra := 0.0
	if op == token.LEQ || op == token.GEQ {
		extra = 1
	}
	if up && (op == token.LSS || op == token.LEQ) {
		start, sok := b.constOf(init.Rhs[0])
		end, eok := b.bound(limit, loop.Pos(), 0)
		if !sok || !eok {
			return 0, false
		}
		return math.Ceil((end - start + extra) / step), true
	}
	if !up && (op == token.GTR || op == token.GEQ) {
		start, sok := b.bound(init.Rhs[0], loop.Pos(), 0)
		end, eok := b.constOf(limit)
		if !sok || !eok {
			return 0, false
		}
		return math.Ceil((start - end + extra) / step), true
	}
	return 0, false
}

// step returns the step of post on key and whether it counts up.
func (b bounder) step(post ast.Stmt, key string) (float64, bool, bool) {
	switch post := post.(type) {
	case *ast.IncDecStmt:
		if types.ExprString(post.X) == key {
			return 1, post.Tok == token.INC, true
		}
	case *ast.AssignStmt:
		if len(post.Lhs) == 1 && len(post.Rhs) == 1 && types.ExprString(post.Lhs[0]) == key &&
			(post.Tok == token.ADD_ASSIGN || post.Tok == token.SUB_ASSIGN) {
			if k, ok := b.constOf(post.Rhs[0]); ok && k > 0 {
				return k, post.Tok == token.ADD_ASSIGN, true
			}
		}
	}
	return 0, false, false
}

func (b bounder) constOf(e ast.Expr) (float64, bool) {
	tv, ok := b.info.Types[e]
	if !ok || tv.Value == nil {
		return 0, false
	}
	return constValue(tv.Value)
}

// rangeCount returns the number of iterations of a range over an
// integer with a bound or over an array.
func (b bounder) rangeCount(loop *ast.RangeStmt) (float64, bool) {
	t := b.info.TypeOf(loop.X)
	if t == nil {
		return 0, false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Info()&types.IsInteger != 0 {
			return b.bound(loop.X, loop.Pos(), 0)
		}
	case *types.Array:
		return float64(u.Len()), true
	case *types.Pointer:
		if a, ok := u.Elem().Underlying().(*types.Array); ok {
			return float64(a.Len()), true
		}
	}
	return 0, false
}

// boundedRun reports whether op, in the body s scans, is a bounded
// sleep that runs a bounded number of times per call of the function.
func (s *scanner) boundedRun(op Op) bool {
	_, ok := SleepBound(s.info, s.body, op, s.body.Pos())
	return ok
}

// markBounds sets Reason.Bounded and Max on the package's blocking
// functions whose every blocking operation is a bounded sleep, once the
// fixed point is reached. A function that also blocks without bound
// gets, in place of a bounded sleep, the first operation that does as
// its reason.
func markBounds(fset *token.FileSet, r *Result, decls []decl, scans []*scanner) {
	for i, d := range decls {
		reason, ok := r.funcs[d.fn]
		if !ok {
			continue
		}
		s := scans[i]
		total, only, any := 0.0, true, false
		for _, op := range s.ops {
			if !op.Kind.Propagates() || (op.Callee != nil && !op.Kind.Transitive()) || !r.counts(op) {
				continue
			}
			any = true
			if d, ok := SleepBound(s.info, s.body, op, s.body.Pos()); ok {
				total += float64(d)
				continue
			}
			only = false
		}
		for _, pc := range s.pending {
			if callee, ok := r.funcs[pc.fn]; ok && callee.Kind.Transitive() {
				only = false
			}
		}
		if only && any {
			reason.Bounded, reason.Max = true, toDuration(total)
			continue
		}
		if reason.Kind == KindSleep && reason.Via == "" {
			if better, ok := earliestReason(fset, r, s, true); ok {
				*reason = better
			}
		}
	}
}
