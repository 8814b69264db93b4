package halfupdate

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// A fieldWrite is an assignment, increment or delete that changes one
// field (or an element of one) of shared state: s.byID[id] = u,
// s.count++, delete(s.byName, n).
type fieldWrite struct {
	stmt  ast.Stmt
	base  types.Object // s: a pointer receiver or parameter, or a package variable
	field string       // "s.byID"
	obj   types.Object // the field (or package variable) written: byID
	value ast.Expr     // the value assigned, for a plain s.f = v; else nil
}

// checkMemory reports a return on cancellation (ctx.Err(), <-ctx.Done(),
// or the error of a call taking ctx, also when it is compared with
// context.Canceled) that sits between a write to one field of shared
// state and a write to another field of the same state: the invariant
// that ties the two (two indexes, a counter) is left half updated; and
// between a field set to one constant and set back to another (a state
// flag flipped and flipped back), which stays in its transient state.
// Two fields are tied when the function takes a lock around them, or
// when another function of the package writes both too (keptInStep).
func checkMemory(sc *scope, fn *function) {
	if sc.defersWrite(fn) {
		return // a deferred write may restore it.
	}
	locked := sc.locks(fn)
	for _, list := range stmtLists(fn.body) {
		var writes []fieldWrite
		type pending struct {
			at     ast.Node // the if, or the select case, that returns
			what   string
			before []fieldWrite
		}
		var points []pending
		for i, stmt := range list {
			if at, what := sc.cancelReturn(list, i); at != nil && len(writes) > 0 {
				points = append(points, pending{at, what, writes})
				continue
			}
			for _, w := range sc.fieldWrites(stmt) {
				for j := 0; j < len(points); j++ {
					p := points[j]
					if first, ok := halfWritten(sc.pass.TypesInfo, p.before, w); ok && (locked || first.obj == w.obj || sc.inStep.tied(first.obj, w.obj)) {
						reportMemory(sc, p.at, p.what, first, w)
						points = append(points[:j], points[j+1:]...)
						j--
					}
				}
				writes = append(writes, w)
			}
		}
	}
}

// halfWritten returns the write among before to the same state as w but
// to another field, when before does not already write w's field.
func halfWritten(info *types.Info, before []fieldWrite, w fieldWrite) (fieldWrite, bool) {
	var first fieldWrite
	found := false
	for _, b := range before {
		if b.base != w.base {
			continue
		}
		if b.field == w.field {
			if flips(info, b, w) {
				return b, true // set to a transient state, then set back.
			}
			return fieldWrite{}, false // w redoes a write done before the return.
		}
		if !found {
			first, found = b, true
		}
	}
	return first, found
}

func reportMemory(sc *scope, at ast.Node, what string, first, second fieldWrite) {
	end := at.End()
	switch at := at.(type) {
	case *ast.IfStmt:
		end = at.Cond.End()
	case *ast.CommClause:
		end = at.Comm.End()
	}
	msg := "return on " + what + " leaves " + first.field + " updated but not " + second.field +
		": the in-memory update is half applied; check for cancellation before the first write, or undo " +
		first.field + " on this path"
	if first.field == second.field {
		msg = "return on " + what + " leaves " + first.field + " = " + types.ExprString(first.value) +
			", which it sets back to " + types.ExprString(second.value) + " only after: the state stays transient; set it back on this path too (a defer does it on every path)"
	}
	sc.pass.Report(analysis.Diagnostic{
		Category: "memory",
		Pos:      at.Pos(), End: end,
		Message: msg,
		Related: []analysis.RelatedInformation{
			{Pos: first.stmt.Pos(), End: first.stmt.End(), Message: first.field + " is written here"},
			{Pos: second.stmt.Pos(), End: second.stmt.End(), Message: second.field + " is written here, after the return"},
		},
	})
}

// locks reports whether fn takes a write lock of a mutex.
func (sc *scope) locks(fn *function) bool {
	found := false
	inspectBody(fn.body, func(n ast.Node) {
		if c, ok := locks.Takes(sc.pass.TypesInfo, n); ok && c.Op == locks.Lock {
			found = true
		}
	})
	return found
}

