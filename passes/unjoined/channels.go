package unjoined

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/format"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// A tracked channel: its flow and what the messages call it.
type channel struct {
	*flow
	capacity int64
	name     string
	make     *ast.CallExpr // nil when the make call is not found
}

// checkChannels looks at every channel made in fn whose every use we can
// see, for goroutines that block on it after fn stopped being a partner.
func (c *checker) checkChannels(fn *ssa.Function, groups []*flow) {
	var all []*channel
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if mk, ok := instr.(*ssa.MakeChan); ok {
				all = append(all, &channel{flow: c.trace(fn, mk), capacity: -1})
			}
		}
	}
	for _, ch := range all {
		mk := ch.origin.(*ssa.MakeChan)
		size, ok := mk.Size.(*ssa.Const)
		if !ok || size.Value == nil || size.Value.Kind() != constant.Int {
			continue // a computed capacity: assume it was sized for the job.
		}
		if ch.escaped {
			continue // some partner may hide where we cannot look.
		}
		ch.capacity, _ = constant.Int64Val(size.Value)
		ch.make, ch.name = c.makeSite(mk.Pos())
		if ch.name == "" {
			ch.name = "the channel"
		}
		if !c.checkAbandonedSend(ch, all, groups) {
			c.checkAbandonedReceive(ch, all, groups)
		}
	}
}

// markDeadCases marks the maker's select cases that send on a channel
// nothing receives from: they never fire.
func markDeadCases(s *search, all []*channel) {
	for _, other := range all {
		if other.escaped {
			continue
		}
		received := false
		for _, u := range other.uses {
			if isRecv(u.kind) {
				received = true
			}
		}
		if received {
			continue
		}
		for _, u := range other.uses {
			if sel, ok := u.instr.(*ssa.Select); ok && u.kind == useSelSend && u.anchor == u.instr {
				if s.dead == nil {
					s.dead = make(map[*ssa.Select]map[int]bool)
				}
				if s.dead[sel] == nil {
					s.dead[sel] = make(map[int]bool)
				}
				s.dead[sel][u.state] = true
			}
		}
	}
}

// coverSignals marks as covering the maker's receives from channels
// (other than ch) that the goroutine started at spawn itself closes or
// sends on: taking such a case means the goroutine got that far, and it
// usually signals so when it is done (close(received); return).
func coverSignals(s *search, ch *channel, spawn ssa.Instruction, all []*channel) {
	for _, other := range all {
		if other == ch || other.escaped {
			continue
		}
		signalled := false
		for _, u := range other.uses {
			if u.thread == spawn && (u.kind == useClose || isSend(u.kind)) && !sendsAfter(ch, spawn, u.instr) {
				signalled = true
			}
		}
		if !signalled {
			continue
		}
		for _, u := range other.uses {
			if u.thread == nil && isRecv(u.kind) {
				state := u.state
				if u.anchor != u.instr {
					state = -1
				}
				s.cover(u.anchor, state)
			}
		}
	}
}

func isRecv(k useKind) bool { return k == useRecv || k == useSelRecv || k == useDrain }
func isSend(k useKind) bool { return k == useSend || k == useSelSend }

// checkAbandonedSend reports goroutines that send on ch while their only
// receiver, the maker, may stop receiving. It reports whether it reported.
func (c *checker) checkAbandonedSend(ch *channel, all []*channel, groups []*flow) bool {
	byThread := threads(ch.flow)
	var senders []ssa.Instruction
	sends, many := 0, false
	for _, t := range spawnOrder(byThread) {
		var sendInstrs []ssa.Instruction
		for _, u := range byThread[t] {
			if u.kind == useSend {
				sendInstrs = append(sendInstrs, u.instr)
				many = many || inLoop(u.instr)
			}
		}
		n := maxOnAPath(sendInstrs)
		if n > 0 {
			senders = append(senders, t)
			sends += n
			many = many || inLoop(t) && !freshPerTurn(ch.origin, t)
		}
	}
	if len(senders) == 0 {
		return false
	}
	var parentRecvs []use
	for _, u := range ch.uses {
		switch {
		case !isRecv(u.kind):
		case u.thread == nil && !u.deferred:
			parentRecvs = append(parentRecvs, u)
		default:
			return false // another goroutine, or a deferred call, receives too.
		}
	}
	if many && ch.capacity > 0 && !outrunsBuffer(senders, byThread, parentRecvs) {
		return false // a buffer meant for the job (semaphores, pools).
	}
	if !many && int64(sends) <= ch.capacity {
		return false // every send fits in the buffer.
	}
	for _, s := range senders {
		if s.Parent() != ch.maker {
			return false // started elsewhere: the maker's paths say nothing.
		}
	}
	e := c.sendExit(ch, senders[0], parentRecvs, many, all, groups)
	if e == nil {
		return false
	}
	c.reportSend(ch, senders[0], byThread[senders[0]], e, sends == 1 && !many)
	return true
}

