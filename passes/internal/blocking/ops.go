package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"
	"time"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/locks"
)

// An Op is one operation of a function body that can block without
// bound: a call listed in the table whose receiver and arguments leave it
// unbounded, a call of a function that may block, a channel operation
// outside a bounded select, or a select with no way out.
type Op struct {
	Node ast.Node // the *ast.CallExpr, *ast.SendStmt, *ast.UnaryExpr, *ast.SelectStmt or *ast.RangeStmt
	What string   // the operation as messages name it: "http.Get", "channel send on s.out"
	Kind Kind
	// Entry is the table entry of a standard-library call, nil otherwise.
	Entry *Entry
	// Callee is the called function when the call blocks because the
	// callee may block; CalleeReason says why. Both are zero otherwise.
	Callee       *types.Func
	CalleeReason Reason
	// Origin is, for the methods of an *exec.Cmd, the exec.Command call
	// that made the command.
	Origin *ast.CallExpr
	// Unlocked is set when the operation runs after the function has
	// released a mutex (mu.Unlock(); op; mu.Lock()), directly or in the
	// callee: a caller holding that mutex does not hold it across op.
	Unlocked bool
	// Released is the mutex, as written, that this function released
	// before op ("" when none, or only the callee released one): a lock
	// of another mutex taken here is still held across op.
	Released string
	// Params is set when the operation is a send on or receive from a
	// channel that the function was handed by its caller, or a call that
	// blocks only on such channels (see params.go): the indexes of those
	// parameters. Whether it blocks is the caller's protocol, judged at
	// the calls; checks do not report it in the function.
	Params []int
	// Bounded is set on a sleep whose duration has a bound (see
	// bound.go), and on a call of a function every blocking operation of
	// which is such a sleep; Max is the bound of one run of it, loops
	// around it in this body not counted (see SleepBound).
	Bounded bool
	Max     time.Duration
	// goroutines are, for a WaitGroup.Wait, the goroutines started here
	// that it joins; the Wait blocks only if one of them does (see
	// Result.counts).
	goroutines []*scanner
}

// Pos returns the position of the operation.
func (op Op) Pos() token.Pos { return op.Node.Pos() }

// Reason returns the reason that op gives its enclosing function to
// block: op itself, or the reason of the callee op calls.
func (op Op) Reason(fset *token.FileSet) Reason {
	if op.Callee != nil {
		r := op.CalleeReason
		r.Via = FuncName(op.Callee)
		r.Unlocked = op.Unlocked
		r.Params = op.Params
		return r
	}
	return Reason{What: op.What, At: position(fset, op.Pos()), Kind: op.Kind, Unlocked: op.Unlocked, Params: op.Params}
}

// SleepBound returns how long op, in body, can block each time the
// stretch of body from from runs, when op is bounded (see Op.Bounded)
// and the loops around it between from and op have constant counts.
func SleepBound(info *types.Info, body *ast.BlockStmt, op Op, from token.Pos) (time.Duration, bool) {
	if !op.Bounded {
		return 0, false
	}
	n, ok := Repeats(info, body, op.Pos(), from)
	if !ok {
		return 0, false
	}
	return toDuration(float64(op.Max) * float64(n)), true
}

// Ops returns the operations of body that can block without bound, in
// source order. It looks into function literals only where they are
// called on the spot (func(){...}() and defer func(){...}()), never into
// go statements, and not at the comm clauses of a select (the select
// itself is the operation, reported when it has no default, ctx.Done()
// or timer case); case bodies are scanned.
func (r *Result) Ops(info *types.Info, body *ast.BlockStmt) []Op {
	if body == nil {
		return nil
	}
	s := newScanner(r, info, body)
	ast.Inspect(body, s.visit)
	ops := s.ops[:0:0]
	for _, op := range s.ops {
		if r.counts(op) {
			if len(op.goroutines) > 0 {
				op.Max, op.Bounded = r.joinBound(op.goroutines) // as r knows now
			}
			ops = append(ops, op)
		}
	}
	return ops
}

// Call classifies one call of body: it returns the operation when the
// call can block without bound.
func (r *Result) Call(info *types.Info, body *ast.BlockStmt, call *ast.CallExpr) (Op, bool) {
	s := newScanner(r, info, body)
	s.call(call)
	if len(s.ops) == 0 || !r.counts(s.ops[0]) {
		return Op{}, false
	}
	return s.ops[0], true
}

