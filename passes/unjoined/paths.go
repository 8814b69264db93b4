package unjoined

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// An exitKind says how a function leaves without doing what a goroutine
// waits for.
type exitKind int

const (
	exitReturn  exitKind = iota // a return that skips the partner operation
	exitCase                    // a select case other than the partner's
	exitLoop                    // a break or return out of the receive loop
	exitWait                    // a Wait on the group that the goroutine signals
	exitNoRecv                  // there is no receive at all
	exitOneRecv                 // one receive for many sends
	exitGoexit                  // t.FailNow or runtime.Goexit ends the goroutine
)

// An exit is the witness of a path on which the maker abandons the goroutine.
type exit struct {
	kind exitKind
	pos  token.Pos
	what string      // for exitCase: the case that is taken ("ctx.Done()")
	sel  *ssa.Select // for exitCase: the select of that case
}

// A search looks for a path from an instruction to the end of its function
// that never reaches a covering instruction.
type search struct {
	covers map[ssa.Instruction]bool
	cases  map[*ssa.Select]map[int]bool // select cases that cover
	waits  map[ssa.Instruction]bool     // reaching one is a deadlock
	loop   *loop                        // when set, only the loop's normal exit covers
	seen   map[*ssa.BasicBlock]bool
	exits  []*exit // found so far
	// dead are select cases that can never fire: sends on channels that
	// nothing receives from.
	dead map[*ssa.Select]map[int]bool
	// joined are select cases that fire only once every goroutine that
	// could block has finished (coverJoins): taking one abandons nothing.
	joined map[*ssa.Select]map[int]bool
	// coverHeaders are the headers of the loops that hold a covering
	// instruction: a loop that runs its course is taken to have run it
	// (for i := range n { if i == k { ch <- v } }).
	coverHeaders map[*ssa.BasicBlock]bool
	// cancelStops, when set, reports whether the goroutines stop with a
	// given context: a branch taken only when it is cancelled is then no
	// exit (cancel.go).
	cancelStops func(ctx ssa.Value) bool
	// stops says whether a call ends the goroutine or the process
	// (stops.go); nothing after it matters to the walk.
	stops func(*ssa.CallCommon) stopKind
	// goexitExits: a call that ends the goroutine (t.FailNow,
	// runtime.Goexit) is an exit, as when walking a goroutine's own
	// body: its deferred calls run, the rest of it does not.
	goexitExits bool
}

func (c *checker) newSearch() *search {
	return &search{
		stops:        c.stops,
		covers:       make(map[ssa.Instruction]bool),
		cases:        make(map[*ssa.Select]map[int]bool),
		waits:        make(map[ssa.Instruction]bool),
		seen:         make(map[*ssa.BasicBlock]bool),
		coverHeaders: make(map[*ssa.BasicBlock]bool),
	}
}

// cover marks the use u (an anchor of the maker) as covering.
func (s *search) cover(instr ssa.Instruction, state int) {
	s.coverLoopOf(instr)
	if sel, ok := instr.(*ssa.Select); ok && state >= 0 {
		if s.cases[sel] == nil {
			s.cases[sel] = make(map[int]bool)
		}
		s.cases[sel][state] = true
		return
	}
	s.covers[instr] = true
}

// coverLoopOf records the loop that holds instr (without covering instr
// itself): the loop is taken to reach it before it runs its course.
func (s *search) coverLoopOf(instr ssa.Instruction) {
	if l := loopOf(instr.Block()); l != nil {
		s.coverHeaders[l.Header] = true
	}
}

// from returns an exit reachable from just after start, or nil when every
// path is covered. When there are several, it prefers the one that best
// explains the leak: a wait, a ctx.Done() or timeout case, another case,
// a loop exit, a plain return.
func (s *search) from(start ssa.Instruction) *exit {
	b := start.Block()
	for i, instr := range b.Instrs {
		if instr == start {
			s.walk(b, i+1, nil)
			break
		}
	}
	return s.best()
}

// fromEntry is from for the entry of fn.
func (s *search) fromEntry(fn *ssa.Function) *exit {
	s.seen[fn.Blocks[0]] = true
	s.walk(fn.Blocks[0], 0, nil)
	return s.best()
}

func (s *search) best() *exit {
	var best *exit
	for _, e := range s.exits {
		if best == nil || rank(e) < rank(best) {
			best = e
		}
	}
	return best
}

func rank(e *exit) int {
	switch {
	case e.kind == exitWait:
		return 0
	case e.kind == exitCase && (e.what == "ctx.Done()" || e.what == "a timeout" || e.what == "a timer"):
		return 1
	case e.kind == exitCase:
		return 2
	case e.kind == exitLoop:
		return 3
	}
	return 4
}