// sendExit returns how the maker can abandon the sends of the goroutine
// started at spawn, or nil.
func (c *checker) sendExit(ch *channel, spawn ssa.Instruction, recvs []use, many bool, all []*channel, groups []*flow) *exit {
	if len(recvs) == 0 {
		return &exit{kind: exitNoRecv}
	}
	s := c.newSearch()
	for _, u := range recvs {
		state := u.state
		if u.anchor != u.instr {
			state = -1
		}
		if many && state < 0 {
			s.coverLoopOf(u.anchor)
			continue // in a receive loop only the loop's normal exit covers.
		}
		s.cover(u.anchor, state)
	}
	c.addWaits(s, ch.maker, spawn, firstOf(threads(ch.flow)[spawn], useSend).instr, groups)
	coverSignals(s, ch, spawn, all)
	coverJoins(s, ch, all, groups)
	markDeadCases(s, all)
	if many {
		l := loopOf(recvs[0].anchor.Block())
		if l == nil {
			if len(recvs) > 1 {
				return nil // several receives in a row: we cannot count them.
			}
			s.cover(recvs[0].anchor, recvs[0].state)
			if e := s.from(spawn); e != nil {
				return e // even the one receive can be skipped: say how.
			}
			return &exit{kind: exitOneRecv, pos: recvs[0].anchor.Pos()}
		}
		if l.Body[spawn.Block()] {
			return nil // started and received in one loop: the counts match.
		}
		s.loop = l
	}
	return s.from(spawn)
}

// addWaits marks the maker's Waits on a group that the goroutine started
// at spawn signals: reaching one before the partner operation deadlocks.
// The goroutine is tied to the group when it is the group's (its end is
// the Done) or when it calls Done after the blocking operation op: a
// Done that signals "started" before the send releases the Wait.
func (c *checker) addWaits(s *search, maker *ssa.Function, spawn, op ssa.Instruction, groups []*flow) {
	for _, g := range groups {
		if !tiedTo(g, spawn, op) {
			continue
		}
		for _, u := range g.uses {
			if u.kind == useWait && u.thread == nil && !u.deferred && u.anchor.Parent() == maker {
				s.waits[u.anchor] = true
			}
		}
	}
}

// tiedTo reports whether the goroutine started at spawn belongs to the
// group g in a way that its Wait waits for op, the goroutine's blocking
// operation: the goroutine is the group's (started by g.Go, its end is
// the Done), or it calls Done after op or in a defer.
func tiedTo(g *flow, spawn, op ssa.Instruction) bool {
	for _, u := range g.uses {
		switch {
		case u.kind == useGo && u.instr == spawn:
			return true
		case u.kind == useDone && u.thread == spawn:
			if _, deferred := u.instr.(*ssa.Defer); deferred || reachesAfter(op, u.instr) {
				return true
			}
		}
	}
	return false
}

