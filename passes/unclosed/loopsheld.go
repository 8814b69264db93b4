package unclosed

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/closes"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/resources"
)

// This file decides, on SSA, whether a deferred release in a loop really
// keeps each iteration's resource open for nothing. It does not when
//
//   - the resource was not acquired in the iteration: it is loaded from
//     a field, slice element or variable that outlives the loop (the
//     "for _, c := range conns { defer c.Close() }" idiom), or the call
//     that returned it hands out a borrowed, in-memory resource
//     (resources.Kind.Borrowed: httptest.ResponseRecorder.Result);
//   - it, or something derived from it (a bufio.Reader returned with it
//     or wrapping it, a struct holding it), escapes the iteration: it is
//     stored in memory that outlives the iteration, put in a map, sent,
//     handed to a goroutine or a closure that may run later, appended to
//     a slice that is read, or read by the next iteration;
//   - every path from the defer to the next iteration releases it
//     (resp.Body.Close() at the end of the body) or drains it (rows.Next
//     returned false).

// deferHoldsAcross reports whether the deferred release at pos (the
// defer keyword) of a resource of kind keeps a resource acquired in the
// iteration open across the next iteration for nothing. It answers true
// when the SSA form cannot be matched, so that the syntactic finding
// stands.
func (c *checker) deferHoldsAcross(pos token.Pos, kind *resources.Kind) bool {
	d := c.deferAt(pos)
	if d == nil {
		return true // no SSA for it: keep the syntactic verdict.
	}
	loop := innermostLoop(d.Block())
	if loop == nil {
		return true // range-over-func body or irreducible loop: keep the syntactic verdict.
	}
	root := releasedRoot(d.Common(), kind)
	if root == nil {
		return true
	}
	seeds := loop.seeds(root, kind, make(map[ssa.Value]bool))
	if len(seeds) == 0 {
		return false // ok: acquired before the loop, kept in memory that outlives it, or borrowed.
	}
	if loop.escapes(seeds) {
		return false // ok: it must stay open after its iteration.
	}
	return c.heldToNextIteration(d, loop, seeds, kind)
}

// deferAt returns the defer instruction whose defer keyword is at pos.
func (c *checker) deferAt(pos token.Pos) *ssa.Defer {
	for _, fn := range c.pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
		if pos < fn.Pos() || (fn.Syntax() != nil && pos >= fn.Syntax().End()) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if d, ok := instr.(*ssa.Defer); ok && d.Pos() == pos {
					return d
				}
			}
		}
	}
	return nil
}

// A loop is the natural loop of a deferred release (see code.Loop), with
// what this check asks of it.
type loop struct{ *code.Loop }

// innermostLoop returns the innermost natural loop that contains b, or
// nil.
func innermostLoop(b *ssa.BasicBlock) *loop {
	if l := code.InnermostLoop(b); l != nil {
		return &loop{l}
	}
	return nil
}

// releasedRoot returns the resource a deferred release call releases:
// the receiver of rows.Close(), or resp for resp.Body.Close().
func releasedRoot(com *ssa.CallCommon, kind *resources.Kind) ssa.Value {
	var recv ssa.Value
	switch {
	case com.IsInvoke():
		recv = com.Value
	case com.Signature().Recv() != nil && len(com.Args) > 0:
		recv = com.Args[0]
	default:
		return nil
	}
	recv = unconvert(recv)
	if kind.Field == "" {
		return promotedFrom(recv)
	}
	switch v := recv.(type) {
	case *ssa.UnOp: // *(&resp.Body)
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL && fieldName(fa.X.Type(), fa.Field) == kind.Field {
			return fa.X
		}
	case *ssa.Field:
		if fieldName(v.X.Type(), v.Field) == kind.Field {
			return v.X
		}
	}
	return nil
}

// unconvert strips conversions that keep the value: to an interface,
// between interfaces, between types of the same underlying type.
func unconvert(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
}

// promotedFrom returns the value whose embedded field v selects, when
// v is the receiver of a promoted method: c.Close() on a *net.TCPConn
// is (*net.conn).Close(&c.conn), rows.Close() on an *sqlx.Rows is
// (*sql.Rows).Close(rows.Rows).
func promotedFrom(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			if !isEmbeddedField(x.X.Type(), x.Field) {
				return v
			}
			v = x.X
		case *ssa.Field:
			if !isEmbeddedField(x.X.Type(), x.Field) {
				return v
			}
			v = x.X
		case *ssa.UnOp:
			fa, ok := x.X.(*ssa.FieldAddr)
			if x.Op != token.MUL || !ok || !isEmbeddedField(fa.X.Type(), fa.Field) {
				return v
			}
			v = fa.X
		default:
			return v
		}
	}
}

