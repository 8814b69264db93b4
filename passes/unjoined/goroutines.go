package unjoined

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// checkGoroutines looks at the body of every goroutine fn starts.
func (c *checker) checkGoroutines(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok {
				continue
			}
			body := g.Call.StaticCallee()
			if body == nil || body.Pkg != c.pkg || body.Blocks == nil {
				continue // not ours to read.
			}
			if c.read[body] {
				continue // started twice; one report is enough.
			}
			c.read[body] = true
			c.checkEndless(fn, g, body)
			c.checkSkippedDone(fn, g, body)
		}
	}
}

// checkEndless reports a goroutine started by a constructor or method
// whose body loops forever: nothing can ever stop it.
func (c *checker) checkEndless(fn *ssa.Function, g *ssa.Go, body *ssa.Function) {
	root := rootOf(fn)
	recv := root.Signature.Recv()
	if recv == nil && !strings.HasPrefix(root.Name(), "New") && !strings.HasPrefix(root.Name(), "new") {
		return // a plain function: its goroutine's lifetime is its caller's business.
	}
	if !returnsAfter(g) {
		return // the starter never returns: the goroutine lives as long as it, the process (go-task's watch).
	}
	if underOnce(fn) {
		return // started once per process by a package-level sync.Once: the one janitor of its kind.
	}
	forever, field, bgCtx := endless(body, c.silentFields(), bindings(g, body))
	if !forever {
		return
	}
	if bgCtx && field == nil {
		c.pass.Report(analysis.Diagnostic{Pos: g.Pos(), Category: "unstoppable", Message: fmt.Sprintf("goroutine started by %s can only stop on ctx.Done() of a context.Background() that nothing cancels: it leaks; pass it a context that is cancelled on shutdown",
			c.displayName(root))})
		return
	}
	owner := ownerType(root)
	stop := ""
	if owner != nil {
		stop = stopMethod(owner)
	}
	if field != nil {
		where := "on shutdown"
		if stop != "" {
			where = "in " + stop
		}
		c.pass.Report(analysis.Diagnostic{Pos: g.Pos(), Category: "unstoppable", Message: fmt.Sprintf("goroutine started by %s can only stop on the %s field %s, which nothing in the package closes or sends on: it leaks; close %s %s",
			c.displayName(root), ownerName(field, owner), field.Name(), field.Name(), where)})
		return
	}
	hint := ""
	if stop != "" {
		hint = fmt.Sprintf("; %s does not stop it", stop)
	}
	c.pass.Report(analysis.Diagnostic{Pos: g.Pos(), Category: "unstoppable", Message: fmt.Sprintf("goroutine started by %s loops forever with no way to stop it (no context, stop channel or closed channel ends its loop)%s: it leaks; give it a done channel or context and signal it on shutdown",
		c.displayName(root), hint)})
}

// endless reports whether fn can never return: it has no path from its
// entry to a return, and it loops, or it waits on a silent field. A range
// over a time.Ticker's channel counts as endless (the ticker never closes
// it), and a receive from a silent field (see silentFields) never
// completes. The returned field is the silent field that was needed to
// prove it, if any.
func endless(fn *ssa.Function, silent map[*types.Var]bool, binds map[ssa.Value]ssa.Value) (bool, *types.Var, bool) {
	seen := map[*ssa.BasicBlock]bool{fn.Blocks[0]: true}
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	cycle := false
	var needed *types.Var
	bgCtx := false
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		succs := b.Succs
	instrs:
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Return:
				return false, nil, false
			case *ssa.UnOp:
				if f := silentRecv(instr.X, silent); instr.Op == token.ARROW && f != nil {
					needed, succs = f, nil // blocks here forever
					break instrs
				}
			case *ssa.If:
				if isTickerDrainTest(instr) {
					succs = succs[:1] // the channel is never closed.
				} else if sel, k, ok := selectTest(instr); ok {
					if f := silentRecv(sel.States[k].Chan, silent); f != nil && sel.States[k].Dir == types.RecvOnly {
						needed, succs = f, succs[1:] // this case never fires
					} else if isBackgroundDone(sel.States[k].Chan, binds) {
						bgCtx, succs = true, succs[1:] // nothing cancels the context
					}
				}
			}
		}
		for _, s := range succs {
			if seen[s] {
				cycle = true
				continue
			}
			seen[s] = true
			stack = append(stack, s)
		}
	}
	return cycle || needed != nil, needed, bgCtx
}