// coverJoins marks as covering the maker's receives from a channel that
// is closed (or sent on) only after a Wait on a group that joins every
// goroutine sending on ch:
//
//	go func() { wg.Wait(); close(done) }()
//	select {
//	case err := <-errc: ...
//	case <-done: return nil // every sender has finished: none is pending
//	}
//
// When such a receive completes, every send on ch has completed, so
// leaving on it abandons nothing. Unlike a plain covering receive it
// covers a receive loop too: no send is left to receive.
func coverJoins(s *search, ch *channel, all []*channel, groups []*flow) {
	byThread := threads(ch.flow)
	var sends []use // the first send of each sending goroutine
	for _, t := range spawnOrder(byThread) {
		if u := firstOf(byThread[t], useSend); u != nil {
			sends = append(sends, *u)
		}
	}
	if len(sends) == 0 {
		return
	}
	for _, other := range all {
		if other == ch || other.escaped || !signalledAfterJoin(other, sends, groups) {
			continue
		}
		for _, u := range other.uses {
			if u.thread != nil || u.deferred || !isRecv(u.kind) {
				continue
			}
			if sel, ok := u.anchor.(*ssa.Select); ok && u.anchor == u.instr && u.state >= 0 {
				if s.joined == nil {
					s.joined = make(map[*ssa.Select]map[int]bool)
				}
				if s.joined[sel] == nil {
					s.joined[sel] = make(map[int]bool)
				}
				s.joined[sel][u.state] = true
			} else if u.anchor == u.instr {
				s.covers[u.anchor] = true
			}
		}
	}
}

// signalledAfterJoin reports whether every close of and send on other
// comes after a Wait, in the same goroutine, on a group that every one
// of sends' goroutines is tied to, and there is at least one.
func signalledAfterJoin(other *channel, sends []use, groups []*flow) bool {
	signals := 0
	for _, u := range other.uses {
		if u.kind != useClose && !isSend(u.kind) {
			continue
		}
		if u.deferred || !afterJoin(u, sends, groups) {
			return false
		}
		signals++
	}
	return signals > 0
}

// afterJoin reports whether u runs only after a Wait on a group that
// joins the goroutine of every one of sends.
func afterJoin(u use, sends []use, groups []*flow) bool {
	for _, g := range groups {
		tied := true
		for _, snd := range sends {
			if !tiedTo(g, snd.thread, snd.instr) {
				tied = false
				break
			}
		}
		if !tied {
			continue
		}
		for _, w := range g.uses {
			if w.kind == useWait && w.thread == u.thread && !w.deferred && dominates(w.instr, u.instr) {
				return true
			}
		}
	}
	return false
}

// dominates reports whether a runs before b on every path to b.
func dominates(a, b ssa.Instruction) bool {
	if a.Parent() != b.Parent() {
		return false
	}
	if a.Block() != b.Block() {
		return a.Block().Dominates(b.Block())
	}
	for _, instr := range a.Block().Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// sendsAfter reports whether the goroutine started at spawn can send on
// ch after instr: then a signal at instr does not mean it is done
// (close(greetDone) half-way through the goroutine).
func sendsAfter(ch *channel, spawn, instr ssa.Instruction) bool {
	for _, u := range ch.uses {
		if u.thread == spawn && u.kind == useSend && reachesAfter(instr, u.instr) {
			return true
		}
	}
	return false
}

// reachesAfter reports whether to runs after from on some path of their
// function (false when they are in different functions).
func reachesAfter(from, to ssa.Instruction) bool {
	if from.Parent() != to.Parent() {
		return false
	}
	b := from.Block()
	after := false
	for _, instr := range b.Instrs {
		if instr == from {
			after = true
		} else if instr == to && after {
			return true // same block, later
		}
	}
	seen := make(map[*ssa.BasicBlock]bool)
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if x == to.Block() {
			return true
		}
		stack = append(stack, x.Succs...)
	}
	return false
}

// firstOf returns the first use of the given kinds.
func firstOf(uses []use, kinds ...useKind) *use {
	for i := range uses {
		for _, k := range kinds {
			if uses[i].kind == k {
				return &uses[i]
			}
		}
	}
	return nil
}

func usePos(u *use, spawn ssa.Instruction) token.Pos {
	if pos := u.instr.Pos(); pos.IsValid() {
		return pos
	}
	return spawn.Pos()
}

func (c *checker) describeChan(ch *channel) string {
	if ch.capacity == 0 {
		return "unbuffered channel " + ch.name
	}
	return fmt.Sprintf("channel %s (capacity %d)", ch.name, ch.capacity)
}