// A scanner finds the blocking operations of one function body.
type scanner struct {
	r        *Result
	info     *types.Info
	body     *ast.BlockStmt
	params   map[types.Object]int // the parameters of the body's function (see params.go)
	deadline bool                 // the body calls a Set*Deadline method
	// sent, received and measured hold the channels (as written) that
	// the body sends on, receives from (select cases included) and takes
	// len of.
	sent, received, measured map[string]bool
	// stops are the positions of the stop signals of the body (see
	// join.go), not counting deferred ones.
	stops []token.Pos
	// closed are the stretches of the body where a channel is closed on
	// every path.
	closed []closing
	// joins are the waits left out of ops because they follow a stop.
	joins []Join
	// drains are the receives that empty a stopped timer's channel:
	// if !t.Stop() { <-t.C }.
	drains map[*ast.UnaryExpr]bool
	// unlocked are the stretches of the body where it has released a
	// mutex: from mu.Unlock() to the next mu.Lock() in the same block.
	unlocked []locks.Window
	ops      []Op
	// pending are calls of functions with no reason yet, for propagate.
	pending []pendingCall
}

// A window is a range of positions.
type window struct {
	pos, end token.Pos
}

type pendingCall struct {
	call *ast.CallExpr
	fn   *types.Func
}

func newScanner(r *Result, info *types.Info, body *ast.BlockStmt) *scanner {
	r.index()
	s := &scanner{r: r, info: info, body: body, params: r.params[body],
		sent: make(map[string]bool), received: make(map[string]bool), measured: make(map[string]bool),
		drains: make(map[*ast.UnaryExpr]bool)}
	var deferred []window // deferred calls run last: they stop nothing before
	inspectHere(info, body, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.DeferStmt:
			deferred = append(deferred, window{n.Pos(), n.End()})
		case *ast.IfStmt:
			s.markDrains(n)
		case *ast.SendStmt:
			s.sent[types.ExprString(n.Chan)] = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				s.received[types.ExprString(n.X)] = true
			}
		case *ast.CallExpr:
			s.noteCall(n, within(deferred, n.Pos()))
		}
	})
	s.unlocked = r.locks.Unlocked(body)
	s.closed = closings(info, body)
	return s
}

// within reports whether pos lies in one of ws.
func within(ws []window, pos token.Pos) bool {
	for _, w := range ws {
		if pos >= w.pos && pos < w.end {
			return true
		}
	}
	return false
}

// stoppedBefore reports whether the function closes a channel or cancels
// a context before pos.
func (s *scanner) stoppedBefore(pos token.Pos) bool {
	for _, p := range s.stops {
		if p < pos {
			return true
		}
	}
	return false
}

// releasedAt returns the mutex released by the unlocked window that holds
// pos, or "".
func (s *scanner) releasedAt(pos token.Pos) string {
	for _, w := range s.unlocked {
		if pos >= w.Pos && pos < w.End {
			return w.Mutex.Text
		}
	}
	return ""
}

// noteCall records what the call tells about the function's other
// operations: len(ch), a stop signal (close(ch) or a cancel, unless
// deferred), a Set*Deadline.
func (s *scanner) noteCall(call *ast.CallExpr, deferred bool) {
	if b, ok := s.info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok {
		switch {
		case b.Name() == "len" && len(call.Args) == 1 && isChan(s.info.TypeOf(call.Args[0])):
			s.measured[types.ExprString(call.Args[0])] = true
		case b.Name() == "close" && !deferred:
			s.stops = append(s.stops, call.Pos())
		}
		return
	}
	if !deferred && s.r.isStopCall(s.info, call) {
		s.stops = append(s.stops, call.Pos())
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		switch sel.Sel.Name {
		case "SetDeadline", "SetReadDeadline", "SetWriteDeadline":
			s.deadline = true
		}
	}
}

