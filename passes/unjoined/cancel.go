package unjoined

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// A function that starts goroutines with a context and returns early
// because that context is cancelled does not strand them: they were handed
// the same, now cancelled, context and wind down with it. The return is
// the cancellation propagating, not a forgotten Wait:
//
//	for _, s := range shards {
//		if ctx.Err() != nil {
//			return // the goroutines below got ctx too
//		}
//		wg.Add(1)
//		go func() { defer wg.Done(); clean(ctx, s) }()
//	}
//	wg.Wait()

// sharesCancellation returns whether every one of spawns is handed ctx.
func sharesCancellation(spawns []ssa.Instruction) func(ctx ssa.Value) bool {
	return func(ctx ssa.Value) bool {
		for _, spawn := range spawns {
			if !handsContext(spawn, ctx) {
				return false
			}
		}
		return true
	}
}

// cancelBranch returns the successor of the If at the end of b that is
// taken only when a context is cancelled, and that context: the true edge
// of "ctx.Err() != nil" or of a select's "case <-ctx.Done()", the false
// edge of "ctx.Err() == nil". It returns nil when instr tests no
// cancellation.
func cancelBranch(b *ssa.BasicBlock, instr *ssa.If) (*ssa.BasicBlock, ssa.Value) {
	if sel, k, ok := selectTest(instr); ok {
		if ctx := doneOf(sel.States[k].Chan); ctx != nil && sel.States[k].Dir != types.SendOnly {
			return b.Succs[0], ctx
		}
		return nil, nil
	}
	cond, ok := instr.Cond.(*ssa.BinOp)
	if !ok || !isNilConst(cond.Y) {
		return nil, nil
	}
	ctx := methodReceiver(cond.X, "Err")
	switch {
	case ctx == nil:
		return nil, nil
	case cond.Op == token.NEQ:
		return b.Succs[0], ctx
	case cond.Op == token.EQL:
		return b.Succs[1], ctx
	}
	return nil, nil
}

// doneOf returns ctx when v is ctx.Done().
func doneOf(v ssa.Value) ssa.Value {
	return methodReceiver(v, "Done")
}

// methodReceiver returns x when v is the result of x.name() called
// through the context.Context interface.
func methodReceiver(v ssa.Value, name string) ssa.Value {
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil
	}
	common := call.Common()
	if !common.IsInvoke() || common.Method.Name() != name || len(common.Args) != 0 || !code.IsNamedType(common.Value.Type(), "context", "Context") {
		return nil
	}
	return common.Value
}

// handsContext reports whether the goroutine that spawn starts is given
// ctx: as an argument of the call it runs, or captured by the closure.
func handsContext(spawn ssa.Instruction, ctx ssa.Value) bool {
	call, ok := spawn.(ssa.CallInstruction)
	if !ok {
		return false
	}
	want := variableOf(ctx)
	common := call.Common()
	values := append([]ssa.Value{common.Value}, common.Args...)
	for _, v := range values {
		if variableOf(v) == want {
			return true
		}
		if mc, ok := v.(*ssa.MakeClosure); ok {
			for _, bound := range mc.Bindings {
				if variableOf(bound) == want {
					return true
				}
			}
		}
	}
	return false
}

// variableOf returns the variable a value is read from: the Alloc of a
// local that closures capture (both the load of it and the Alloc itself
// stand for the variable), else the value.
func variableOf(v ssa.Value) ssa.Value {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if alloc, ok := load.X.(*ssa.Alloc); ok {
			return alloc
		}
	}
	return v
}
