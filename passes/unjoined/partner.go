package unjoined

// This file finds channel operations that nothing can ever complete: a
// receive from an unexported channel field that no code of the package
// sends on, closes, or lets go where it could be (silentFields), and a
// receive from a local channel whose only close is deferred, so it runs
// after the receive has waited forever (c := make(chan T); defer
// close(c); <-c). Either blocks its goroutine for good: a goroutine
// leaks, a caller hangs.

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// checkNoPartner reports the receives of the package that no send or
// close can ever complete.
func (c *checker) checkNoPartner() {
	silent := c.silentFields()
	spawned := spawnedFuncs(c.funcs)
	for _, fn := range c.funcs {
		if spawned[fn] {
			continue // a goroutine body: unstoppable judges its waits.
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.UnOp:
					if instr.Op != token.ARROW || !instr.Pos().IsValid() {
						continue
					}
					if f := silentRecv(instr.X, silent); f != nil {
						c.pass.Report(analysis.Diagnostic{Pos: instr.Pos(), Category: "no-partner",
							Message: fmt.Sprintf("receive from the field %s blocks forever: nothing in the package sends on it or closes it, and it never leaves the package; close %s where its owner stops, or drop the wait",
								f.Name(), f.Name())})
					}
				case *ssa.MakeChan:
					c.checkDeferredOnlyClose(fn, instr)
				}
			}
		}
	}
}

// checkDeferredOnlyClose reports the first receive in fn from the local
// channel mk when nothing sends on it and its only close is deferred: the
// deferred close runs when fn returns, which it cannot do before the
// receive completes.
func (c *checker) checkDeferredOnlyClose(fn *ssa.Function, mk *ssa.MakeChan) {
	var recv *ssa.UnOp
	deferred := false
	for _, ref := range *mk.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if ref.Op != token.ARROW {
				return
			}
			if recv == nil || ref.Pos() < recv.Pos() {
				recv = ref
			}
		case *ssa.Defer:
			if !isBuiltin(ref.Common(), "close") {
				return // handed to a deferred call: it may send.
			}
			deferred = true
		case *ssa.Call:
			if !isBuiltin(ref.Common(), "len") && !isBuiltin(ref.Common(), "cap") {
				return // closed now, or handed on.
			}
		default:
			return // sent on, selected on, stored, captured: a partner may exist.
		}
	}
	if recv == nil || !deferred || !recv.Pos().IsValid() {
		return
	}
	c.pass.Report(analysis.Diagnostic{Pos: recv.Pos(), Category: "no-partner",
		Message: fmt.Sprintf("receive blocks forever: nothing sends on this channel, and its only close is deferred, so it runs when %s returns, after the receive; close it before the receive or drop the wait",
			c.displayName(fn))})
}

// isBuiltin reports whether com calls the builtin name.
func isBuiltin(com *ssa.CallCommon, name string) bool {
	b, ok := com.Value.(*ssa.Builtin)
	return ok && b.Name() == name
}

// spawnedFuncs returns the functions that go statements start.
func spawnedFuncs(funcs []*ssa.Function) map[*ssa.Function]bool {
	spawned := make(map[*ssa.Function]bool)
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				g, ok := instr.(*ssa.Go)
				if !ok {
					continue
				}
				switch v := g.Call.Value.(type) {
				case *ssa.Function:
					spawned[v] = true
				case *ssa.MakeClosure:
					if f, ok := v.Fn.(*ssa.Function); ok {
						spawned[f] = true
					}
				}
			}
		}
	}
	return spawned
}