// markDrains records the receives from t.C in the body of
// if !t.Stop() { ... } (caddy's LoadBalancing.tryAgain).
func (s *scanner) markDrains(stmt *ast.IfStmt) {
	not, ok := ast.Unparen(stmt.Cond).(*ast.UnaryExpr)
	if !ok || not.Op != token.NOT {
		return
	}
	call, ok := ast.Unparen(not.X).(*ast.CallExpr)
	if !ok {
		return
	}
	fn, ok := typeutil.Callee(s.info, call).(*types.Func)
	if !ok || fn.FullName() != "(*time.Timer).Stop" {
		return
	}
	timer := types.ExprString(ast.Unparen(call.Fun).(*ast.SelectorExpr).X)
	ast.Inspect(stmt.Body, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW && types.ExprString(u.X) == timer+".C" {
			s.drains[u] = true
		}
		return true
	})
}

// inspectHere calls f for the nodes of n that run when n runs: it skips
// go statements and the func literals that are not called on the spot
// or given to sync.Once.Do (sarama's mocks.PartitionConsumer.AsyncClose
// closes its channels in once.Do).
func inspectHere(info *types.Info, n ast.Node, f func(ast.Node)) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			return false
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
				for _, arg := range n.Args {
					inspectHere(info, arg, f)
				}
				inspectHere(info, lit.Body, f)
				return false
			}
			if lit := onceBody(info, n); lit != nil {
				f(n)
				inspectHere(info, n.Fun, f)
				inspectHere(info, lit.Body, f)
				return false
			}
		}
		if n != nil {
			f(n)
		}
		return true
	})
}

// onceBody returns the func literal that call, a call of sync.Once.Do,
// runs; nil for any other call.
func onceBody(info *types.Info, call *ast.CallExpr) *ast.FuncLit {
	if len(call.Args) != 1 {
		return nil
	}
	lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	if !ok {
		return nil
	}
	if fn, ok := typeutil.Callee(info, call).(*types.Func); !ok || fn.FullName() != "(*sync.Once).Do" {
		return nil
	}
	return lit
}

// def returns the single expression assigned to the variable e names.
func (s *scanner) def(e ast.Expr) ast.Expr {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	obj := s.info.ObjectOf(id)
	if obj == nil {
		return nil
	}
	return s.r.defs[obj]
}

func (s *scanner) add(op Op) {
	op.Released = s.releasedAt(op.Node.Pos())
	op.Unlocked = op.Released != "" || op.Callee != nil && op.CalleeReason.Unlocked
	switch {
	case len(op.goroutines) > 0:
		op.Max, op.Bounded = s.r.joinBound(op.goroutines)
	case op.Callee != nil:
		op.Bounded, op.Max = op.CalleeReason.Bounded, op.CalleeReason.Max
	case op.Kind == KindSleep:
		op.Max, op.Bounded = bounder{s.info, s.body, s.r}.sleepBound(op.Node)
	}
	s.ops = append(s.ops, op)
}

func (s *scanner) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.GoStmt:
		return false // the goroutine blocks, not its starter.
	case *ast.FuncLit:
		return false // runs where it is called, if at all.
	case *ast.CallExpr:
		if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
			for _, arg := range n.Args {
				ast.Inspect(arg, s.visit)
			}
			ast.Inspect(lit.Body, s.visit) // called on the spot.
			return false
		}
		s.call(n)
	case *ast.SelectStmt:
		s.selectStmt(n)
		return false
	case *ast.SendStmt:
		s.send(n)
	case *ast.UnaryExpr:
		if n.Op == token.ARROW {
			s.recv(n)
		}
	case *ast.RangeStmt:
		if isChan(s.info.TypeOf(n.X)) && !s.contextBound(n.X, 0) && !s.closedBefore(n.X, n.Pos()) && !s.generated(n.X) && !s.fedHere(n.X, n.Pos(), true) {
			s.add(Op{Node: n, What: "range over channel " + exprString(n.X), Kind: KindChan})
		}
	}
	return true
}

