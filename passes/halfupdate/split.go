package halfupdate

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"strconv"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/mutation"
)

// An update is a mutating call that takes a cancellable context, found
// among the calls a statement always evaluates.
type update struct {
	call *ast.CallExpr
	ctx  ast.Expr     // the context argument
	root types.Object // its cancellable root
	stmt int          // index of the statement in its list
	// observes: the callee may fail because ctx is cancelled; only
	// such an update can be the second half cut off by cancellation.
	observes bool
}

// checkSplitWrites reports the second of two updates in one statement
// list that take the same cancellable context, where the first one's
// failure aborts the function (so the second depends on it) and the
// second's error is not dropped (so it matters).
func checkSplitWrites(sc *scope, fn *function) {
	if sc.inTransaction(fn) {
		return // both updates may be in one transaction; we cannot tell.
	}
	if sc.hasDeferredUpdate(fn) {
		return // a deferred compensation restores the first update (if its context is live, checkCleanups says).
	}
	for _, list := range stmtLists(fn.body) {
		var first *update // the last update whose failure aborts
		for i, stmt := range list {
			for _, u := range sc.updatesIn(stmt, i) {
				if first != nil && u.observes && first.root == u.root && usesResult(list[i], u.call) && !sameCall(first.call, u.call) &&
					!bothUndo(sc, first.call, u.call) && !compensatesOnError(sc, list, i, u.call) &&
					!succeedsBetween(sc, list[first.stmt+1:i]) && !sc.rederived(first.call, u.call) &&
					!sc.oneExchange(first.call, u.call) {
					reportSplit(sc, first, &u)
					first = nil
				}
				if abortsOnError(sc, list, i, u.call) && !sc.idempotent(u.call) {
					first = &u
				}
			}
		}
	}
}

// updatesIn returns the updates stmt always evaluates.
func (sc *scope) updatesIn(stmt ast.Stmt, i int) []update {
	var us []update
	for _, call := range callsIn(unconditional(stmt)...) {
		fn := sc.callee(call)
		if !mutation.IsUpdate(fn) || buildsRequest(fn) || sc.txLikeReceiver(call) || isLevelTriggered(fn) {
			continue // not an update, in a transaction, or retried by design.
		}
		arg, root := sc.ctxArg(call)
		if root == nil {
			continue // no context, or one detached on purpose.
		}
		us = append(us, update{call: call, ctx: arg, root: root, stmt: i, observes: sc.detach.Observes(fn)})
	}
	return us
}