// reportSend reports the blocking send of the goroutine started at spawn.
func (c *checker) reportSend(ch *channel, spawn ssa.Instruction, uses []use, e *exit, oneSend bool) {
	send := firstOf(uses, useSend)
	parent := c.displayName(ch.maker)
	cure := fmt.Sprintf("give %s a buffer for every send or send in a select with ctx.Done()", ch.name)
	if oneSend {
		cure = fmt.Sprintf("make %s with capacity 1 or send in a select with ctx.Done()", ch.name)
	}
	who, repeated := "goroutine sends", "goroutine sends repeatedly"
	if inLoop(spawn) && !freshPerTurn(ch.origin, spawn) {
		who, repeated = "goroutines send", "goroutines send"
	}
	var msg, related string
	switch e.kind {
	case exitCase:
		msg = fmt.Sprintf("%s on %s, but %s stops receiving when it returns on %s: the send blocks forever and its goroutine leaks; %s", who, c.describeChan(ch), parent, e.what, cure)
		related = "the parent gives up here"
	case exitReturn:
		msg = fmt.Sprintf("%s on %s, but %s can return without receiving from it: the send blocks forever and its goroutine leaks; %s", who, c.describeChan(ch), parent, cure)
		related = "the parent returns here without receiving"
	case exitLoop:
		msg = fmt.Sprintf("%s on %s, but %s can leave its receive loop early: the remaining sends block forever and leak their goroutine; %s", repeated, c.describeChan(ch), parent, cure)
		related = "the parent leaves the receive loop here"
	case exitWait:
		msg = fmt.Sprintf("%s on %s, but %s waits for it before receiving: the send and the Wait block each other forever; receive before waiting, or %s", who, c.describeChan(ch), parent, cure)
		related = "the parent waits here"
	case exitNoRecv:
		msg = fmt.Sprintf("%s on %s, but nothing ever receives from it: the send blocks forever and its goroutine leaks", who, c.describeChan(ch))
	case exitOneRecv:
		msg = fmt.Sprintf("%s on %s, but %s receives only once: the other sends block forever and leak their goroutine; %s", repeated, c.describeChan(ch), parent, cure)
		related = "the only receive"
	}
	d := analysis.Diagnostic{Pos: usePos(send, spawn), Category: "blocked-send", Message: msg}
	if related != "" && e.pos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: e.pos, Message: related}}
	}
	if oneSend && ch.capacity == 0 && ch.make != nil {
		if edit, ok := capacityEdit(ch.make); ok {
			d.SuggestedFixes = append(d.SuggestedFixes, analysis.SuggestedFix{
				Message:   "Give the channel capacity 1",
				TextEdits: []analysis.TextEdit{edit},
			})
		}
	}
	if e.kind == exitCase && e.what == "ctx.Done()" {
		if fix, ok := c.selectFix(send, e.pos); ok {
			d.SuggestedFixes = append(d.SuggestedFixes, fix)
		}
	}
	c.pass.Report(d)
}

// capacityEdit turns make(chan T) or make(chan T, 0) into make(chan T, 1).
func capacityEdit(mk *ast.CallExpr) (analysis.TextEdit, bool) {
	switch len(mk.Args) {
	case 1:
		return analysis.TextEdit{Pos: mk.Rparen, End: mk.Rparen, NewText: []byte(", 1")}, true
	case 2:
		if lit, ok := ast.Unparen(mk.Args[1]).(*ast.BasicLit); ok && lit.Value == "0" {
			return analysis.TextEdit{Pos: lit.Pos(), End: lit.End(), NewText: []byte("1")}, true
		}
	}
	return analysis.TextEdit{}, false // a named constant: leave it to the author
}