// call records call if it can block.
func (s *scanner) call(call *ast.CallExpr) {
	fn, ok := typeutil.Callee(s.info, call).(*types.Func)
	if !ok {
		return // dynamic call, conversion or builtin.
	}
	if e, ok := table[fn.Origin().FullName()]; ok {
		origin, blocks := s.entryBlocks(e, call)
		switch {
		case blocks && e.cond == notAfterStop:
			s.add(Op{Node: call, What: e.Name, Kind: e.Kind, Entry: e, goroutines: s.joinedGoroutines(call)})
		case blocks:
			s.add(Op{Node: call, What: e.Name, Kind: e.Kind, Entry: e, Origin: origin})
		case e.cond == notAfterStop:
			s.join(call, e.Name, nil, false)
		}
		return
	}
	static := typeutil.StaticCallee(s.info, call)
	if static == nil {
		return // an interface method: the callee is not known.
	}
	static = static.Origin()
	if reason, ok := s.r.funcs[static]; ok {
		if !reason.Kind.Transitive() && s.receiverContextBound(call) {
			return // g, ctx := errgroup.WithContext(r.Context()); g.Wait()
		}
		if len(reason.Params) > 0 {
			own, blocks := s.callParams(call, static, reason.Params)
			if !blocks && len(own) == 0 {
				return // every channel it is handed here has a buffer.
			}
			op := Op{Node: call, What: FuncName(static), Kind: reason.Kind, Callee: static, CalleeReason: *reason}
			op.CalleeReason.Params = nil
			if !blocks {
				op.Params = own
			}
			s.add(op)
			return
		}
		if reason.Join && s.stoppedBefore(call.Pos()) {
			s.join(call, "call of "+FuncName(static), static, reason.Unlocked) // close(s.shutdownCh); s.snapshotter.Wait()
			return
		}
		op := Op{Node: call, What: FuncName(static), Kind: reason.Kind, Callee: static, CalleeReason: *reason}
		if static.Name() == "Wait" && static.Signature().Recv() != nil {
			op.goroutines = s.joinedGoroutines(call) // var g errgroup.Group; g.Go(...); g.Wait()
		}
		s.add(op)
		return
	}
	s.pending = append(s.pending, pendingCall{call, static})
}

// entryBlocks reports whether call of the table entry e blocks without
// bound, and for exec.Cmd methods returns the exec.Command call.
func (s *scanner) entryBlocks(e *Entry, call *ast.CallExpr) (*ast.CallExpr, bool) {
	var recv ast.Expr
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		recv = sel.X
	}
	switch e.cond {
	case noClientTimeout:
		return nil, recv != nil && s.clientWithoutTimeout(recv, 0)
	case noRequestCtx:
		return nil, recv != nil && len(call.Args) == 1 &&
			s.clientWithoutTimeout(recv, 0) && s.requestWithoutContext(call.Args[0])
	case fromCommand:
		if recv == nil {
			return nil, false
		}
		origin := s.commandOrigin(recv, 0)
		return origin, origin != nil
	case noDeadline:
		return nil, !s.deadline
	case notAfterStop:
		return nil, !s.stoppedBefore(call.Pos())
	case streamNetwork:
		if len(call.Args) == 0 {
			return nil, false
		}
		tv := s.info.Types[call.Args[0]]
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			return nil, true // unknown network: assume TCP.
		}
		network := constant.StringVal(tv.Value)
		return nil, !strings.HasPrefix(network, "udp") && !strings.HasPrefix(network, "unix") && !strings.HasPrefix(network, "ip")
	}
	return nil, true
}

// maxDefDepth bounds how many assignments the def-following helpers
// walk back through.
const maxDefDepth = 4

// clientWithoutTimeout reports whether e is http.DefaultClient or an
// http.Client literal with no Timeout, directly or through local
// variables. A client from anywhere else is assumed configured.
func (s *scanner) clientWithoutTimeout(e ast.Expr, depth int) bool {
	if depth > maxDefDepth {
		return false
	}
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		if !code.IsNamedType(s.info.TypeOf(e), "net/http", "Client") {
			return false
		}
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Timeout" {
					return false
				}
			}
		}
		return true
	case *ast.SelectorExpr:
		return isPkgVar(s.info.Uses[e.Sel], "net/http", "DefaultClient")
	case *ast.Ident:
		if isPkgVar(s.info.Uses[e], "net/http", "DefaultClient") {
			return true // dot import.
		}
		if def := s.def(e); def != nil {
			return s.clientWithoutTimeout(def, depth+1)
		}
	}
	return false
}

// requestWithoutContext reports whether e is a request made by
// http.NewRequest in this function.
func (s *scanner) requestWithoutContext(e ast.Expr) bool {
	call, ok := ast.Unparen(s.def(e)).(*ast.CallExpr)
	if !ok {
		return false // made elsewhere: it may carry a context.
	}
	fn, ok := typeutil.Callee(s.info, call).(*types.Func)
	return ok && fn.FullName() == "net/http.NewRequest"
}

