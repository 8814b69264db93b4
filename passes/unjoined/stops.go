package unjoined

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/knowledge"
)

// A stopKind says what a call that never returns ends (a panic, for
// these walks, ends the process: nothing after it matters).
type stopKind = knowledge.End

const (
	returns       = knowledge.Returns
	endsGoroutine = knowledge.EndsGoroutine
	endsProcess   = knowledge.EndsProcess
)

// What a test's FailNow ends, and why the walks treat it as they do:
// FailNow calls runtime.Goexit, which runs the deferred calls of the
// goroutine that calls it and ends that goroutine only.
//
//   - In the test's own goroutine (the parent of the goroutines we
//     check), the test ends as failed, its deferred cleanups run
//     (defer close(ch), defer cancel(), defer wg.Wait()), and the failure
//     is the report: a path through t.Fatal, in a range body or a timeout
//     case, is no leak to chase.
//   - In a goroutine the test started, it ends that goroutine only: a
//     wg.Done that is not deferred is skipped, and the test's wg.Wait
//     hangs until the test binary times out. checkSkippedDone reports it.

// stops reports what the call ends, if it never returns: a call that
// knowledge.EndOf knows, or a function of this package whose every path
// ends in such a call.
func (c *checker) stops(common *ssa.CallCommon) stopKind {
	if common.IsInvoke() {
		return stopOf(common.Method, common.Value.Type())
	}
	fn := common.StaticCallee()
	if fn == nil {
		return returns
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		var subject types.Type
		if len(common.Args) > 0 {
			subject = common.Args[0].Type() // the receiver, or t in require.FailNow(t, ...)
		}
		if k := stopOf(obj, subject); k != returns {
			return k
		}
	}
	if fn.Pkg == c.pkg && fn.Blocks != nil {
		return c.helperStops(fn)
	}
	return returns
}

// stopOf is knowledge.EndOf with a panic counted as the process's end.
func stopOf(fn *types.Func, subject types.Type) stopKind {
	if k := knowledge.EndOf(fn, subject); k != knowledge.Panics {
		return k
	}
	return endsProcess
}

// helperStops reports what fn, a function of this package, ends when
// every path through it ends in a call that does not return:
// func fatalf(t *testing.T, ...) { t.Helper(); t.Fatalf(...) }.
func (c *checker) helperStops(fn *ssa.Function) stopKind {
	if k, ok := c.helpers[fn]; ok {
		return k
	}
	c.helpers[fn] = returns // recursion: assume it returns.
	kind := endsProcess
	seen := map[*ssa.BasicBlock]bool{fn.Blocks[0]: true}
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(stack) > 0 && kind != returns {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		succs := b.Succs
	instrs:
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Return:
				kind = returns
				break instrs
			case *ssa.Panic:
				succs = nil
				break instrs
			case *ssa.Call:
				if k := c.stops(instr.Common()); k != returns {
					kind = min(kind, k) // ends the goroutine on some path: the weaker
					succs = nil
					break instrs
				}
			}
		}
		for _, s := range succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	c.helpers[fn] = kind
	return kind
}