// defersWrite reports whether fn defers a function literal that writes
// a field: a deferred restore.
func (sc *scope) defersWrite(fn *function) bool {
	found := false
	inspectBody(fn.body, func(n ast.Node) {
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return
		}
		lit, ok := d.Call.Fun.(*ast.FuncLit)
		if !ok {
			return
		}
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if stmt, ok := n.(ast.Stmt); ok && len(sc.fieldWrites(stmt)) > 0 {
				found = true
			}
			return !found
		})
	})
	return found
}

// fieldWrites returns the writes to shared state stmt makes itself.
func (sc *scope) fieldWrites(stmt ast.Stmt) []fieldWrite {
	var targets []ast.Expr
	if es, ok := stmt.(*ast.ExprStmt); ok {
		targets = writeTargets(sc.pass.TypesInfo, es.X)
	} else {
		targets = writeTargets(sc.pass.TypesInfo, stmt)
	}
	var ws []fieldWrite
	for i, t := range targets {
		if base, field := sc.sharedField(t); base != nil {
			w := fieldWrite{stmt: stmt, base: base, field: field, obj: writtenObj(sc.pass.TypesInfo, t)}
			if as, ok := stmt.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) && as.Tok == token.ASSIGN {
				w.value = as.Rhs[i]
			}
			ws = append(ws, w)
		}
	}
	return ws
}

// sharedField returns the base object and the field path ("s.byID") of
// e when e is a field of shared state, or an element of one: s.f,
// s.f[k], s.f.g; s a pointer receiver or parameter, or a package variable.
func (sc *scope) sharedField(e ast.Expr) (types.Object, string) {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.IndexExpr:
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		}
		break
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	id := code.RootIdent(sel)
	if id == nil {
		return nil, ""
	}
	obj, ok := sc.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil, ""
	}
	_, isPtr := obj.Type().Underlying().(*types.Pointer)
	shared := (sc.params[obj] && isPtr) || (obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope())
	if !shared {
		return nil, "" // a local value or a copy: nobody else sees it.
	}
	return obj, types.ExprString(sel)
}

// cancelReturn returns the node and description of the cancellation
// point when list[i] returns on
// cancellation: `if ctx.Err() != nil { return }`, a select whose
// <-ctx.Done() case returns, or `if err != nil { return }` on the error
// of a call taking a cancellable context. It returns nil otherwise, and
// for returns that write the state back.
func (sc *scope) cancelReturn(list []ast.Stmt, i int) (ast.Node, string) {
	switch s := list[i].(type) {
	case *ast.IfStmt:
		if !terminates(s.Body) || sc.writesAny(s.Body) {
			return nil, ""
		}
		for _, call := range callsIn(unconditional(s)...) {
			if sc.isCtxErr(call) {
				return s, types.ExprString(call)
			}
			if _, root := sc.ctxArg(call); root != nil && errorPath(sc, list, i, call) == s.Body {
				return s, "the error of " + callName(call)
			}
		}
		if i > 0 {
			for _, call := range callsIn(unconditional(list[i-1])...) {
				if _, root := sc.ctxArg(call); root != nil && errorPath(sc, list, i-1, call) == s.Body {
					return s, "the error of " + callName(call)
				}
			}
		}
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			if cc.Comm == nil || !sc.isDoneRecv(cc.Comm) {
				continue
			}
			body := &ast.BlockStmt{List: cc.Body}
			if terminates(body) && !sc.writesAny(body) {
				return cc, "<-" + types.ExprString(doneCall(cc.Comm))
			}
		}
	}
	return nil, ""
}

// isCtxErr reports whether call is ctx.Err() on a cancellable context.
func (sc *scope) isCtxErr(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Err" && code.IsCallTo(sc.pass.TypesInfo, call, "(context.Context).Err") &&
		sc.cancellable(sel.X) != nil
}