func (s *search) walk(b *ssa.BasicBlock, i int, via *exit) {
	for ; i < len(b.Instrs); i++ {
		instr := b.Instrs[i]
		if s.covers[instr] {
			return
		}
		if s.waits[instr] {
			s.exits = append(s.exits, &exit{kind: exitWait, pos: instr.Pos()})
			return
		}
		switch instr := instr.(type) {
		case *ssa.Return:
			switch {
			case via != nil:
				s.exits = append(s.exits, via)
			case s.loop != nil && s.loop.Body[b]:
				s.exits = append(s.exits, &exit{kind: exitLoop, pos: instr.Pos()})
			default:
				s.exits = append(s.exits, &exit{kind: exitReturn, pos: instr.Pos()})
			}
			return
		case *ssa.Panic:
			return // the program crashes anyway
		case *ssa.Call:
			switch s.stops(instr.Common()) {
			case endsProcess:
				return
			case endsGoroutine:
				if s.goexitExits {
					s.exits = append(s.exits, &exit{kind: exitGoexit, pos: instr.Pos()})
				}
				return
			}
		case *ssa.If:
			s.walkIf(b, instr, via)
			return
		}
	}
	for _, succ := range b.Succs {
		s.edge(b, succ, via)
	}
}

// walkIf follows the branches of an If, recognising the case tests that
// go/ssa emits after a select.
func (s *search) walkIf(b *ssa.BasicBlock, instr *ssa.If, via *exit) {
	if s.cancelStops != nil {
		if cancelled, ctx := cancelBranch(b, instr); cancelled != nil && s.cancelStops(ctx) {
			for _, succ := range b.Succs {
				if succ != cancelled {
					s.edge(b, succ, via)
				}
			}
			return
		}
	}
	if isTickerDrainTest(instr) {
		s.edge(b, b.Succs[0], via) // a ticker's channel is never closed
		return
	}
	sel, k, ok := selectTest(instr)
	if !ok || (s.cases[sel] == nil && s.dead[sel] == nil && s.joined[sel] == nil) {
		for _, succ := range b.Succs {
			s.edge(b, succ, via)
		}
		return
	}
	if s.dead[sel][k] {
		s.edge(b, b.Succs[1], via) // this case never fires
		return
	}
	if s.joined[sel][k] {
		s.edge(b, b.Succs[1], via) // taking this case abandons nothing
		return
	}
	if s.cases[sel][k] {
		if s.loop != nil { // in a receive loop, one receive is not enough
			s.edge(b, b.Succs[0], via)
		}
	} else {
		s.edge(b, b.Succs[0], caseExit(sel, k))
	}
	elseVia := via
	if !sel.Blocking && k == len(sel.States)-1 {
		elseVia = &exit{kind: exitCase, pos: sel.Pos(), what: "the select's default case", sel: sel}
	}
	s.edge(b, b.Succs[1], elseVia)
}

// caseExit is the exit through case k of sel. It replaces an earlier one:
// the parent may go on receiving after a case that did not return, so the
// last case on the path is the one that gives up.
func caseExit(sel *ssa.Select, k int) *exit {
	st := sel.States[k]
	return &exit{kind: exitCase, pos: st.Pos, what: describeCase(st), sel: sel}
}

// edge follows the edge b->succ.
func (s *search) edge(b, succ *ssa.BasicBlock, via *exit) {
	if s.skipsCoveringLoop(b, succ) {
		return // the guard of a range loop: zero iterations, zero goroutines
	}
	if l := loopOf(b); l != nil && !l.Body[succ] && (b == l.Header && isLoopCondition(b) || isCounterTest(b)) &&
		(s.loop == nil || s.loop.Header != l.Header) {
		// The normal exit of a loop (at its header, or at the bottom of a
		// rotated range-over-int loop). A select case inside it that did
		// not leave the loop is no way out: the loop went on after it.
		if via != nil && via.sel != nil && l.Body[via.sel.Block()] {
			via = nil
		}
		if via == nil && s.coverHeaders[l.Header] {
			return // the loop ran its course, covering instruction included
		}
	}
	if l := s.loop; l != nil && l.Body[b] && !l.Body[succ] {
		if b == l.Header && isLoopCondition(b) {
			return // the loop ran its course: every receive happened
		}
		if isCounterTest(b) {
			return // "n--; if n == 0", or a rotated loop's test: the loop counted its receives
		}
		if via == nil {
			via = &exit{kind: exitLoop, pos: lastPos(b)}
		}
	}
	if s.seen[succ] {
		return
	}
	s.seen[succ] = true
	s.walk(succ, 0, via)
}

// skipsCoveringLoop reports whether b->succ is the else edge of the guard
// go/ssa puts before a rotated range-over-int loop that holds a covering
// instruction ("if 0 < n { loop }"): the loop runs zero times only when
// there is nothing to count.
func (s *search) skipsCoveringLoop(b, succ *ssa.BasicBlock) bool {
	if len(b.Succs) != 2 || b.Succs[1] != succ {
		return false
	}
	h := b.Succs[0]
	if !s.coverHeaders[h] && (s.loop == nil || s.loop.Header != h) {
		return false
	}
	l := headerLoop(h)
	return l != nil && !l.Body[b]
}

