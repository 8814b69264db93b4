package halfupdate

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/mutation"
	"github.com/asynclint/asynclint/passes/internal/mutation/detach"
)

// A scope is one top-level function declaration: the functions it holds
// (itself and its literals) and what is known about its context
// variables. It lives for one FuncDecl.
type scope struct {
	pass    *analysis.Pass
	detach  *detach.Result // which callees detach their context
	funcs   []*function
	params  map[types.Object]bool     // parameters of the declaration and its literals
	assigns map[types.Object][]assign // assignments to each variable, in source order
	// reported holds the calls already reported, so a call seen from
	// two functions (a deferred literal and its error path) is reported once.
	reported map[ast.Node]bool
	// results maps each named result to the function that declares it.
	results map[types.Object]*function
	// inStep are the pairs of fields that some function of the package
	// writes together (see keptInStep); shared by every scope.
	inStep *stepIndex
}

// A function is a FuncDecl or FuncLit body analysed on its own; nested
// literals are skipped when walking it.
type function struct {
	node   ast.Node // *ast.FuncDecl or *ast.FuncLit
	typ    *ast.FuncType
	body   *ast.BlockStmt
	caller *ast.CallExpr // the call a literal is passed to, if any
	// deferred: the literal is the function of a defer statement.
	deferred bool
	// spawned: the literal is the function of a go statement.
	spawned bool
	// parent is the function whose body holds the literal (nil for the
	// declaration).
	parent *function
}

func newScope(pass *analysis.Pass, detaches *detach.Result, inStep *stepIndex, decl *ast.FuncDecl) *scope {
	sc := &scope{
		pass:    pass,
		inStep:  inStep,
		detach:  detaches,
		params:  make(map[types.Object]bool),
		assigns: make(map[types.Object][]assign),

		reported: make(map[ast.Node]bool),
		results:  make(map[types.Object]*function),
	}
	top := &function{node: decl, typ: decl.Type, body: decl.Body}
	sc.addFunc(top)
	byNode := map[ast.Node]*function{decl: top}
	if decl.Recv != nil {
		sc.addParams(decl.Recv)
	}
	var stack []ast.Node
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			fn := &function{node: n, typ: n.Type, body: n.Body, parent: top}
			for i := len(stack) - 1; i >= 0; i-- {
				if lit, ok := stack[i].(*ast.FuncLit); ok {
					fn.parent = byNode[lit]
					break
				}
			}
			byNode[n] = fn
			if len(stack) > 0 {
				if p, ok := stack[len(stack)-1].(*ast.CallExpr); ok {
					if p.Fun == n {
						if len(stack) > 1 {
							_, fn.deferred = stack[len(stack)-2].(*ast.DeferStmt)
							_, fn.spawned = stack[len(stack)-2].(*ast.GoStmt)
						}
					} else {
						fn.caller = p
					}
				}
			}
			sc.addFunc(fn)
		case *ast.AssignStmt:
			sc.addAssign(n, n.Lhs, n.Rhs)
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE || n.Tok == token.ASSIGN {
				for _, v := range []ast.Expr{n.Key, n.Value} {
					if v != nil {
						sc.addAssign(n, []ast.Expr{v}, []ast.Expr{n.X}) // the loop variables come from X
					}
				}
			}
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			sc.addAssign(n, lhs, n.Values)
		}
		stack = append(stack, n)
		return true
	})
	return sc
}

func (sc *scope) addFunc(fn *function) {
	sc.funcs = append(sc.funcs, fn)
	sc.addParams(fn.typ.Params)
	if fn.typ.Results != nil {
		for _, f := range fn.typ.Results.List {
			for _, id := range f.Names {
				if obj := sc.pass.TypesInfo.Defs[id]; obj != nil {
					sc.results[obj] = fn
				}
			}
		}
	}
}

func (sc *scope) addParams(fields *ast.FieldList) {
	if fields == nil {
		return
	}
	for _, f := range fields.List {
		for _, id := range f.Names {
			if obj := sc.pass.TypesInfo.Defs[id]; obj != nil {
				sc.params[obj] = true
			}
		}
	}
}

// An assign is one value assigned to a variable: the statement (its end
// is where the value takes effect) and the right-hand side.
type assign struct {
	stmt ast.Node
	rhs  ast.Expr
}

func (sc *scope) addAssign(stmt ast.Node, lhs, rhs []ast.Expr) {
	for i, l := range lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			continue
		}
		obj := sc.pass.TypesInfo.ObjectOf(id)
		if obj == nil {
			continue
		}
		switch {
		case len(lhs) == len(rhs):
			sc.assigns[obj] = append(sc.assigns[obj], assign{stmt, rhs[i]})
		case len(rhs) == 1:
			sc.assigns[obj] = append(sc.assigns[obj], assign{stmt, rhs[0]}) // ctx, cancel := context.WithCancel(parent)
		}
	}
}

