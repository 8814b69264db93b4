package loopblock

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// A contextKind says what kind of event context a range of code is.
type contextKind uint8

const (
	handlerContext  contextKind = iota // an HTTP handler's body
	loopContext                        // a case body of a for-select event loop
	dispatchContext                    // the body of a for-range-over-channel dispatch loop
	workerContext                      // the work case of a for-select loop that stops on ctx.Done()
)

// An eventContext is a range of a function body that serves many events
// or requests, so that blocking there stalls them.
type eventContext struct {
	kind     contextKind
	pos, end token.Pos
	name     string // "HTTP handler Server.handleProxy", "the for-select loop in Hub.run"
	// bounded, when set, reports whether an operation in the context
	// that can block is bounded there after all: a loop's wait in a
	// select that serves the loop's events too, an operation on the
	// loop's exit path (see exitPath), a request/reply exchange (see
	// requestReply), a send to a serving loop (see servedInContext), a
	// sleep with a bound (see pauses).
	bounded func(op blocking.Op) bool
}

// eventContexts returns the event contexts of fn's own body, innermost
// last: the whole body for an HTTP handler, then the loops.
func eventContexts(pass *analysis.Pass, fn *function) []eventContext {
	if testHelper(pass, fn) {
		return nil // a test waits on purpose (alertmanager's notify/test).
	}
	var ecs []eventContext
	if isHandler(fn.sig) {
		name := "HTTP handler " + fn.name
		switch {
		case fn.handlerFor != "":
			name = "the HTTP handler for " + fn.handlerFor
		case fn.lit:
			name = strings.Replace(fn.name, "a func literal", "the HTTP handler literal", 1)
		}
		ecs = append(ecs, eventContext{handlerContext, fn.body.Pos(), hijackPos(pass, fn.body), name, nil})
	}
	ast.Inspect(fn.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a function of its own.
		case *ast.ForStmt:
			ecs = append(ecs, selectLoop(pass, fn, n, n.Body)...)
		case *ast.RangeStmt:
			if ec, ok := dispatchLoop(pass, fn, n); ok {
				ecs = append(ecs, ec)
			} else {
				ecs = append(ecs, selectLoop(pass, fn, n, n.Body)...)
			}
		}
		return true
	})
	if len(ecs) == 0 {
		return nil
	}
	reply := requestReply(pass, fn)
	exchange := func(op blocking.Op) bool { return reply(op) || servedInContext(pass, fn, op) }
	for i := range ecs {
		loop, from := ecs[i].bounded, ecs[i].pos
		ecs[i].bounded = func(op blocking.Op) bool {
			return loop != nil && loop(op) || exchange(op) || pauses(pass, fn, op, from)
		}
	}
	return ecs
}

// pauses reports whether op is a sleep with a bound, or a call of a
// function whose only blocking is such sleeps, that runs a bounded number
// of times each time the stretch of fn's body from from runs: the events
// behind it wait for a pause, not without bound (a capped back-off, a
// retry loop with a constant count).
func pauses(pass *analysis.Pass, fn *function, op blocking.Op, from token.Pos) bool {
	_, ok := blocking.SleepBound(pass.TypesInfo, fn.body, op, from)
	return ok
}

// testHelper reports whether fn is test code outside a _test.go file: a
// function that takes a *testing.T, *testing.B, *testing.F or
// testing.TB, a literal inside one, or a handler literal given to an
// httptest server (alertmanager's notify/test.GetContextWithCancelingURL
// blocks its handler until the test's cleanup closes a channel). Whether
// the package imports "testing" elsewhere says nothing: raft's main
// package does, for its test cluster helpers.
func testHelper(pass *analysis.Pass, fn *function) bool {
	for enc, ft := range enclosingFuncs(pass, fn) {
		if _, lit := enc.Node().(*ast.FuncLit); lit && servedByHTTPTest(pass, enc) {
			return true
		}
		for _, field := range ft.Params.List {
			if isTestingType(pass.TypesInfo.TypeOf(field.Type)) {
				return true
			}
		}
	}
	return false
}