// isDoneRecv reports whether comm receives from ctx.Done() of a
// cancellable context.
func (sc *scope) isDoneRecv(comm ast.Stmt) bool {
	call := doneCall(comm)
	if call == nil || !code.IsCallTo(sc.pass.TypesInfo, call, "(context.Context).Done") {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sc.cancellable(sel.X) != nil
}

// doneCall returns the call received from in comm (<-ctx.Done()).
func doneCall(comm ast.Stmt) *ast.CallExpr {
	call, _ := ast.Unparen(code.CommRecv(comm)).(*ast.CallExpr)
	return call
}

// writesAny reports whether block writes shared state anywhere, or
// calls a method of the shared value itself (s.undo(id)), which may.
func (sc *scope) writesAny(block *ast.BlockStmt) bool {
	found := false
	inspectBody(block, func(n ast.Node) {
		switch n := n.(type) {
		case ast.Stmt:
			if len(sc.fieldWrites(n)) > 0 {
				found = true
			}
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
					if base, _ := sc.sharedField(&ast.SelectorExpr{X: id, Sel: sel.Sel}); base != nil && sc.pass.TypesInfo.Selections[sel] != nil {
						found = true
					}
				}
			}
		}
	})
	return found
}

// flips reports whether first and second set one field to two different
// constants (running = true ... running = false; state = stateBusy ...
// state = stateIdle), nil counting as one.
func flips(info *types.Info, first, second fieldWrite) bool {
	return first.value != nil && second.value != nil && isConst(info, first.value) && isConst(info, second.value) &&
		types.ExprString(first.value) != types.ExprString(second.value)
}

// isConst reports whether e is a constant expression or nil.
func isConst(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && (tv.Value != nil || tv.IsNil())
}

// writtenObj returns the field or variable a write target names last:
// byID in s.byID[k].
func writtenObj(info *types.Info, e ast.Expr) types.Object {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.SelectorExpr:
			return info.Uses[x.Sel]
		case *ast.Ident:
			return info.Uses[x]
		default:
			return nil
		}
	}
}

// A stepIndex knows which fields the package's functions write together.
type stepIndex struct {
	pass  *analysis.Pass
	pairs map[[2]types.Object]int // by object pair (lower pointer first): how many functions write both
}

// tied reports whether two functions of the package or more write both
// a and b: the type keeps them in step.
func (ix *stepIndex) tied(a, b types.Object) bool {
	if a == nil || b == nil {
		return false
	}
	if ix.pairs == nil {
		ix.build()
	}
	return ix.pairs[pairKey(a, b)] >= 2
}

func pairKey(a, b types.Object) [2]types.Object {
	if a.Pos() > b.Pos() || a.Pos() == b.Pos() && a.Name() > b.Name() {
		a, b = b, a
	}
	return [2]types.Object{a, b}
}

// build counts, for every pair of fields, the function declarations
// (outside tests) that write both.
func (ix *stepIndex) build() {
	ix.pairs = make(map[[2]types.Object]int)
	info := ix.pass.TypesInfo
	for _, d := range report.HelperResult[*index.Index](ix.pass, index.Analyzer).Decls() {
		if code.IsTestFile(ix.pass, d.Decl) {
			continue
		}
		written := make(map[types.Object]bool)
		ast.Inspect(d.Decl.Body, func(n ast.Node) bool {
			for _, t := range writeTargets(info, n) {
				if _, ok := ast.Unparen(t).(*ast.Ident); ok {
					continue // a local or a package variable by itself.
				}
				if v, ok := writtenObj(info, t).(*types.Var); ok && v.IsField() {
					written[v] = true
				}
			}
			return true
		})
		var objs []types.Object
		for o := range written {
			objs = append(objs, o)
		}
		for i := range objs {
			for j := i + 1; j < len(objs); j++ {
				ix.pairs[pairKey(objs[i], objs[j])]++
			}
		}
	}
}

// writeTargets returns what n writes: the left of an assignment (not a
// definition), the operand of ++ or --, the map of delete or clear.
func writeTargets(info *types.Info, n ast.Node) []ast.Expr {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE {
			return n.Lhs
		}
	case *ast.IncDecStmt:
		return []ast.Expr{n.X}
	case *ast.CallExpr:
		if b, ok := info.Uses[code.IdentOf(n.Fun)].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") && len(n.Args) > 0 {
			return n.Args[:1]
		}
	}
	return nil
}