// selectFix returns the fix that wraps the goroutine's send in a select
// with the ctx.Done() case the parent leaves by, when the send is a send
// statement and that ctx is a variable the send can see.
func (c *checker) selectFix(send *use, casePos token.Pos) (analysis.SuggestedFix, bool) {
	sendStmt, _ := c.nodeAt(send.instr.Pos(), func(n ast.Node) bool {
		st, ok := n.(*ast.SendStmt)
		return ok && st.Arrow == send.instr.Pos()
	}).(*ast.SendStmt)
	doneRecv, _ := c.nodeAt(casePos, func(n ast.Node) bool {
		u, ok := n.(*ast.UnaryExpr)
		return ok && u.OpPos == casePos
	}).(*ast.UnaryExpr)
	if sendStmt == nil || doneRecv == nil {
		return analysis.SuggestedFix{}, false
	}
	call, ok := ast.Unparen(doneRecv.X).(*ast.CallExpr)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	ctxID, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return analysis.SuggestedFix{}, false // ctx is not a plain variable
	}
	obj := c.pass.TypesInfo.Uses[ctxID]
	scope := c.pass.Pkg.Scope().Innermost(sendStmt.Pos())
	if obj == nil || scope == nil {
		return analysis.SuggestedFix{}, false
	}
	if _, seen := scope.LookupParent(ctxID.Name, sendStmt.Pos()); seen != obj {
		return analysis.SuggestedFix{}, false // not visible, or shadowed, at the send
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, c.pass.Fset, sendStmt); err != nil {
		return analysis.SuggestedFix{}, false
	}
	text := "select {\ncase " + buf.String() + ":\ncase <-" + ctxID.Name + ".Done():\n}"
	return analysis.SuggestedFix{
		Message:   "Send in a select with ctx.Done()",
		TextEdits: []analysis.TextEdit{{Pos: sendStmt.Pos(), End: sendStmt.End(), NewText: []byte(text)}},
	}, true
}

// nodeAt returns the first node of the file holding pos, in preorder,
// that spans pos and satisfies match.
func (c *checker) nodeAt(pos token.Pos, match func(ast.Node) bool) ast.Node {
	var found ast.Node
	for _, file := range c.pass.Files {
		if file.FileStart > pos || pos > file.FileEnd {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if found != nil || n == nil || n.Pos() > pos || n.End() < pos {
				return false
			}
			if match(n) {
				found = n
				return false
			}
			return true
		})
	}
	return found
}

// checkAbandonedReceive reports goroutines that receive from ch while
// their only sender or closer, the maker, may return without either.
func (c *checker) checkAbandonedReceive(ch *channel, all []*channel, groups []*flow) {
	byThread := threads(ch.flow)
	for _, u := range ch.uses {
		if (isSend(u.kind) || u.kind == useClose) && (u.thread != nil || u.deferred) {
			return // another goroutine or a deferred call sends or closes.
		}
	}
	for _, spawn := range spawnOrder(byThread) {
		uses := byThread[spawn]
		drain := firstOf(uses, useDrain)
		recv := firstOf(uses, useRecv)
		if (drain == nil && recv == nil) || spawn.Parent() != ch.maker {
			continue
		}
		if closedBefore(ch.uses, spawn) {
			continue // closed before the goroutine starts: its receives end at once.
		}
		s := c.newSearch()
		for _, u := range ch.uses {
			if u.thread == nil && (u.kind == useClose || (drain == nil && isSend(u.kind))) {
				state := u.state
				if u.anchor != u.instr {
					state = -1
				}
				s.cover(u.anchor, state) // a select send covers only on its own case
			}
		}
		if drain == nil && (inLoop(recv.instr) || inLoop(spawn)) {
			continue // a receive per send: we cannot count them.
		}
		op := recv
		if drain != nil {
			op = drain
		}
		c.addWaits(s, ch.maker, spawn, op.instr, groups)
		markDeadCases(s, all)
		e := s.from(spawn)
		if e == nil {
			continue
		}
		c.reportReceive(ch, spawn, drain, recv, e)
		return
	}
}

// closedBefore reports whether the maker closes the channel on every
// path to the instruction spawn, before it: the close dominates it.
func closedBefore(uses []use, spawn ssa.Instruction) bool {
	for _, u := range uses {
		if u.kind != useClose || u.thread != nil || u.deferred || u.instr.Parent() != spawn.Parent() {
			continue
		}
		cb, sb := u.instr.Block(), spawn.Block()
		if cb == sb && indexOf(cb, u.instr) < indexOf(sb, spawn) || cb != sb && cb.Dominates(sb) {
			return true
		}
	}
	return false
}