// enclosingFuncs yields the function whose body fn is and the functions
// around it, innermost first, each with its type.
func enclosingFuncs(pass *analysis.Pass, fn *function) iter.Seq2[inspector.Cursor, *ast.FuncType] {
	return func(yield func(inspector.Cursor, *ast.FuncType) bool) {
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		cur, ok := in.Root().FindByPos(fn.body.Pos(), fn.body.End())
		if !ok {
			return
		}
		for enc := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			var ft *ast.FuncType
			switch n := enc.Node().(type) {
			case *ast.FuncDecl:
				ft = n.Type
			case *ast.FuncLit:
				ft = n.Type
			}
			if !yield(enc, ft) {
				return
			}
		}
	}
}

// isTestingType reports whether t is *testing.T, *testing.B, *testing.F
// or testing.TB.
func isTestingType(t types.Type) bool {
	if t == nil {
		return false
	}
	if code.IsNamedType(t, "testing", "TB") {
		return true
	}
	for _, name := range []string{"T", "B", "F"} {
		if isPointerTo(t, "testing", name) {
			return true
		}
	}
	return false
}

// servedByHTTPTest reports whether the func literal at cur is given to
// httptest.NewServer, NewTLSServer or NewUnstartedServer, directly or
// converted to an http.HandlerFunc.
func servedByHTTPTest(pass *analysis.Pass, cur inspector.Cursor) bool {
	for range 2 {
		cur = cur.Parent()
		call, ok := cur.Node().(*ast.CallExpr)
		if !ok {
			return false
		}
		if code.IsCallTo(pass.TypesInfo, call, "net/http/httptest.NewServer",
			"net/http/httptest.NewTLSServer", "net/http/httptest.NewUnstartedServer") {
			return true
		}
	}
	return false
}

// isHandler reports whether sig has the shape of an HTTP handler: it
// takes an http.ResponseWriter and an *http.Request. That covers ServeHTTP
// methods, literals passed to HandleFunc, functions registered on a mux
// and the helpers a handler hands its request to (serveWs(hub, w, r) in
// gorilla/websocket's chat example).
func isHandler(sig *types.Signature) bool {
	writer, request := false, false
	for v := range sig.Params().Variables() {
		writer = writer || code.IsNamedType(v.Type(), "net/http", "ResponseWriter")
		request = request || isPointerTo(v.Type(), "net/http", "Request")
	}
	return writer && request
}

// hijackPos returns where a handler body takes over its connection (a
// call of a Hijack method or of a function whose name says it hijacks,
// or a call given the ResponseWriter whose name says it upgrades, or
// Accept, as websocket libraries and caddy's reverse proxy have), or the
// body's end. From there on the handler is the
// connection's goroutine (a tunnel, a websocket) and waiting is its job
// (goproxy's ProxyHttpServer.handleHttps waits for both copy goroutines,
// caddy's Handler.finalizeResponse for handleUpgradeResponse's).
func hijackPos(pass *analysis.Pass, body *ast.BlockStmt) token.Pos {
	pos := body.End()
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || pos != body.End() {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if !ok {
			return true
		}
		name := fn.Name()
		if strings.Contains(name, "ijack") ||
			(strings.Contains(name, "pgrade") || name == "Accept") && passesWriter(pass, call) {
			pos = call.Pos()
		}
		return true
	})
	return pos
}

// passesWriter reports whether call has an http.ResponseWriter argument.
func passesWriter(pass *analysis.Pass, call *ast.CallExpr) bool {
	for _, arg := range call.Args {
		if code.IsNamedType(pass.TypesInfo.TypeOf(arg), "net/http", "ResponseWriter") {
			return true
		}
	}
	return false
}

func isPointerTo(t types.Type, pkgPath, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && code.IsNamedType(p.Elem(), pkgPath, name)
}