func lastPos(b *ssa.BasicBlock) token.Pos {
	for i := len(b.Instrs) - 1; i >= 0; i-- {
		if pos := b.Instrs[i].Pos(); pos.IsValid() {
			return pos
		}
	}
	return token.NoPos
}

// selectTest matches "if extract(select, 0) == k", the test go/ssa emits
// for case k of a select.
func selectTest(instr *ssa.If) (*ssa.Select, int, bool) {
	cond, ok := instr.Cond.(*ssa.BinOp)
	if !ok || cond.Op != token.EQL {
		return nil, 0, false
	}
	ext, ok := cond.X.(*ssa.Extract)
	if !ok || ext.Index != 0 {
		return nil, 0, false
	}
	sel, ok := ext.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0, false
	}
	c, ok := cond.Y.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return nil, 0, false
	}
	k, exact := constant.Int64Val(c.Value)
	if !exact || k < 0 || int(k) >= len(sel.States) {
		return nil, 0, false
	}
	return sel, int(k), true
}

// describeCase names the channel of a select case for a message.
func describeCase(st *ssa.SelectState) string {
	if st.Dir == types.SendOnly {
		return "a send on " + valueName(st.Chan)
	}
	if call, ok := st.Chan.(*ssa.Call); ok {
		common := call.Common()
		if common.IsInvoke() && common.Method.Name() == "Done" {
			return "ctx.Done()"
		}
		switch calleeName(common) {
		case "time.After", "time.Tick":
			return "a timeout"
		}
	}
	if isTimerChan(st.Chan) {
		return "a timer"
	}
	return "<-" + valueName(st.Chan)
}

// isTimerChan reports whether v is the C field of a time.Timer or Ticker.
func isTimerChan(v ssa.Value) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "time" {
		return false
	}
	return named.Obj().Name() == "Timer" || named.Obj().Name() == "Ticker"
}

// valueName returns a source-like name for v.
func valueName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.FreeVar:
		return v.Name()
	case *ssa.Parameter:
		return v.Name()
	case *ssa.Global:
		return v.Name()
	case *ssa.Alloc:
		if v.Comment != "" {
			return v.Comment
		}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return valueName(v.X)
		}
	case *ssa.FieldAddr:
		if st, ok := typeparamsDeref(v.X.Type()).Underlying().(*types.Struct); ok && v.Field < st.NumFields() {
			return valueName(v.X) + "." + st.Field(v.Field).Name()
		}
	case *ssa.ChangeType:
		return valueName(v.X)
	case *ssa.Call:
		if name := v.Common().Value.Name(); name != "" {
			return name + "()"
		}
	}
	return "it"
}

func typeparamsDeref(t types.Type) types.Type {
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		return ptr.Elem()
	}
	return t
}

// A loop is a natural loop of a function's control-flow graph.
type loop = code.Loop

// isCounterTest reports whether b ends in a test of a counter it has just
// stepped, "n--; if n == 0" or "i++; if i == len(xs)": a loop that leaves
// on it has counted its way out (internal/fuzz's CoordinateFuzzing).
func isCounterTest(b *ssa.BasicBlock) bool {
	if len(b.Instrs) == 0 {
		return false
	}
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	cond, ok := ifInstr.Cond.(*ssa.BinOp)
	if !ok {
		return false
	}
	for _, side := range []ssa.Value{cond.X, cond.Y} {
		step, ok := side.(*ssa.BinOp)
		if !ok || step.Block() != b || (step.Op != token.ADD && step.Op != token.SUB) {
			continue
		}
		if c, ok := step.Y.(*ssa.Const); ok && c.Value != nil && c.Value.String() == "1" {
			return true
		}
	}
	return false
}

// isLoopCondition reports whether b ends in the test of a loop condition
// (for cond, for range), not in the case test of a select that heads a
// for {} loop.
func isLoopCondition(b *ssa.BasicBlock) bool {
	if len(b.Instrs) == 0 {
		return false
	}
	cond, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	_, _, isSelect := selectTest(cond)
	return !isSelect
}

// headerLoop returns the loop whose header is h, or nil.
func headerLoop(h *ssa.BasicBlock) *loop { return code.NaturalLoop(h) }

// loopOf returns the innermost loop that contains b, or nil.
func loopOf(b *ssa.BasicBlock) *loop { return code.InnermostLoop(b) }

// inLoop reports whether instr sits in a cycle of its function.
func inLoop(instr ssa.Instruction) bool {
	start := instr.Block()
	seen := make(map[*ssa.BasicBlock]bool)
	var reach func(b *ssa.BasicBlock) bool
	reach = func(b *ssa.BasicBlock) bool {
		for _, s := range b.Succs {
			if s == start {
				return true
			}
			if !seen[s] {
				seen[s] = true
				if reach(s) {
					return true
				}
			}
		}
		return false
	}
	return reach(start)
}