// buildsRequest reports whether fn builds a request rather than sends
// one: its name ends in Request and it returns a request type first, as
// temporal's createStartWorkflowRequest returns a
// *workflowservice.StartWorkflowExecutionRequest (go.temporal.io/sdk
// v1.50.0). Sending it is the update; building it changes nothing.
func buildsRequest(fn *types.Func) bool {
	if !isRequestWord(lastWord(fn.Name())) {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() == 0 {
		return false
	}
	t := sig.Results().At(0).Type()
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && isRequestWord(lastWord(named.Obj().Name()))
}

func isRequestWord(w string) bool { return w == "request" || w == "req" }

func lastWord(name string) string {
	words := mutation.Words(name)
	if len(words) == 0 {
		return ""
	}
	return words[len(words)-1]
}

// isLevelTriggered reports whether fn belongs to a client whose writes
// converge when the caller runs again (knowledge.LevelTriggered): the
// idempotent retry this check must not report.
func isLevelTriggered(fn *types.Func) bool {
	return fn.Pkg() != nil && knowledge.LevelTriggered(fn.Pkg().Path())
}

// succeedsBetween reports whether one of stmts may return success: a
// bare return, or one whose last result is nil. Then the function itself
// can end with the first update alone, so that state is a valid one and
// a cancellation there leaves nothing the code does not already produce
// (step-ca v0.30.2, (*Order).Finalize: UpdateStatus, then `case
// StatusValid: return nil`, then CreateCertificate).
func succeedsBetween(sc *scope, stmts []ast.Stmt) bool {
	found := false
	for _, stmt := range stmts {
		inspectBody(stmt, func(n ast.Node) {
			r, ok := n.(*ast.ReturnStmt)
			if !ok {
				return
			}
			if len(r.Results) == 0 || isNil(sc, ast.Unparen(r.Results[len(r.Results)-1])) {
				found = true
			}
		})
	}
	return found
}

// idempotent reports whether call is an update that is idempotent by
// construction, so that running the function again after a
// cancellation completes the work instead of failing on it: a query
// built with IfNotExists or IfExists (bun, go-pg), or a statement whose
// text (a constant, or the literals it is built from, as with
// fmt.Sprintf) says IF [NOT] EXISTS or is an upsert (ON CONFLICT,
// INSERT IGNORE, ON DUPLICATE KEY UPDATE). Such an update is no first
// half (bun v1.3.0, (*migrate.Migrator).Init and Reset,
// (*DB).ResetModel; centrifugo v6.9.1, reconcileShardLock).
func (sc *scope) idempotent(call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		if tv, ok := sc.pass.TypesInfo.Types[arg]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			if idempotentSQL.MatchString(constant.StringVal(tv.Value)) {
				return true
			}
			continue
		}
		found := false
		ast.Inspect(arg, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					if s, err := strconv.Unquote(n.Value); err == nil && idempotentSQL.MatchString(s) {
						found = true
					}
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	for cur := call; ; {
		sel, ok := ast.Unparen(cur.Fun).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		inner, ok := ast.Unparen(sel.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		if fn := sc.callee(inner); fn != nil && (fn.Name() == "IfNotExists" || fn.Name() == "IfExists") {
			return true
		}
		cur = inner
	}
}

// idempotentSQL matches the SQL clauses that make a statement
// idempotent: IF [NOT] EXISTS in DDL, and upserts.
var idempotentSQL = regexp.MustCompile(`(?i)\bif\s+(not\s+)?exists\b|\bon\s+conflict\b|\binsert\s+ignore\b|\bon\s+duplicate\s+key\s+update\b`)

// bothUndo reports whether a and b both undo (delete, remove, cancel...):
// a run of deletes is cleanup, each idempotent, and one left undone is
// garbage, not a broken invariant (certmagic v0.25.6, deleteSiteAssets).
func bothUndo(sc *scope, a, b *ast.CallExpr) bool {
	return mutation.Classify(sc.callee(a)) == mutation.Compensation && mutation.Classify(sc.callee(b)) == mutation.Compensation
}

// hasDeferredUpdate reports whether fn defers an update: a compensation
// such as `defer func() { if err != nil { undo(...) } }()`.
func (sc *scope) hasDeferredUpdate(fn *function) bool {
	found := false
	inspectBody(fn.body, func(n ast.Node) {
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return
		}
		ast.Inspect(d.Call, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && mutation.IsUpdate(sc.callee(call)) {
				found = true
			}
			return !found
		})
	})
	return found
}

// compensatesOnError reports whether the error path of call (evaluated
// by list[i]) runs a compensation: the author handles the half update.
func compensatesOnError(sc *scope, list []ast.Stmt, i int, call *ast.CallExpr) bool {
	body := errorPath(sc, list, i, call)
	if body == nil {
		return false
	}
	found := false
	inspectBody(body, func(n ast.Node) {
		if c, ok := n.(*ast.CallExpr); ok && mutation.IsCompensation(sc.callee(c)) {
			found = true
		}
	})
	return found
}