func isEmbeddedField(t types.Type, i int) bool {
	st := structOf(t)
	return st != nil && i < st.NumFields() && st.Field(i).Embedded()
}

func fieldName(t types.Type, i int) string {
	st := structOf(t)
	if st == nil || i >= st.NumFields() {
		return ""
	}
	return st.Field(i).Name()
}

// seeds returns the values that hold the resource v as acquired in the
// current iteration of l: the results of the call that returned it
// there, the struct or local variable holding it. It returns none when
// the resource comes from before the loop, from memory that outlives
// the iteration (a field, a slice element, an outer variable) or from
// a call that lends a resource nobody needs to release.
func (l *loop) seeds(v ssa.Value, kind *resources.Kind, seen map[ssa.Value]bool) []ssa.Value {
	if seen[v] {
		return nil
	}
	seen[v] = true
	if !l.Contains(v) {
		return nil // a parameter, a free variable, or computed before the loop
	}
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return l.seeds(x.X, kind, seen)
	case *ssa.ChangeInterface:
		return l.seeds(x.X, kind, seen)
	case *ssa.ChangeType:
		return l.seeds(x.X, kind, seen)
	case *ssa.Convert:
		return l.seeds(x.X, kind, seen)
	case *ssa.TypeAssert:
		return l.seeds(x.X, kind, seen)
	case *ssa.Phi:
		var out []ssa.Value
		for _, e := range x.Edges {
			out = append(out, l.seeds(e, kind, seen)...)
		}
		return out
	case *ssa.Field:
		if held := l.seeds(x.X, kind, seen); len(held) > 0 {
			return append(held, x) // a part of a struct made in the iteration
		}
		return nil
	case *ssa.Lookup, *ssa.Next:
		return nil // read from a map that outlives the iteration
	case *ssa.Extract:
		switch t := x.Tuple.(type) {
		case *ssa.TypeAssert:
			return l.seeds(t.X, kind, seen)
		case *ssa.Lookup, *ssa.Next:
			return nil
		case *ssa.Call:
			if lends(t, kind) {
				return nil
			}
			return siblings(t, x)
		}
		return []ssa.Value{x}
	case *ssa.Call:
		if lends(x, kind) {
			return nil
		}
		return []ssa.Value{x}
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return l.loaded(x, kind, seen)
		}
	}
	return []ssa.Value{v}
}

// loaded returns the seeds of a resource loaded from memory: the memory
// must belong to the iteration, a local variable declared in it or a
// value made in it.
func (l *loop) loaded(load *ssa.UnOp, kind *resources.Kind, seen map[ssa.Value]bool) []ssa.Value {
	base := addrBase(load.X)
	if alloc, ok := base.(*ssa.Alloc); ok {
		if !l.Contains(alloc) {
			return nil // a variable declared before the loop
		}
		out := []ssa.Value{load, alloc}
		if base == load.X {
			for _, ref := range *alloc.Referrers() {
				if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
					out = append(out, l.seeds(st.Val, kind, seen)...)
				}
			}
		}
		return out
	}
	held := l.seeds(base, kind, seen)
	if len(held) == 0 {
		return nil // a field or element of something that outlives the iteration
	}
	return append(held, load)
}

// lends reports whether call hands out a resource of kind that is
// borrowed, as the table says (an httptest recorder's in-memory body).
func lends(call *ssa.Call, kind *resources.Kind) bool {
	callee := call.Common().StaticCallee()
	if callee == nil {
		return false
	}
	fn, ok := callee.Object().(*types.Func)
	return ok && slices.Contains(kind.Borrowed, fn.Origin().FullName())
}

// siblings returns res, a result of call, and the other results that
// hold on to what call returned it with: a *bufio.Reader over it, say,
// but not an error, plain data, or a second resource of its own (the
// other end of net.Pipe), which has its own fate.
func siblings(call *ssa.Call, res *ssa.Extract) []ssa.Value {
	out := []ssa.Value{res}
	for _, ref := range *call.Referrers() {
		ext, ok := ref.(*ssa.Extract)
		if ok && ext.Index != res.Index && canHold(ext.Type()) && !closes.Closable(ext.Type()) {
			out = append(out, ext)
		}
	}
	return out
}

