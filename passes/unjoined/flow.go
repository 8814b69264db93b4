package unjoined

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/chanflow"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
)

// A useKind is what one instruction does with a tracked channel or group.
type useKind int

const (
	useSend    useKind = iota // plain send
	useSelSend                // send in a select with another way out
	useRecv                   // plain receive
	useSelRecv                // receive in a select
	useDrain                  // range or comma-ok receive
	useClose                  // close
	useDone                   // WaitGroup.Done
	useWait                   // WaitGroup.Wait, errgroup.Group.Wait
	useGo                     // errgroup.Group.Go, WaitGroup.Go: starts a goroutine
	useOther                  // Add, SetLimit and the like
)

// A use is one operation on a tracked value.
type use struct {
	kind  useKind
	instr ssa.Instruction // the operation, in whichever function it sits
	// anchor is, for a use on the maker's own goroutine, the instruction of
	// the maker on whose execution the use happens (the use itself, or the
	// call that leads to it).
	anchor   ssa.Instruction
	thread   ssa.Instruction // nil: the maker's goroutine; else the go statement or spawning call
	deferred bool            // runs when the maker returns
	state    int             // for select uses: the index of the case
}

// A flow is everything that happens to one channel or group made in one
// function, as far as we can see it.
type flow struct {
	origin  ssa.Value     // the make(chan) or the group
	maker   *ssa.Function // the function that makes it
	uses    []use
	escaped bool // it goes somewhere we cannot follow: give up on it
}

// context is the goroutine and call chain a use is found in.
type context struct {
	thread   ssa.Instruction
	anchor   ssa.Instruction
	deferred bool
}

// walker follows a value through the SSA of one package.
type walker struct {
	pkg     *ssa.Package
	chans   *chanflow.Result
	callees *code.Callees
	flow    *flow
	seen    map[ssa.Value]bool
}

// trace returns the flow of v, made in fn.
func (c *checker) trace(fn *ssa.Function, v ssa.Value) *flow {
	if c.callees == nil {
		c.callees = code.NewCallees(c.pkg, c.funcs)
	}
	w := &walker{pkg: c.pkg, chans: c.chans, callees: c.callees, flow: &flow{origin: v, maker: fn}, seen: make(map[ssa.Value]bool)}
	w.visit(v, context{})
	return w.flow
}

func (w *walker) escape() { w.flow.escaped = true }

func (w *walker) add(kind useKind, instr ssa.Instruction, ctx context, state int) {
	anchor := ctx.anchor
	if anchor == nil && ctx.thread == nil {
		anchor = instr
	}
	w.flow.uses = append(w.flow.uses, use{kind: kind, instr: instr, anchor: anchor, thread: ctx.thread, deferred: ctx.deferred, state: state})
}

// visit records every use of v, which holds the tracked value (or, for a
// cell, its address).
func (w *walker) visit(v ssa.Value, ctx context) {
	if w.seen[v] || w.flow.escaped {
		return
	}
	w.seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, instr := range *refs {
		if w.flow.escaped {
			return
		}
		w.visitUse(v, instr, ctx)
	}
}

func (w *walker) visitUse(v ssa.Value, instr ssa.Instruction, ctx context) {
	switch instr := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.Send:
		if instr.Chan != v {
			w.escape() // the channel itself is sent
			return
		}
		w.add(useSend, instr, ctx, -1)
	case *ssa.UnOp:
		w.visitUnOp(instr, ctx)
	case *ssa.Select:
		for i, st := range instr.States {
			if st.Send == v {
				w.escape()
				return
			}
			if st.Chan != v {
				continue
			}
			switch {
			case st.Dir == types.SendOnly && len(instr.States) == 1 && instr.Blocking:
				w.add(useSend, instr, ctx, i)
			case st.Dir == types.SendOnly:
				w.add(useSelSend, instr, ctx, i)
			default:
				w.add(useSelRecv, instr, ctx, i)
			}
		}
	case *ssa.ChangeType:
		w.visit(instr, ctx)
	case *ssa.Store:
		w.visitStore(v, instr, ctx)
	case *ssa.MakeClosure:
		w.visitClosure(v, instr, ctx)
	case ssa.CallInstruction:
		w.visitCall(v, instr, ctx)
	case *ssa.BinOp:
		// ch == nil: no effect.
	default:
		w.escape()
	}
}

func (w *walker) visitUnOp(op *ssa.UnOp, ctx context) {
	switch {
	case op.Op == token.ARROW && op.CommaOk:
		w.add(useDrain, op, ctx, -1)
	case op.Op == token.ARROW:
		w.add(useRecv, op, ctx, -1)
	case op.Op == token.MUL:
		w.visit(op, ctx) // a load from a cell that holds the value
	default:
		w.escape()
	}
}

// visitStore follows a value into the local variable that holds it; any
// other store, or a second value stored into that variable, ends the trail.
func (w *walker) visitStore(v ssa.Value, st *ssa.Store, ctx context) {
	if st.Addr == v {
		if st.Val != w.flow.origin {
			w.escape() // the variable is reassigned
		}
		return
	}
	cell, ok := st.Addr.(*ssa.Alloc)
	if !ok {
		w.escape() // into a field, a global, a slice element
		return
	}
	for _, ref := range *cell.Referrers() {
		if other, isStore := ref.(*ssa.Store); isStore && other.Addr == cell && other.Val != v {
			w.escape() // the variable is reassigned
			return
		}
	}
	w.visit(cell, ctx)
}

// visitClosure follows v into the closure that captures it, attributing
// the closure's uses to the goroutine that runs it.
func (w *walker) visitClosure(v ssa.Value, mc *ssa.MakeClosure, ctx context) {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		w.escape()
		return
	}
	inner, ok := closureContext(mc, ctx)
	if !ok {
		w.escape() // the closure is stored or passed on
		return
	}
	for i, b := range mc.Bindings {
		if b == v && i < len(fn.FreeVars) {
			w.visit(fn.FreeVars[i], inner)
		}
	}
}