// unconditional returns the parts of stmt that are evaluated whenever
// stmt is: not branch bodies, not deferred or spawned calls.
func unconditional(stmt ast.Stmt) []ast.Node {
	switch s := stmt.(type) {
	case *ast.ExprStmt:
		return []ast.Node{s.X}
	case *ast.AssignStmt:
		return exprNodes(s.Rhs)
	case *ast.DeclStmt:
		return []ast.Node{s.Decl}
	case *ast.ReturnStmt:
		return exprNodes(s.Results)
	case *ast.IfStmt:
		nodes := []ast.Node{s.Cond}
		if s.Init != nil {
			nodes = append(nodes, unconditional(s.Init)...)
		}
		return nodes
	case *ast.SwitchStmt:
		var nodes []ast.Node
		if s.Init != nil {
			nodes = append(nodes, unconditional(s.Init)...)
		}
		if s.Tag != nil {
			nodes = append(nodes, s.Tag)
		}
		return nodes
	}
	return nil
}

func exprNodes(es []ast.Expr) []ast.Node {
	nodes := make([]ast.Node, len(es))
	for i, e := range es {
		nodes[i] = e
	}
	return nodes
}

// abortsOnError reports whether the error of call, evaluated by
// list[i], makes the function return: `if err := call; err != nil {
// return ... }`, or `err := call` followed by such an if.
func abortsOnError(sc *scope, list []ast.Stmt, i int, call *ast.CallExpr) bool {
	body := errorPath(sc, list, i, call)
	return body != nil && terminates(body)
}

// errorPath returns the body of the `if err != nil` that checks the
// error of call, evaluated by list[i]: `if err := call; err != nil {...}`,
// or `err := call` followed by `if err != nil {...}`.
func errorPath(sc *scope, list []ast.Stmt, i int, call *ast.CallExpr) *ast.BlockStmt {
	if ifs, ok := list[i].(*ast.IfStmt); ok && ifs.Init != nil {
		if errv := errAssigned(sc, ifs.Init, call); errv != nil && isErrCheck(sc, ifs.Cond, errv) {
			return ifs.Body
		}
		return nil
	}
	errv := errAssigned(sc, list[i], call)
	if errv == nil || i+1 >= len(list) {
		return nil
	}
	if ifs, ok := list[i+1].(*ast.IfStmt); ok && ifs.Init == nil && isErrCheck(sc, ifs.Cond, errv) {
		return ifs.Body
	}
	return nil
}

// errAssigned returns the error variable stmt assigns from call, if
// stmt is `..., err := call` or `..., err = call`.
func errAssigned(sc *scope, stmt ast.Stmt, call *ast.CallExpr) types.Object {
	as, ok := stmt.(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || unwrapErr(as.Rhs[0]) != call {
		return nil
	}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
			if obj := sc.pass.TypesInfo.ObjectOf(id); obj != nil && isError(obj.Type()) {
				return obj
			}
		}
	}
	return nil
}

// isErrCheck reports whether cond is `errv != nil`, or
// errors.Is(errv, context.Canceled) (or DeadlineExceeded).
func isErrCheck(sc *scope, cond ast.Expr, errv types.Object) bool {
	if call, ok := ast.Unparen(cond).(*ast.CallExpr); ok && code.IsCallTo(sc.pass.TypesInfo, call, "errors.Is") && len(call.Args) == 2 {
		id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
		target := types.ExprString(call.Args[1])
		return ok && sc.pass.TypesInfo.ObjectOf(id) == errv && (target == "context.Canceled" || target == "context.DeadlineExceeded")
	}
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || bin.Op != token.NEQ {
		return false
	}
	x, y := ast.Unparen(bin.X), ast.Unparen(bin.Y)
	if isNil(sc, x) {
		x, y = y, x
	}
	id, ok := x.(*ast.Ident)
	return ok && isNil(sc, y) && sc.pass.TypesInfo.ObjectOf(id) == errv
}

func isNil(sc *scope, e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := sc.pass.TypesInfo.ObjectOf(id).(*types.Nil)
	return isNil
}