// selectLoop returns the case bodies of the select that body (the body
// of loop) runs, when that select multiplexes events: at least two of its
// cases wait for work or time rather than for shutdown. A loop with one
// work case and a quit case is a worker, whose blocking is its own
// business, except where it declares that it stops on a context (a case
// <-ctx.Done() that leaves the loop): its I/O that cannot see that
// context holds up the shutdown (workerContext).
func selectLoop(pass *analysis.Pass, fn *function, loop ast.Stmt, body *ast.BlockStmt) []eventContext {
	sel := loopSelect(body)
	if sel == nil {
		return nil
	}
	events := 0
	for _, stmt := range sel.Body.List {
		cc, ok := stmt.(*ast.CommClause)
		if !ok {
			continue
		}
		switch blocking.ClassifyCase(pass.TypesInfo, cc) {
		case blocking.CaseWork, blocking.CaseTimer:
			if !exits(cc.Body) {
				events++
			}
		}
	}
	kind, name := loopContext, "the for-select loop in "+fn.name
	if events < 2 {
		ctx := stopsOnContext(pass, sel)
		if events == 0 || ctx == "" {
			return nil
		}
		kind, name = workerContext, "the worker loop in "+fn.name+", which stops on "+ctx+".Done()"
	}
	var ecs []eventContext
	served := loopChannels(pass, sel)
	exit := exitPath(pass, fn, loop)
	serving := func(op blocking.Op) bool { return servesLoop(pass, op, served) || exit(op) }
	for _, stmt := range sel.Body.List {
		// A case that leaves the loop is its shutdown path, not an
		// event it serves (paho's output redirector drains its acks on
		// stop).
		if cc, ok := stmt.(*ast.CommClause); ok && len(cc.Body) > 0 && !exits(cc.Body) {
			ecs = append(ecs, eventContext{kind, cc.Colon, cc.End(), name, serving})
		}
	}
	return ecs
}

// stopsOnContext returns the context (as written) whose Done() a case of
// sel receives from to leave the loop, or "": a worker that declares it
// stops on that context.
func stopsOnContext(pass *analysis.Pass, sel *ast.SelectStmt) string {
	for _, stmt := range sel.Body.List {
		cc, ok := stmt.(*ast.CommClause)
		if !ok || !exits(cc.Body) {
			continue
		}
		call, ok := ast.Unparen(code.CommRecv(cc.Comm)).(*ast.CallExpr)
		if !ok {
			continue
		}
		if s, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && s.Sel.Name == "Done" && code.IsNamedType(pass.TypesInfo.TypeOf(s.X), "context", "Context") {
			return types.ExprString(s.X)
		}
	}
	return ""
}

// loopSelect returns the select statement that a loop body runs at its
// top level.
func loopSelect(body *ast.BlockStmt) *ast.SelectStmt {
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

// exits reports whether a case body leaves the loop: it ends in a return,
// a labelled break or a goto.
func exits(body []ast.Stmt) bool {
	if len(body) == 0 {
		return false
	}
	switch last := body[len(body)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return last.Tok == token.GOTO || last.Tok == token.BREAK && last.Label != nil
	}
	return false
}

// dispatchLoop reports whether loop ranges over a channel and dispatches
// what it receives: its body switches on the received value. A loop that
// treats every value alike is a worker draining its queue.
func dispatchLoop(pass *analysis.Pass, fn *function, loop *ast.RangeStmt) (eventContext, bool) {
	ch, ok := types.Unalias(pass.TypesInfo.TypeOf(loop.X)).Underlying().(*types.Chan)
	if !ok || code.IsNamedType(ch.Elem(), "os", "Signal") {
		return eventContext{}, false // a signal loop serves no one but the process (caddy's trapSignalsPosix).
	}
	id, ok := loop.Key.(*ast.Ident)
	if !ok {
		return eventContext{}, false
	}
	v := pass.TypesInfo.ObjectOf(id)
	if v == nil {
		return eventContext{}, false
	}
	found := false
	ast.Inspect(loop.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		var tag ast.Node
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SwitchStmt:
			tag = n.Tag
		case *ast.TypeSwitchStmt:
			tag = n.Assign
		}
		if tag != nil && mentions(pass, tag, v) {
			found = true
		}
		return true
	})
	if !found {
		return eventContext{}, false
	}
	return eventContext{dispatchContext, loop.Body.Pos(), loop.Body.End(),
		"the dispatch loop over " + types.ExprString(loop.X) + " in " + fn.name, nil}, true
}