// canHold reports whether a value of type t can refer to a resource:
// not an error, a number, a string or a slice of them.
func canHold(t types.Type) bool {
	if types.Identical(t, types.Universe.Lookup("error").Type()) {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return false
	case *types.Slice:
		return canHold(u.Elem())
	case *types.Array:
		return canHold(u.Elem())
	}
	return true
}

// heldToNextIteration reports whether some path from the deferred
// release d reaches the start of the next iteration of l with the
// resource (held by seeds) neither released nor drained. Paths that
// return run the deferred release then; paths that leave the loop
// acquire no more.
func (c *checker) heldToNextIteration(d *ssa.Defer, l *loop, seeds []ssa.Value, kind *resources.Kind) bool {
	f := c.newFlow(d.Parent(), kind)
	for _, v := range seeds {
		if alloc, ok := v.(*ssa.Alloc); ok {
			f.addContainer(alloc, false)
		} else {
			f.add(v, false)
		}
	}
	f.run()
	var slots []ssa.Value // the fields or elements it was loaded from
	for _, v := range seeds {
		if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
			slots = append(slots, load.X)
		}
	}
	visited := make(map[*ssa.BasicBlock]bool)
	var walk func(b *ssa.BasicBlock, start int) bool
	enter := func(b *ssa.BasicBlock) bool {
		if b == l.Header {
			return true // the next iteration starts with the resource open
		}
		if visited[b] {
			return false
		}
		visited[b] = true
		return walk(b, 0)
	}
	walk = func(b *ssa.BasicBlock, start int) bool {
		for _, instr := range b.Instrs[start:] {
			if releasesNow(f, instr) || releasesSlot(instr, slots, kind) {
				return false
			}
			switch instr := instr.(type) {
			case *ssa.Return, *ssa.Panic:
				return false // the deferred release runs now
			case *ssa.Call:
				if c.noReturn(instr.Common()) {
					return false
				}
			case *ssa.If:
				for idx, succ := range b.Succs {
					if cond, ok := instr.Cond.(*ssa.Call); ok && idx == 1 && f.exhausts(cond) {
						continue // rows.Next() returned false: the rows are closed
					}
					if enter(succ) {
						return true
					}
				}
				return false
			case *ssa.Jump:
				return enter(b.Succs[0])
			}
		}
		return false
	}
	i := slices.Index(d.Block().Instrs, ssa.Instruction(d))
	return walk(d.Block(), i+1)
}

// releasesNow reports whether instr releases the resource of flow f
// when it runs: a call that closes it or takes it over, or a closure
// that does, called in place. Deferred releases wait for the return,
// and a call that takes it over by returning a wrapper of it
// (alertmanager's rcvTLSConn(r)) leaves it open as long as the wrapper.
func releasesNow(f *flow, instr ssa.Instruction) bool {
	if f.events[instr] != release {
		return false
	}
	switch instr := instr.(type) {
	case *ssa.Call:
		return !closes.Wraps(instr.Common().Signature())
	case *ssa.MakeClosure:
		for _, ref := range *instr.Referrers() {
			if call, ok := ref.(*ssa.Call); ok && call.Common().Value == instr {
				return true
			}
		}
	}
	return false
}

// releasesSlot reports whether instr releases the resource loaded
// afresh from one of slots: p.c.Close() at the end of the iteration,
// after defer p.c.Close().
func releasesSlot(instr ssa.Instruction, slots []ssa.Value, kind *resources.Kind) bool {
	call, ok := instr.(*ssa.Call)
	if !ok || len(slots) == 0 {
		return false
	}
	com := call.Common()
	name := ""
	if com.IsInvoke() {
		name = com.Method.Name()
	} else if fn := com.StaticCallee(); fn != nil && fn.Signature.Recv() != nil {
		name = fn.Name()
	}
	if kind.Field != "" && name != "Close" || kind.Field == "" && !kind.IsRelease(name) {
		return false
	}
	load, ok := releasedRoot(com, kind).(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	return slices.ContainsFunc(slots, func(s ssa.Value) bool { return sameAddr(s, load.X) })
}

// sameAddr reports whether a and b are the address of the same field or
// element of the same value.
func sameAddr(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	switch a := a.(type) {
	case *ssa.FieldAddr:
		b, ok := b.(*ssa.FieldAddr)
		return ok && a.Field == b.Field && sameAddr(a.X, b.X)
	case *ssa.IndexAddr:
		b, ok := b.(*ssa.IndexAddr)
		return ok && a.Index == b.Index && sameAddr(a.X, b.X)
	}
	return false
}