func (c *checker) reportReceive(ch *channel, spawn ssa.Instruction, drain, recv *use, e *exit) {
	parent := c.displayName(ch.maker)
	op, missing, cure := "receives from", "sending on or closing it", fmt.Sprintf("close %s on every path (defer close(%s))", ch.name, ch.name)
	u := recv
	if drain != nil {
		u = drain
		op, missing = "receives from "+ch.name+" until it is closed", "closing it"
	} else {
		op += " " + ch.name
	}
	var msg, related string
	switch e.kind {
	case exitCase:
		msg = fmt.Sprintf("goroutine %s, but %s can return on %s without %s: the goroutine blocks forever; %s", op, parent, e.what, missing, cure)
		related = "the parent returns on this case"
	case exitWait:
		msg = fmt.Sprintf("goroutine %s, but %s waits for it before %s: both block forever; %s before waiting", op, parent, missing, cure)
		related = "the parent waits here"
	default:
		msg = fmt.Sprintf("goroutine %s, but %s can return without %s: the goroutine blocks forever; %s", op, parent, missing, cure)
		related = "the parent returns here"
	}
	d := analysis.Diagnostic{Pos: usePos(u, spawn), Category: "blocked-recv", Message: msg}
	if e.pos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: e.pos, Message: related}}
	}
	c.pass.Report(d)
}

// maxOnAPath returns how many of instrs one execution can reach at most,
// counting per function the most that lie on one acyclic path (a send
// followed by return in each branch counts once).
func maxOnAPath(instrs []ssa.Instruction) int {
	byFn := make(map[*ssa.Function]map[ssa.Instruction]bool)
	for _, instr := range instrs {
		fn := instr.Parent()
		if byFn[fn] == nil {
			byFn[fn] = make(map[ssa.Instruction]bool)
		}
		byFn[fn][instr] = true
	}
	total := 0
	for fn, set := range byFn {
		if len(set) == 1 {
			total++
			continue
		}
		total += longestPath(fn, set)
	}
	return total
}

// longestPath returns the largest number of instructions of set on one
// path from fn's entry, ignoring back edges.
func longestPath(fn *ssa.Function, set map[ssa.Instruction]bool) int {
	best := make(map[*ssa.BasicBlock]int)
	onStack := make(map[*ssa.BasicBlock]bool)
	var visit func(b *ssa.BasicBlock) int
	visit = func(b *ssa.BasicBlock) int {
		if n, ok := best[b]; ok {
			return n
		}
		onStack[b] = true
		here := 0
		for _, instr := range b.Instrs {
			if set[instr] {
				here++
			}
		}
		most := 0
		for _, s := range b.Succs {
			if !onStack[s] {
				most = max(most, visit(s))
			}
		}
		onStack[b] = false
		best[b] = here + most
		return here + most
	}
	if len(fn.Blocks) == 0 {
		return len(set)
	}
	return visit(fn.Blocks[0])
}

// outrunsBuffer reports whether a constant buffer cannot hold the sends:
// one goroutine sends in a loop (as many values as its input has), and
// the maker receives a fixed number of times, none in a loop, so when it
// leaves early (on ctx.Done(), after the first value) the sends past the
// buffer block forever. A buffer drained by a loop, or filled by many
// goroutines (a semaphore, a pool), is meant for the job.
func outrunsBuffer(senders []ssa.Instruction, byThread map[ssa.Instruction][]use, recvs []use) bool {
	if len(senders) != 1 || inLoop(senders[0]) {
		return false
	}
	looping := false
	for _, u := range byThread[senders[0]] {
		if u.kind == useSend && inLoop(u.instr) {
			looping = true
		}
	}
	if !looping || len(recvs) == 0 {
		return false
	}
	for _, r := range recvs {
		if r.instr == nil || inLoop(r.instr) {
			return false
		}
	}
	return true
}

// freshPerTurn reports whether every path by which the go statement at
// spawn runs again first passes the make of the channel at mk: a channel
// made in the loop body that starts the goroutine (for { c := make(chan
// T); go func() { c <- f() }(); ... }) has one sender per channel, and
// each turn of the loop is its own maker.
func freshPerTurn(mk ssa.Value, spawn ssa.Instruction) bool {
	make, ok := mk.(ssa.Instruction)
	if !ok || make.Block() == nil {
		return false
	}
	start, avoid := spawn.Block(), make.Block()
	if avoid == start && !dominates(make, spawn) {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), start.Succs...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == avoid {
			continue // a new channel on this path.
		}
		if b == start {
			return false // the goroutine starts again on the same channel.
		}
		if !seen[b] {
			seen[b] = true
			stack = append(stack, b.Succs...)
		}
	}
	return true
}

// indexOf returns the position of instr in b.
func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, in := range b.Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}