// cancellable returns the root of the context expression e when e is a
// context the caller can cancel: a context parameter, or a context
// derived from one (context.WithTimeout(ctx, ...), tracer.Start(ctx, ...),
// r.Context()). It returns nil for contexts detached on purpose
// (context.Background, context.TODO, context.WithoutCancel) and for
// contexts it cannot trace (fields, results of unknown calls): a
// timeout rooted at context.Background is not the caller going away.
func (sc *scope) cancellable(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj, ok := sc.pass.TypesInfo.Uses[e].(*types.Var)
		if !ok || !isContext(obj.Type()) {
			return nil
		}
		return sc.rootAt(obj, e.Pos())
	case *ast.CallExpr:
		return sc.derivedFrom(e)
	}
	return nil
}

// rootAt returns the cancellable root of the context variable obj as
// used at pos, or nil. The value at pos is the one of the last
// assignment that ends before pos in the source, or the parameter's; a
// flow-insensitive approximation that handles the common
// `ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)`.
func (sc *scope) rootAt(obj *types.Var, pos token.Pos) types.Object {
	var last *assign
	for i, a := range sc.assigns[obj] {
		if a.stmt.End() < pos {
			last = &sc.assigns[obj][i]
		}
	}
	switch {
	case last != nil:
		return sc.cancellable(last.rhs) // its identifiers all come before pos: this terminates.
	case sc.params[obj]:
		return obj
	}
	return nil
}

// derivedFrom returns the cancellable root of the context that call
// returns, or nil.
func (sc *scope) derivedFrom(call *ast.CallExpr) types.Object {
	switch code.CalleeName(sc.pass.TypesInfo, call) {
	case "context.Background", "context.TODO", "context.WithoutCancel":
		return nil // detached on purpose.
	case "(*net/http.Request).Context":
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if id := code.RootIdent(sel.X); id != nil {
				return sc.pass.TypesInfo.Uses[id] // the request's context: the client can go away.
			}
		}
		return nil
	}
	if fn, ok := typeutil.Callee(sc.pass.TypesInfo, call).(*types.Func); !ok || !returnsContext(fn) {
		return nil
	}
	for _, arg := range call.Args {
		if tv, ok := sc.pass.TypesInfo.Types[arg]; ok && isContext(tv.Type) {
			return sc.cancellable(arg) // derived from its first context argument.
		}
	}
	return nil
}

// ctxArg returns the first context-typed argument of call and its
// cancellable root (nil when the argument is detached or untraceable).
func (sc *scope) ctxArg(call *ast.CallExpr) (ast.Expr, types.Object) {
	for _, arg := range call.Args {
		if tv, ok := sc.pass.TypesInfo.Types[arg]; ok && isContext(tv.Type) {
			return arg, sc.cancellable(arg)
		}
	}
	return nil, nil
}

// callee returns the function call statically invokes, or nil.
func (sc *scope) callee(call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(sc.pass.TypesInfo, call).(*types.Func)
	return fn
}

// txLikeReceiver reports whether the receiver expression of call (the
// x in x.M(...), following x.y.z and x.f(...) chains) mentions a
// transaction or batch value, or a call that takes a context: db(ctx)
// and conn(ctx) typically fetch a transaction carried in the context.
func (sc *scope) txLikeReceiver(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	found := false
	ast.Inspect(sel.X, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.Ident:
			if obj := sc.pass.TypesInfo.ObjectOf(n); obj != nil && isTxLike(obj.Type()) {
				found = true
			}
		case *ast.CallExpr:
			if arg, _ := sc.ctxArg(n); arg != nil {
				found = true
			}
		}
		return true
	})
	return found
}

// txLikeArg reports whether call is given a transaction or batch value.
func (sc *scope) txLikeArg(call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		if tv, ok := sc.pass.TypesInfo.Types[arg]; ok && isTxLike(tv.Type) {
			return true
		}
	}
	return false
}

// inTransaction reports whether fn runs, or may run, inside a
// transaction: it takes a transaction or batch parameter, is a literal
// passed to a transaction helper (db.Transaction(func(tx) error),
// pgx.BeginFunc, crdb.ExecuteTx, RunInTx), or its body begins or
// mentions a transaction. We err on the side of false negatives.
func (sc *scope) inTransaction(fn *function) bool {
	if fn.caller != nil && sc.isTxCall(fn.caller) {
		return true
	}
	if fn.typ.Params == nil {
		return false // malformed function type.
	}
	for _, f := range fn.typ.Params.List {
		if tv, ok := sc.pass.TypesInfo.Types[f.Type]; ok && isTxLike(tv.Type) {
			return true
		}
	}
	found := false
	inspectBody(fn.body, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sc.isTxCall(n) {
				found = true
			}
		case *ast.Ident:
			if obj := sc.pass.TypesInfo.ObjectOf(n); obj != nil {
				if _, isVar := obj.(*types.Var); isVar && isTxLike(obj.Type()) {
					found = true
				}
			}
		}
	})
	return found
}