// bindings maps the parameters and free variables of the goroutine body
// that g starts to the values g passes or captures.
func bindings(g *ssa.Go, body *ssa.Function) map[ssa.Value]ssa.Value {
	binds := make(map[ssa.Value]ssa.Value)
	common := g.Call
	if mc, ok := common.Value.(*ssa.MakeClosure); ok {
		for i, b := range mc.Bindings {
			if i < len(body.FreeVars) {
				binds[body.FreeVars[i]] = b
			}
		}
	}
	args := common.Args
	if len(args) == len(body.Params) {
		for i, p := range body.Params {
			binds[p] = args[i]
		}
	}
	return binds
}

// isBackgroundDone reports whether ch is ctx.Done() of a context that is
// context.Background() or context.TODO(): a channel that never fires.
func isBackgroundDone(ch ssa.Value, binds map[ssa.Value]ssa.Value) bool {
	call, ok := ch.(*ssa.Call)
	if !ok || !call.Common().IsInvoke() || call.Common().Method.Name() != "Done" {
		return false
	}
	return isBackground(call.Common().Value, binds, 4)
}

func isBackground(v ssa.Value, binds map[ssa.Value]ssa.Value, depth int) bool {
	if depth == 0 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Call:
		name := calleeName(v.Common())
		return name == "context.Background" || name == "context.TODO"
	case *ssa.Parameter, *ssa.FreeVar:
		b, ok := binds[v]
		return ok && isBackground(b, nil, depth-1)
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return false
		}
		return isBackground(storedIn(v.X, binds), binds, depth-1)
	}
	return false
}

// storedIn returns the one value stored in the local variable addr
// (following a captured variable to its cell), or nil.
func storedIn(addr ssa.Value, binds map[ssa.Value]ssa.Value) ssa.Value {
	if fv, ok := addr.(*ssa.FreeVar); ok {
		addr = binds[fv]
	}
	cell, ok := addr.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var val ssa.Value
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell {
			if val != nil {
				return nil // assigned twice
			}
			val = st.Val
		}
	}
	return val
}

// isTickerDrainTest matches the "ok" test of a range over a ticker's
// channel or time.Tick.
func isTickerDrainTest(instr *ssa.If) bool {
	ext, ok := instr.Cond.(*ssa.Extract)
	if !ok || ext.Index != 1 {
		return false
	}
	recv, ok := ext.Tuple.(*ssa.UnOp)
	if !ok || recv.Op != token.ARROW {
		return false
	}
	if call, ok := recv.X.(*ssa.Call); ok && calleeName(call.Common()) == "time.Tick" {
		return true
	}
	return isTimerChan(recv.X)
}

// ownerType returns the type a method or constructor is about.
func ownerType(root *ssa.Function) *types.Named {
	t := types.Type(nil)
	if recv := root.Signature.Recv(); recv != nil {
		t = recv.Type()
	} else if res := root.Signature.Results(); res.Len() > 0 {
		t = res.At(0).Type()
	}
	if t == nil {
		return nil
	}
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, _ := types.Unalias(t).(*types.Named)
	return named
}

// stopMethod returns "(*T).Close" for the first of Close, Stop and
// Shutdown that T has.
func stopMethod(t *types.Named) string {
	for _, name := range []string{"Close", "Stop", "Shutdown"} {
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), false, t.Obj().Pkg(), name)
		if fn, ok := obj.(*types.Func); ok {
			return fmt.Sprintf("(*%s).%s", t.Obj().Name(), fn.Name())
		}
	}
	return ""
}