// commandOrigin returns the exec.Command call that made the command e,
// directly or through local variables.
func (s *scanner) commandOrigin(e ast.Expr, depth int) *ast.CallExpr {
	if depth > maxDefDepth {
		return nil
	}
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if fn, ok := typeutil.Callee(s.info, call).(*types.Func); ok && fn.FullName() == "os/exec.Command" {
			return call
		}
		return nil
	}
	if def := s.def(e); def != nil {
		return s.commandOrigin(def, depth+1)
	}
	return nil
}

// selectStmt records sel if it has no way out, then scans its case
// bodies.
func (s *scanner) selectStmt(sel *ast.SelectStmt) {
	if !boundedSelect(s.info, sel) && !s.crashWait(sel) {
		s.add(Op{Node: sel, What: "select", Kind: KindSelect})
	}
	for _, stmt := range sel.Body.List {
		cc, ok := stmt.(*ast.CommClause)
		if !ok {
			continue
		}
		for _, st := range cc.Body {
			ast.Inspect(st, s.visit)
		}
	}
}

// crashWait reports whether sel is a select {} right after a go
// statement whose goroutine ends the process (go panic(err), or a
// literal whose last statement panics or calls os.Exit or log.Fatal):
// the function waits for a crash it has set off, not for an event.
func (s *scanner) crashWait(sel *ast.SelectStmt) bool {
	if len(sel.Body.List) > 0 {
		return false
	}
	crash := false
	code.ForEachStmtList(s.body, func(list []ast.Stmt, _ token.Pos) {
		for i, stmt := range list {
			if stmt == sel && i > 0 {
				if g, ok := list[i-1].(*ast.GoStmt); ok {
					crash = crash || s.crashes(g.Call)
				}
			}
		}
	})
	return crash
}

// crashes reports whether call ends the process: panic, a call that
// exits or panics (code.EndOf), or a call of a literal whose last statement is one.
func (s *scanner) crashes(call *ast.CallExpr) bool {
	if b, ok := s.info.Uses[code.IdentOf(call.Fun)].(*types.Builtin); ok {
		return b.Name() == "panic"
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		if n := len(lit.Body.List); n > 0 {
			if es, ok := lit.Body.List[n-1].(*ast.ExprStmt); ok {
				if last, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
					return s.crashes(last)
				}
			}
		}
		return false
	}
	end := code.EndOf(s.info, call)
	return end == knowledge.EndsProcess || end == knowledge.Panics
}

func boundedSelect(info *types.Info, sel *ast.SelectStmt) bool {
	for _, stmt := range sel.Body.List {
		cc, ok := stmt.(*ast.CommClause)
		if !ok {
			continue
		}
		if cc.Comm == nil {
			return true // default.
		}
		if x := code.CommRecv(cc.Comm); x != nil && isEscape(info, x) {
			return true
		}
	}
	return false
}

// BoundedSelect reports whether sel has a default case or a case that
// waits for cancellation or time: a receive from a Done() method, from a
// chan struct{} (a quit or stop signal) or from a time channel.
func BoundedSelect(info *types.Info, sel *ast.SelectStmt) bool { return boundedSelect(info, sel) }

// isEscape reports whether receiving from the channel x waits for
// cancellation, shutdown or time rather than for work.
func isEscape(info *types.Info, x ast.Expr) bool {
	if isTimeChan(info.TypeOf(x)) {
		return true
	}
	if call, ok := ast.Unparen(x).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" {
			return true // ctx.Done() and its look-alikes.
		}
	}
	ch, ok := types.Unalias(info.TypeOf(x)).Underlying().(*types.Chan)
	if !ok {
		return false
	}
	st, ok := ch.Elem().Underlying().(*types.Struct)
	return ok && st.NumFields() == 0
}

// send records a send outside a select unless the channel is made with a
// buffer or is used as a semaphore.
func (s *scanner) send(send *ast.SendStmt) {
	if s.buffered(send.Chan, 0) || s.semaphore(send.Chan) || s.r.notification(send) {
		return
	}
	s.chanOp(Op{Node: send, What: "channel send on " + exprString(send.Chan), Kind: KindChan}, send.Chan)
}

// chanOp records op, a send on or receive from ch, marking it when ch is
// a channel the function was handed.
func (s *scanner) chanOp(op Op, ch ast.Expr) {
	if p, ok := s.paramOf(ch); ok {
		op.Params = []int{p}
	}
	s.add(op)
}