// txWords, among the words of a callee's name, mark a call that begins,
// runs or passes on a transaction.
var txWords = []string{"begin", "tx", "txn", "transaction", "transactional", "transact", "atomic", "atomically", "batch", "unit"}

// isTxCall reports whether call begins or runs a transaction, judging
// by its callee's name: BeginTx, WithTx, RunInTransaction, ExecuteTx.
func (sc *scope) isTxCall(call *ast.CallExpr) bool {
	fn := sc.callee(call)
	if fn == nil {
		return false
	}
	for _, w := range mutation.Words(fn.Name()) {
		if slices.Contains(txWords, w) {
			return true
		}
	}
	return false
}

// isTxLike reports whether t is a transaction or batch type: its name
// (behind pointers) is Tx or ends in Tx or Txn, or it contains
// Transaction, Batch, Pipeline or Pipeliner. sql.Tx, pgx.Tx, sqlx.Tx,
// bun.Tx, ent.Tx, spanner.ReadWriteTransaction, pgx.Batch,
// firestore.WriteBatch, go-redis's Pipeliner: commands queued on a
// pipeline run together at Exec, so no cancellation falls between them
// (go-workflows v1.2.0, addWorkflowInstanceEventP).
func isTxLike(t types.Type) bool {
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	for _, w := range mutation.Words(named.Obj().Name()) {
		switch w {
		case "tx", "txn", "transaction", "batch", "pipeline", "pipeliner":
			return true
		}
	}
	return false
}

func isContext(t types.Type) bool {
	return t != nil && code.IsNamedType(t, "context", "Context")
}

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

func returnsContext(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return false
	}
	for v := range sig.Results().Variables() {
		if isContext(v.Type()) {
			return true
		}
	}
	return false
}

// inspectBody calls visit for every node of body, not descending into
// function literals (each is analysed as a function of its own).
func inspectBody(body ast.Node, visit func(ast.Node)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok && n != body {
			return false
		}
		visit(n)
		return true
	})
}

// callsIn returns the calls evaluated by nodes, outside function
// literals, outermost first.
func callsIn(nodes ...ast.Node) []*ast.CallExpr {
	var calls []*ast.CallExpr
	for _, n := range nodes {
		if n == nil {
			continue
		}
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				calls = append(calls, n)
			}
			return true
		})
	}
	return calls
}

// walkLists calls visit for every statement list of body, outside
// function literals, with the statements that always run before the
// list starts: those before it in each enclosing list, and the
// enclosing statements themselves (whose init and condition ran).
// prior is valid during the call only.
func walkLists(body *ast.BlockStmt, visit func(list []ast.Stmt, prior stmtPath)) {
	var path stmtPath
	var walk func(list []ast.Stmt)
	walk = func(list []ast.Stmt) {
		visit(list, path)
		for i, stmt := range list {
			inner := innerLists(stmt)
			if len(inner) == 0 {
				continue
			}
			path = append(path, list[:i+1])
			for _, in := range inner {
				walk(in)
			}
			path = path[:len(path)-1]
		}
	}
	walk(body.List)
}

// A stmtPath is the statements that always run before a statement list,
// as the prefixes of its enclosing lists, outermost first, each ending
// with the statement that encloses the next. Sharing the lists instead
// of copying them keeps walkLists linear in a function of 50,000
// statements.
type stmtPath [][]ast.Stmt

// all yields the statements of p in order.
func (p stmtPath) all() iter.Seq[ast.Stmt] {
	return func(yield func(ast.Stmt) bool) {
		for _, l := range p {
			for _, stmt := range l {
				if !yield(stmt) {
					return
				}
			}
		}
	}
}

// stmts returns the statements of p followed by more, in a new slice.
func (p stmtPath) stmts(more ...ast.Stmt) []ast.Stmt {
	n := len(more)
	for _, l := range p {
		n += len(l)
	}
	all := make([]ast.Stmt, 0, n)
	for _, l := range p {
		all = append(all, l...)
	}
	return append(all, more...)
}

// updatesBefore reports whether one of stmts always makes an update with
// the cancellable context root.
func (sc *scope) updatesBefore(stmts []ast.Stmt, root types.Object) bool {
	for i, stmt := range stmts {
		for _, u := range sc.updatesIn(stmt, i) {
			if u.root == root {
				return true
			}
		}
	}
	return false
}