// closureContext returns the context the closure made by mc runs in,
// when its one use is to be called, deferred or started as a goroutine.
func closureContext(mc *ssa.MakeClosure, ctx context) (context, bool) {
	var user ssa.Instruction
	for _, ref := range *mc.Referrers() {
		if _, ok := ref.(*ssa.DebugRef); ok {
			continue
		}
		if user != nil {
			return ctx, false
		}
		user = ref
	}
	call, ok := user.(ssa.CallInstruction)
	if !ok {
		return ctx, false
	}
	common := call.Common()
	if common.Value == mc {
		return callContext(call, ctx), true
	}
	if isSpawner(common) && len(common.Args) == 2 && common.Args[1] == mc {
		return context{thread: call}, true
	}
	return ctx, false
}

// callContext is the context inside a callee of call.
func callContext(call ssa.CallInstruction, ctx context) context {
	switch call := call.(type) {
	case *ssa.Go:
		return context{thread: call}
	case *ssa.Defer:
		ctx.deferred = true
	}
	if ctx.thread == nil && ctx.anchor == nil {
		ctx.anchor = call
	}
	return ctx
}

// groupMethods maps the methods of sync.WaitGroup and errgroup.Group to
// what they do to the group.
var groupMethods = map[string]useKind{
	"(*sync.WaitGroup).Add":                        useOther,
	"(*sync.WaitGroup).Done":                       useDone,
	"(*sync.WaitGroup).Wait":                       useWait,
	"(*sync.WaitGroup).Go":                         useGo,
	"(*golang.org/x/sync/errgroup.Group).Go":       useGo,
	"(*golang.org/x/sync/errgroup.Group).TryGo":    useGo,
	"(*golang.org/x/sync/errgroup.Group).Wait":     useWait,
	"(*golang.org/x/sync/errgroup.Group).SetLimit": useOther,
}

// isSpawner reports whether common calls a method that runs its function
// argument in a new goroutine.
func isSpawner(common *ssa.CallCommon) bool {
	return groupMethods[calleeName(common)] == useGo
}

// calleeName returns the full name of the static callee, or "".
func calleeName(common *ssa.CallCommon) string {
	fn := common.StaticCallee()
	if fn == nil {
		return ""
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return knowledge.Unvendor(obj.Origin().FullName())
	}
	return ""
}

// visitCall records a call that takes v as an argument.
func (w *walker) visitCall(v ssa.Value, call ssa.CallInstruction, ctx context) {
	common := call.Common()
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close":
			switch call.(type) {
			case *ssa.Go:
				ctx = context{thread: call}
			case *ssa.Defer:
				ctx.deferred = true
			}
			w.add(useClose, call, ctx, -1)
		case "len", "cap":
		default:
			w.escape()
		}
		return
	}
	if common.Value == v {
		w.escape() // calling the tracked value?
		return
	}
	argIdx := -1
	for i, arg := range common.Args {
		if arg == v {
			argIdx = i
		}
	}
	if argIdx < 0 {
		w.escape()
		return
	}
	if kind, ok := groupMethods[calleeName(common)]; ok && argIdx == 0 && !common.IsInvoke() {
		if _, isGo := call.(*ssa.Go); isGo {
			ctx = context{thread: call}
		} else if _, isDefer := call.(*ssa.Defer); isDefer {
			ctx.deferred = true
		}
		w.add(kind, call, ctx, -1)
		return
	}
	callee := common.StaticCallee()
	if callee == nil {
		w.visitDynamic(common, argIdx, callContext(call, ctx))
		return
	}
	inner := callContext(call, ctx)
	if callee.Pkg == w.pkg && callee.Blocks != nil && argIdx < len(callee.Params) {
		w.visit(callee.Params[argIdx], inner)
		return
	}
	w.visitFact(callee, argIdx, call, inner)
}

// visitDynamic follows the channel passed as the argIdx-th argument of
// a call of a function value or an interface method into every function
// of the package the call may reach (a func field's stored functions,
// the package's implementations of the method); with none, or one of
// another package, the channel escapes.
func (w *walker) visitDynamic(common *ssa.CallCommon, argIdx int, ctx context) {
	cands := w.callees.Of(common)
	if len(cands) == 0 {
		w.escape()
		return
	}
	for _, fn := range cands {
		i := argIdx
		if common.IsInvoke() {
			i++ // the method's receiver is its first parameter
		}
		if fn.Pkg != w.pkg || fn.Blocks == nil || i >= len(fn.Params) {
			w.escape()
			return
		}
		w.visit(fn.Params[i], ctx)
	}
}

// visitFact records what a function of another package does with the
// channel passed as its argIdx-th argument, from chanflow's facts.
func (w *walker) visitFact(callee *ssa.Function, argIdx int, call ssa.CallInstruction, ctx context) {
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		w.escape()
		return
	}
	if obj.Signature().Recv() != nil {
		argIdx-- // chanflow does not count the receiver
	}
	op, ok := w.chans.Ops(obj, argIdx)
	if !ok || op&chanflow.Escapes != 0 {
		w.escape()
		return
	}
	for _, m := range []struct {
		op   chanflow.Op
		kind useKind
	}{
		{chanflow.Send, useSend}, {chanflow.SelectSend, useSelSend}, {chanflow.Recv, useRecv},
		{chanflow.SelectRecv, useSelRecv}, {chanflow.Drain, useDrain}, {chanflow.Close, useClose},
	} {
		if op&m.op != 0 {
			w.add(m.kind, call, ctx, -1)
		}
	}
}