// recv records a receive outside a select. Receiving from Done() waits
// for cancellation on purpose; receiving from a timer is a sleep; a
// receive from a semaphore acquires or releases it, and a receive from a
// channel whose len the function checks is guarded (the chat example of
// gorilla/websocket drains n := len(c.send) messages).
func (s *scanner) recv(u *ast.UnaryExpr) {
	if s.semaphore(u.X) || s.measured[types.ExprString(u.X)] || s.contextBound(u.X, 0) || s.closedBefore(u.X, u.Pos()) ||
		s.fedHere(u.X, u.Pos(), false) {
		return
	}
	if s.r.isDoneChan(s.info, u.X) && s.stoppedBefore(u.Pos()) {
		s.join(u, "channel receive from "+exprString(u.X), nil, false) // cancel(); <-done
		return
	}
	if call, ok := ast.Unparen(u.X).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" {
			return
		}
	}
	if isTimeChan(s.info.TypeOf(u.X)) {
		if s.drains[u] {
			return // the timer has fired: the value is there.
		}
		s.add(Op{Node: u, What: "receive from timer " + exprString(u.X), Kind: KindSleep})
		return
	}
	s.chanOp(Op{Node: u, What: "channel receive from " + exprString(u.X), Kind: KindChan}, u.X)
}

// contextBound reports whether the channel ch comes from a call that is
// given a context, directly or through a local variable: its producer
// stops (and closes it) when the context is done (go-httpbin's
// newPacer(r.Context(), ...)).
func (s *scanner) contextBound(ch ast.Expr, depth int) bool {
	if depth > maxDefDepth {
		return false
	}
	switch e := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		for _, arg := range e.Args {
			if code.IsNamedType(s.info.TypeOf(arg), "context", "Context") {
				return true
			}
		}
	case *ast.Ident:
		if def := s.def(e); def != nil {
			return s.contextBound(def, depth+1)
		}
	}
	return false
}

// receiverContextBound reports whether call is a method call whose
// receiver comes from a call given a context: its waits and channels
// end with that context (a group from errgroup.WithContext).
func (s *scanner) receiverContextBound(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if selection := s.info.Selections[sel]; selection == nil || selection.Kind() != types.MethodVal {
		return false // a package-qualified function.
	}
	return s.contextBound(sel.X, 0)
}

// semaphore reports whether the function both sends on and receives from
// ch: the channel is a lock or a counting semaphore (gorilla/websocket's
// Conn.mu), and taking it is no more an unbounded wait than locking a
// sync.Mutex, which this analysis does not count either.
func (s *scanner) semaphore(ch ast.Expr) bool {
	key := types.ExprString(ch)
	if s.sent[key] && s.received[key] {
		return true
	}
	sel, ok := ast.Unparen(ch).(*ast.SelectorExpr)
	return ok && s.r.tokens[origin(s.info.Uses[sel.Sel])]
}

func isChan(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

func isTimeChan(t types.Type) bool {
	if t == nil {
		return false
	}
	ch, ok := t.Underlying().(*types.Chan)
	return ok && code.IsNamedType(ch.Elem(), "time", "Time")
}

func isPkgVar(obj types.Object, pkgPath, name string) bool {
	v, ok := obj.(*types.Var)
	return ok && v.Name() == name && v.Pkg() != nil && v.Pkg().Path() == pkgPath
}

// exprString is types.ExprString, shortened for messages.
func exprString(e ast.Expr) string {
	s := types.ExprString(e)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// A CaseKind classifies a select case by what it waits for.
type CaseKind uint8

const (
	CaseWork    CaseKind = iota // a send, or a receive of work or events
	CaseDefault                 // the default case
	CaseCancel                  // a receive from Done() or from a chan struct{}
	CaseTimer                   // a receive from a time channel
)

// ClassifyCase says what the select case cc waits for.
func ClassifyCase(info *types.Info, cc *ast.CommClause) CaseKind {
	if cc.Comm == nil {
		return CaseDefault
	}
	x := code.CommRecv(cc.Comm)
	switch {
	case x == nil:
		return CaseWork // a send.
	case isTimeChan(info.TypeOf(x)):
		return CaseTimer
	case isEscape(info, x):
		return CaseCancel
	}
	return CaseWork
}