// terminates reports whether block ends by leaving the function.
func terminates(block *ast.BlockStmt) bool {
	if len(block.List) == 0 {
		return false
	}
	switch s := block.List[len(block.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := call.Fun.(*ast.Ident)
		return ok && id.Name == "panic"
	}
	return false
}

// usesResult reports whether stmt keeps the result of call: a call
// whose error is dropped (a bare statement, or `_ =`) is best effort,
// an update nothing depends on.
func usesResult(stmt ast.Stmt, call *ast.CallExpr) bool {
	switch s := stmt.(type) {
	case *ast.ExprStmt:
		return unwrapErr(s.X) != call
	case *ast.AssignStmt:
		for _, l := range s.Lhs {
			if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
				return true
			}
		}
		return false
	case *ast.IfStmt:
		if s.Init != nil {
			return usesResult(s.Init, call)
		}
	}
	return true
}

// unwrapErr returns the call whose result e is: the call itself, or X
// in X.Err() (go-redis: rdb.Set(ctx, k, v, 0).Err()).
func unwrapErr(e ast.Expr) ast.Expr {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 0 {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Err" {
			if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
				return inner
			}
		}
	}
	return e
}

// sameCall reports whether a and b are the same call with the same
// arguments: a retry, which is idempotent if anything is.
func sameCall(a, b *ast.CallExpr) bool {
	return types.ExprString(a) == types.ExprString(b)
}

func reportSplit(sc *scope, first, second *update) {
	n1, n2 := callName(first.call), callName(second.call)
	if n1 == n2 {
		n1 = "the earlier " + n1
	}
	ctx := types.ExprString(second.ctx)
	sc.pass.Report(analysis.Diagnostic{
		Category: "split",
		Pos:      second.call.Pos(), End: second.call.End(),
		Message: n2 + " can be cancelled after " + n1 + " succeeded: the update is half applied when " + ctx +
			" is cancelled between them; do both in one transaction, pass context.WithoutCancel(" + ctx +
			") to the completing step, or record it in an outbox",
		Related: []analysis.RelatedInformation{{Pos: first.call.Pos(), End: first.call.End(), Message: n1 + " succeeded here"}},
	})
}

// callName is how messages name the function a call invokes: the text
// of the called expression ("s.ledger.Credit"), shortened to the
// function's own name when long.
func callName(call *ast.CallExpr) string {
	fun := ast.Unparen(call.Fun)
	if ix, ok := fun.(*ast.IndexExpr); ok {
		fun = ix.X
	}
	name := types.ExprString(fun)
	if len(name) > 40 {
		if sel, ok := fun.(*ast.SelectorExpr); ok {
			return sel.Sel.Name
		}
	}
	return name
}

// stmtLists returns every statement list of body (blocks and case
// bodies), outside function literals.
func stmtLists(body *ast.BlockStmt) [][]ast.Stmt {
	var lists [][]ast.Stmt
	code.ForEachStmtList(body, func(list []ast.Stmt, _ token.Pos) { lists = append(lists, list) })
	return lists
}

// rederived reports whether the pair first, second is a copy and then the
// delete of its source, both derived from one read of that source made
// earlier with a context (a listing, a Get): when a cancellation falls
// between them the source still holds the item, so the next run reads it
// again and redoes both. The pair is re-derived from state, not a
// dependent update the function alone must complete.
//
//	items, err := live.List(ctx, "expired/")
//	for _, it := range items {
//		archive.Put(ctx, it.Key, it.Data) // copy
//		live.Delete(ctx, it.Key)          // the next pass lists it again
//	}
//
// A delete of a key the caller passed (Move(ctx, key)) is not: nothing
// here reads it again.
func (sc *scope) rederived(first, second *ast.CallExpr) bool {
	if mutation.Classify(sc.callee(first)) != mutation.Update || mutation.Classify(sc.callee(second)) != mutation.Compensation {
		return false
	}
	from := sc.readsBehind(second)
	if len(from) == 0 {
		return false
	}
	for r := range sc.readsBehind(first) {
		if from[r] {
			return true
		}
	}
	return false
}