// mentions reports whether n uses the object v.
func mentions(pass *analysis.Pass, n ast.Node, v types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// contextAt returns the innermost event context that holds op. Reads and
// writes on connections count only in select loops: an HTTP handler that
// reads a hijacked connection is that connection's goroutine.
func contextAt(ecs []eventContext, op blocking.Op) (eventContext, bool) {
	for i := len(ecs) - 1; i >= 0; i-- {
		ec := ecs[i]
		if op.Pos() < ec.pos || op.Pos() >= ec.end {
			continue
		}
		if op.Kind == blocking.KindConn && ec.kind != loopContext {
			continue
		}
		if op.Callee != nil && ec.kind == handlerContext && isHandler(op.Callee.Signature()) {
			continue // the callee is a handler too and reports for itself.
		}
		if ec.bounded != nil && ec.bounded(op) {
			return eventContext{}, false // bounded after all: see eventContext.bounded.
		}
		return ec, true
	}
	return eventContext{}, false
}

// loopChannels returns the variables and fields that the work cases of
// a loop's select receive from.
func loopChannels(pass *analysis.Pass, sel *ast.SelectStmt) map[types.Object]bool {
	chans := make(map[types.Object]bool)
	for _, stmt := range sel.Body.List {
		if cc, ok := stmt.(*ast.CommClause); ok && blocking.ClassifyCase(pass.TypesInfo, cc) == blocking.CaseWork {
			if obj := recvObject(pass, cc.Comm); obj != nil {
				chans[obj] = true
			}
		}
	}
	return chans
}

// recvObject returns the variable or field that a select comm receives
// from, nil for sends, the default case and channels returned by calls.
func recvObject(pass *analysis.Pass, comm ast.Stmt) types.Object {
	switch x := ast.Unparen(code.CommRecv(comm)).(type) {
	case *ast.Ident:
		return pass.TypesInfo.Uses[x]
	case *ast.SelectorExpr:
		return pass.TypesInfo.Uses[x.Sel]
	}
	return nil
}

// servesLoop reports whether op, in a case body of a for-select loop
// that receives from events, waits in a select that receives from one
// of events too, directly or as the only wait of a function of this
// package that op calls: the loop's events are handled while it waits
// (river's producer.innerFetchLoop serves job results and cancellations
// while its fetch runs).
func servesLoop(pass *analysis.Pass, op blocking.Op, events map[types.Object]bool) bool {
	if len(events) == 0 {
		return false
	}
	if sel, ok := op.Node.(*ast.SelectStmt); ok && op.Callee == nil {
		return selectServes(pass, sel, events)
	}
	if op.Callee == nil || op.CalleeReason.Kind != blocking.KindSelect || op.CalleeReason.Via != "" {
		return false
	}
	res := report.HelperResult[*blocking.Result](pass, blocking.Analyzer)
	body := funcBody(pass, op.Callee)
	if body == nil {
		return false // another package: its selects are out of reach.
	}
	waits := 0
	for _, inner := range res.Ops(pass.TypesInfo, body) {
		if inner.Callee != nil && !inner.Kind.Transitive() {
			continue // does not make the callee block for its callers.
		}
		sel, ok := inner.Node.(*ast.SelectStmt)
		if !ok || inner.Callee != nil || !selectServes(pass, sel, events) {
			return false
		}
		waits++
	}
	return waits > 0
}

// selectServes reports whether sel has a case receiving from one of
// events.
func selectServes(pass *analysis.Pass, sel *ast.SelectStmt, events map[types.Object]bool) bool {
	for _, stmt := range sel.Body.List {
		if cc, ok := stmt.(*ast.CommClause); ok {
			if obj := recvObject(pass, cc.Comm); obj != nil && events[obj] {
				return true
			}
		}
	}
	return false
}

// funcBody returns the body of fn when it is declared in this package.
func funcBody(pass *analysis.Pass, fn *types.Func) *ast.BlockStmt {
	if d := report.HelperResult[*index.Index](pass, index.Analyzer).Decl(fn); d != nil {
		return d.Body
	}
	return nil
}

// requestReply returns a predicate that reports whether op is part of a
// request/reply exchange of fn's body: a send of a reply channel that fn
// makes and then receives from, on a channel fn is given (a parameter
// of fn or of a function around it), or the receive of the reply after
// such a send. The exchange is a synchronous call of a server that the
// caller wires in, out of reach like a call through a func value
// (alertmanager's httpserver.Register hands its /-/reload handler the
// main loop's reload channel); and once the request is taken, the
// reply waits only for the server's work. A request on a channel of
// the package, or made while a lock is held, is judged as any send.
func requestReply(pass *analysis.Pass, fn *function) func(op blocking.Op) bool {
	info := pass.TypesInfo
	replies := make(map[types.Object]token.Pos) // reply channel -> its first send
	requests := make(map[*ast.SendStmt]bool)
	made := make(map[types.Object]bool)
	received := make(map[types.Object]token.Pos) // reply channel -> its last receive
	ast.Inspect(fn.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if len(n.Lhs) == 1 && len(n.Rhs) == 1 && n.Tok == token.DEFINE && isMakeChan(info, n.Rhs[0]) {
				if id, ok := n.Lhs[0].(*ast.Ident); ok && info.Defs[id] != nil {
					made[info.Defs[id]] = true
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.ARROW {
				received[info.Uses[id]] = n.Pos()
			}
		}
		return true
	})
	given := givenChannels(pass, fn)
	ast.Inspect(fn.body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		send, ok := n.(*ast.SendStmt)
		if !ok {
			return true
		}
		id, ok := ast.Unparen(send.Value).(*ast.Ident)
		if !ok {
			return true
		}
		reply := info.Uses[id]
		if !made[reply] || received[reply] < send.End() {
			return true // not a reply channel that fn waits on afterwards.
		}
		if _, seen := replies[reply]; !seen {
			replies[reply] = send.Pos()
		}
		if ch, ok := ast.Unparen(send.Chan).(*ast.Ident); ok && given[info.Uses[ch]] {
			requests[send] = true
		}
		return true
	})
	if len(replies) == 0 {
		return func(blocking.Op) bool { return false }
	}
	return func(op blocking.Op) bool {
		if op.Callee != nil {
			return false
		}
		switch n := op.Node.(type) {
		case *ast.SendStmt:
			return requests[n]
		case *ast.UnaryExpr:
			id, ok := ast.Unparen(n.X).(*ast.Ident)
			if !ok {
				return false
			}
			pos, ok := replies[info.Uses[id]]
			return ok && pos < n.Pos()
		}
		return false
	}
}

// isMakeChan reports whether e is make(chan T) or make(chan T, n).
func isMakeChan(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if b, ok := info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); !ok || b.Name() != "make" {
		return false
	}
	_, ok = types.Unalias(info.TypeOf(call)).Underlying().(*types.Chan)
	return ok
}

// givenChannels returns the channel parameters of fn and of the
// functions around it.
func givenChannels(pass *analysis.Pass, fn *function) map[types.Object]bool {
	given := make(map[types.Object]bool)
	for _, ft := range enclosingFuncs(pass, fn) {
		for _, field := range ft.Params.List {
			for _, name := range field.Names {
				if v, ok := pass.TypesInfo.Defs[name].(*types.Var); ok {
					if _, isChan := v.Type().Underlying().(*types.Chan); isChan {
						given[v] = true
					}
				}
			}
		}
	}
	return given
}