// checkSkippedDone reports a goroutine that calls wg.Done without defer
// and can return without calling it.
func (c *checker) checkSkippedDone(parent *ssa.Function, g *ssa.Go, body *ssa.Function) {
	var dones []*ssa.Call
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Defer:
				if calleeName(instr.Common()) == "(*sync.WaitGroup).Done" {
					return // deferred: runs on every path.
				}
			case *ssa.Call:
				if calleeName(instr.Common()) == "(*sync.WaitGroup).Done" {
					dones = append(dones, instr)
				}
			}
		}
	}
	if len(dones) == 0 {
		return
	}
	for _, d := range dones {
		if inLoop(d) {
			return // a Done per item (wg.Add(len(items))), not per goroutine.
		}
	}
	wg := dones[0].Common().Args[0]
	if declaredIn(wg, body) {
		return // the goroutine's own WaitGroup, not its parent's.
	}
	if !addsFor(parent, wg, bindings(g, body)) {
		return // the parent does not count this goroutine: Done may count something else (a resource's lifetime).
	}
	s := c.newSearch()
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok && passesRef(call.Common(), wg) && c.mayCallDone(call.Common(), 3) {
				s.covers[instr] = true
			}
		}
	}
	s.goexitExits = true
	e := s.fromEntry(body)
	if e == nil || e.kind == exitWait {
		return
	}
	pos := e.pos
	if !pos.IsValid() {
		pos = endOf(body, dones[0].Pos()) // falls off the end
	}
	name := valueName(wg)
	how := "can return here"
	if e.kind == exitGoexit {
		how = "ends here (FailNow runs only its deferred calls)"
	}
	c.pass.Report(analysis.Diagnostic{
		Pos: pos, Category: "missing-done",
		Message: fmt.Sprintf("goroutine %s without calling %s.Done: %s.Wait then blocks forever; call defer %s.Done() at the start of the goroutine",
			how, name, name, name),
		Related: []analysis.RelatedInformation{{Pos: dones[0].Pos(), Message: "Done is called here only on some paths"}},
	})
}

// mayCallDone reports whether the call may call WaitGroup.Done: it is
// Done, or a function we cannot read, or one of ours that may call it.
// Inside our functions, calls to other packages' functions are taken not
// to call back; calls of function values may.
func (c *checker) mayCallDone(common *ssa.CallCommon, depth int) bool {
	if calleeName(common) == "(*sync.WaitGroup).Done" {
		return true
	}
	fn := common.StaticCallee()
	if fn == nil || fn.Pkg != c.pkg || fn.Blocks == nil || depth == 0 {
		return true // be conservative.
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			inner := call.Common().StaticCallee()
			if inner != nil && inner.Pkg != c.pkg && calleeName(call.Common()) != "(*sync.WaitGroup).Done" {
				continue // another package's function: it does not know our group.
			}
			if c.mayCallDone(call.Common(), depth-1) {
				return true
			}
		}
	}
	return false
}

// passesRef reports whether the call hands on wg, or the value wg is a
// field of: such a call may call Done.
func passesRef(common *ssa.CallCommon, wg ssa.Value) bool {
	for _, arg := range common.Args {
		if sameRef(arg, wg) || isBaseOf(arg, wg) {
			return true
		}
	}
	if mc, ok := common.Value.(*ssa.MakeClosure); ok {
		for _, b := range mc.Bindings {
			if sameRef(b, wg) || isBaseOf(b, wg) {
				return true
			}
		}
	}
	return false
}

// sameRef reports whether a and b denote the same variable.
func sameRef(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *ssa.FieldAddr:
		b, ok := b.(*ssa.FieldAddr)
		return ok && a.Field == b.Field && sameRef(a.X, b.X)
	case *ssa.UnOp:
		b, ok := b.(*ssa.UnOp)
		return ok && a.Op == token.MUL && b.Op == token.MUL && sameRef(a.X, b.X)
	}
	return false
}

// isBaseOf reports whether wg is a field reached from base.
func isBaseOf(base, wg ssa.Value) bool {
	for {
		switch v := wg.(type) {
		case *ssa.FieldAddr:
			wg = v.X
		case *ssa.UnOp:
			if v.Op != token.MUL {
				return false
			}
			wg = v.X
		default:
			return false
		}
		if sameRef(base, wg) {
			return true
		}
	}
}