// readsBehind returns the reads that every non-context argument of call
// is derived from, when each is derived from at least one: calls that
// take a cancellable context and change nothing (List, Get, Scan), found
// through the local variables, range loops and expressions the argument
// is computed from.
func (sc *scope) readsBehind(call *ast.CallExpr) map[*ast.CallExpr]bool {
	all := make(map[*ast.CallExpr]bool)
	for _, arg := range call.Args {
		if tv, ok := sc.pass.TypesInfo.Types[arg]; ok && (isContext(tv.Type) || tv.Value != nil) {
			continue // the context, or a constant
		}
		reads := make(map[*ast.CallExpr]bool)
		sc.collectReads(arg, reads, make(map[types.Object]bool), 4)
		if len(reads) == 0 {
			return nil // an argument from elsewhere (a parameter): not re-derived.
		}
		for r := range reads {
			all[r] = true
		}
	}
	return all
}

// collectReads adds to reads the read calls that e is computed from.
func (sc *scope) collectReads(e ast.Expr, reads map[*ast.CallExpr]bool, seen map[types.Object]bool, depth int) {
	if depth == 0 {
		return
	}
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if _, root := sc.ctxArg(n); root != nil && mutation.Classify(sc.callee(n)) == mutation.None {
				reads[n] = true
				return false
			}
		case *ast.Ident:
			obj, ok := sc.pass.TypesInfo.Uses[n].(*types.Var)
			if !ok || seen[obj] || obj.IsField() {
				return true
			}
			seen[obj] = true
			for _, a := range sc.assigns[obj] {
				sc.collectReads(a.rhs, reads, seen, depth-1)
			}
		}
		return true
	})
}

// oneExchange reports whether first and second are called on the same
// connection or stream: steps of one protocol exchange (a request and its
// flow control, PUBLISH then PUBREL, a handshake's messages) are messages
// of one session, not durable state. When a cancellation cuts the
// exchange, the session is torn down and the peer discards or resumes
// it; nothing is left half written. A write to a database and then to a
// connection, or to two connections, is still two updates.
func (sc *scope) oneExchange(first, second *ast.CallExpr) bool {
	a, ok1 := ast.Unparen(first.Fun).(*ast.SelectorExpr)
	b, ok2 := ast.Unparen(second.Fun).(*ast.SelectorExpr)
	if !ok1 || !ok2 || types.ExprString(a.X) != types.ExprString(b.X) {
		return false
	}
	ra, rb := code.RootIdent(a.X), code.RootIdent(b.X)
	if ra == nil || rb == nil || sc.pass.TypesInfo.Uses[ra] != sc.pass.TypesInfo.Uses[rb] {
		return false
	}
	tv, ok := sc.pass.TypesInfo.Types[a.X]
	return ok && isStream(tv.Type)
}

// isStream reports whether t is a connection or stream: it has a method
// that writes or sends, and one that reads or receives the next message
// without being told which, taking at most a context and a buffer
// (net.Conn's Read(p), a gRPC stream's Recv(), a websocket's
// ReadMessage() or Read(ctx)). A storage client whose reads take a key
// (ReadObject(ctx, key)) addresses durable state and is not one.
func isStream(t types.Type) bool {
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && !types.IsInterface(t) {
		t = types.NewPointer(t)
	}
	mset := types.NewMethodSet(t)
	reads, writes := false, false
	for i := range mset.Len() {
		fn, ok := mset.At(i).Obj().(*types.Func)
		if !ok {
			continue
		}
		switch mutation.Verb(fn.Name()) {
		case "write", "send":
			writes = true
		case "read", "recv", "receive":
			reads = reads || readsNext(fn)
		}
	}
	return reads && writes
}

// readsNext reports whether fn returns something and takes nothing but
// contexts and byte buffers: it reads whatever comes next.
func readsNext(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() < 2 {
		return false
	}
	for v := range sig.Params().Variables() {
		if isContext(v.Type()) {
			continue
		}
		if sl, ok := v.Type().Underlying().(*types.Slice); ok && types.Identical(sl.Elem(), types.Typ[types.Byte]) {
			continue
		}
		return false
	}
	return true
}