// ownerName names the struct that declares field, for messages.
func ownerName(field *types.Var, owner *types.Named) string {
	if owner != nil {
		if st, ok := owner.Underlying().(*types.Struct); ok {
			for i := range st.NumFields() {
				if st.Field(i).Origin() == field {
					return owner.Obj().Name()
				}
			}
		}
	}
	return "channel"
}

// declaredIn reports whether the WaitGroup wg is a variable of fn itself
// (or a field of one).
func declaredIn(wg ssa.Value, fn *ssa.Function) bool {
	for {
		switch v := wg.(type) {
		case *ssa.Alloc:
			return v.Parent() == fn
		case *ssa.FieldAddr:
			wg = v.X
		case *ssa.UnOp:
			wg = v.X
		default:
			return false
		}
	}
}

// endOf returns the position of the closing brace of fn's body, or def.
func endOf(fn *ssa.Function, def token.Pos) token.Pos {
	switch syn := fn.Syntax().(type) {
	case *ast.FuncLit:
		return syn.Body.Rbrace
	case *ast.FuncDecl:
		if syn.Body != nil {
			return syn.Body.Rbrace
		}
	}
	return def
}

// addsFor reports whether parent calls Add on the WaitGroup that the
// goroutine body refers to as wg (binds maps the body's free variables
// and parameters to the parent's values).
func addsFor(parent *ssa.Function, wg ssa.Value, binds map[ssa.Value]ssa.Value) bool {
	root, path, ok := refKey(wg, binds)
	if !ok {
		return false
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || calleeName(call.Common()) != "(*sync.WaitGroup).Add" || len(call.Common().Args) == 0 {
				continue
			}
			r, p, ok := refKey(call.Common().Args[0], nil)
			if ok && r == root && p == path {
				return true
			}
		}
	}
	return false
}

// refKey describes the variable v denotes as a root value of the parent
// and a path of loads and fields from it.
func refKey(v ssa.Value, binds map[ssa.Value]ssa.Value) (ssa.Value, string, bool) {
	switch x := v.(type) {
	case *ssa.FieldAddr:
		root, path, ok := refKey(x.X, binds)
		return root, path + "." + strconv.Itoa(x.Field), ok
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil, "", false
		}
		root, path, ok := refKey(x.X, binds)
		return root, path + "*", ok
	case *ssa.FreeVar, *ssa.Parameter:
		if b, found := binds[x]; found {
			return refKey(b, nil)
		}
		return x, "", binds == nil
	case *ssa.Alloc, *ssa.Global:
		return x, "", true
	}
	return nil, "", false
}

// returnsAfter reports whether the function of instr can return once
// instr has run: a return is reachable from it without passing a wait
// that never ends (select {}, or a receive from a channel made there
// that nothing else uses: <-make(chan struct{})).
func returnsAfter(instr ssa.Instruction) bool {
	// scan reports whether instrs reach a return before a wait that never ends.
	scan := func(instrs []ssa.Instruction) (returns, blocks bool) {
		for _, in := range instrs {
			switch in := in.(type) {
			case *ssa.Return:
				return true, false
			case *ssa.Select:
				if len(in.States) == 0 && in.Blocking {
					return false, true
				}
			case *ssa.UnOp:
				if mk, ok := in.X.(*ssa.MakeChan); ok && in.Op == token.ARROW && onlyUse(mk, in) {
					return false, true
				}
			}
		}
		return false, false
	}
	start := instr.Block()
	for i, in := range start.Instrs {
		if in != instr {
			continue
		}
		if returns, blocks := scan(start.Instrs[i+1:]); returns || blocks {
			return returns
		}
		break
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), start.Succs...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		returns, blocks := scan(b.Instrs)
		if returns {
			return true
		}
		if !blocks {
			stack = append(stack, b.Succs...)
		}
	}
	return false
}

// onlyUse reports whether use is the only use of v (debug references
// aside).
func onlyUse(v ssa.Value, use ssa.Instruction) bool {
	for _, r := range *v.Referrers() {
		if _, ok := r.(*ssa.DebugRef); !ok && r != use {
			return false
		}
	}
	return true
}
