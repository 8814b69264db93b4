package unclosed

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// checkAcquisition reports acq if some path from it (block b, index i)
// reaches a return, or the same acquisition again, with the resource
// neither released nor handed on.
func (c *checker) checkAcquisition(acq *acquisition, b *ssa.BasicBlock, i int) {
	f := c.newFlow(b.Parent(), acq.kind)
	for _, v := range acq.res {
		f.add(v, false)
	}
	f.run()
	errs := errAliases(acq.errs)
	if discarded(acq.res) && (expectsFailure(errs) || c.inTestFile(acq.call.Pos())) {
		return // tests discard the results of calls meant to fail, and leak little
	}
	w := &walker{c: c, f: f, acq: acq, errs: errs, visited: make(map[*ssa.BasicBlock]bool)}
	if lk := w.walk(b, i+1); lk != nil {
		c.report(acq, f, lk)
	}
}

// errAliases returns the values that hold the acquisition's error:
// the extract itself, phis merging it, and loads of variables it is
// stored in.
func errAliases(errs []ssa.Value) map[ssa.Value]bool {
	set := make(map[ssa.Value]bool)
	work := append([]ssa.Value(nil), errs...)
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		if set[v] {
			continue
		}
		set[v] = true
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.Phi:
				work = append(work, ref)
			case ssa.CallInstruction:
				// A call that takes the error and returns one checks it:
				// if db.AddError(err) == nil (gorm).
				if call, ok := ref.(*ssa.Call); ok && isError(call.Type()) && slices.Contains(call.Common().Args, v) {
					work = append(work, call)
				}
			case *ssa.Store:
				if alloc, ok := ref.Addr.(*ssa.Alloc); ok && ref.Val == v {
					for _, r := range *alloc.Referrers() {
						if load, ok := r.(*ssa.UnOp); ok && load.X == alloc {
							work = append(work, load)
						}
					}
				}
			}
		}
	}
	return set
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// A leak is a path on which the resource is lost.
type leak struct {
	ret  *ssa.Return // the return reached, or nil
	loop bool        // the acquisition ran again first
}

// A walker searches the paths from an acquisition depth first.
type walker struct {
	c       *checker
	f       *flow
	acq     *acquisition
	errs    map[ssa.Value]bool
	visited map[*ssa.BasicBlock]bool
}

// walk follows the paths from instruction start of b.
func (w *walker) walk(b *ssa.BasicBlock, start int) *leak {
	for _, instr := range b.Instrs[start:] {
		if instr == w.acq.call {
			return &leak{loop: true}
		}
		if w.f.events[instr] != 0 {
			return nil // released or handed on
		}
		switch instr := instr.(type) {
		case *ssa.Return:
			return &leak{ret: instr}
		case *ssa.Panic:
			return nil
		case *ssa.Call:
			if w.c.noReturn(instr.Common()) {
				return nil
			}
		case *ssa.If:
			for idx, succ := range b.Succs {
				if w.safeBranch(instr, idx) {
					continue
				}
				if lk := w.enter(succ); lk != nil {
					return lk
				}
			}
			return nil
		case *ssa.Jump:
			return w.enter(b.Succs[0])
		}
	}
	return nil // no successor: unreachable code
}

func (w *walker) enter(b *ssa.BasicBlock) *leak {
	if w.visited[b] {
		return nil
	}
	w.visited[b] = true
	return w.walk(b, 0)
}

// safeBranch reports whether branch idx of the if cannot leak: the
// acquisition failed there (err != nil, resp == nil), or rows.Next()
// returned false and so closed the rows.
func (w *walker) safeBranch(ifInstr *ssa.If, idx int) bool {
	switch cond := ifInstr.Cond.(type) {
	case *ssa.BinOp:
		other, ok := nilComparand(cond)
		if !ok {
			return false
		}
		eq := cond.Op.String() == "=="
		switch {
		case w.errs[other]: // err != nil: the resource is nil
			return (idx == 0) != eq
		case w.f.aliases[other] || w.f.bodies[other]: // resp == nil
			return (idx == 0) == eq
		}
	case *ssa.Call:
		return idx == 1 && w.f.exhausts(cond)
	}
	return false
}

// exhausts reports whether call is rows.Next() on the resource: when it
// returns false, the rows have closed themselves.
func (f *flow) exhausts(call *ssa.Call) bool {
	com := call.Common()
	if f.kind.ExhaustedBy == "" || com.IsInvoke() || len(com.Args) == 0 {
		return false
	}
	callee := com.StaticCallee()
	return callee != nil && callee.Name() == f.kind.ExhaustedBy && callee.Signature.Recv() != nil && f.aliases[com.Args[0]]
}

// releasedSomewhere reports whether some path releases the resource or
// hands it on.
func (f *flow) releasedSomewhere() bool {
	if len(f.events) > 0 {
		return true
	}
	for _, b := range f.fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if call, ok := ifInstr.Cond.(*ssa.Call); ok && f.exhausts(call) {
				return true
			}
		}
	}
	return false
}

// nilComparand returns the operand of a comparison with nil.
func nilComparand(op *ssa.BinOp) (ssa.Value, bool) {
	if s := op.Op.String(); s != "==" && s != "!=" {
		return nil, false
	}
	if k, ok := op.Y.(*ssa.Const); ok && k.IsNil() {
		return op.X, true
	}
	if k, ok := op.X.(*ssa.Const); ok && k.IsNil() {
		return op.Y, true
	}
	return nil, false
}

// noReturnFuncs lists calls that do not return, for drivers that give
// ctrlflow no standard-library facts.
var noReturnFuncs = map[string]bool{
	"os.Exit": true, "log.Fatal": true, "log.Fatalf": true, "log.Fatalln": true,
	"log.Panic": true, "log.Panicf": true, "log.Panicln": true,
	"(*log.Logger).Fatal": true, "(*log.Logger).Fatalf": true, "(*log.Logger).Fatalln": true,
	"(*testing.common).Fatal": true, "(*testing.common).Fatalf": true, "(*testing.common).FailNow": true,
	"(*testing.common).Skip": true, "(*testing.common).Skipf": true, "(*testing.common).SkipNow": true,
	"runtime.Goexit": true,
}

// noReturn reports whether the call never returns.
func (c *checker) noReturn(com *ssa.CallCommon) bool {
	if com.IsInvoke() {
		return false
	}
	fn := com.StaticCallee()
	if fn == nil {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	return noReturnFuncs[obj.Origin().FullName()] || c.cfgs.NoReturn(obj)
}

// expectsFailure reports whether the error is compared "err == nil"
// or passed to an assertion that it is an error, as code that expects
// the call to fail does: if err == nil { t.Error(...) }, require.Error(t, err).
func expectsFailure(errs map[ssa.Value]bool) bool {
	for v := range errs {
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.BinOp:
				if _, ok := nilComparand(ref); ok && ref.Op.String() == "==" {
					return true
				}
			case *ssa.MakeInterface:
				if expectsFailure(map[ssa.Value]bool{ref: true}) {
					return true
				}
			case ssa.CallInstruction:
				com := ref.Common()
				if com.IsInvoke() && com.Value == v && com.Method.Name() == "Error" {
					return true // err.Error() unguarded: the code knows err != nil
				}
				if fn := com.StaticCallee(); fn != nil && errorAssertions[fn.Name()] {
					return true
				}
			}
		}
	}
	return false
}

// errorAssertions are the names of testify-style assertions that an
// error occurred.
var errorAssertions = map[string]bool{
	"Error": true, "Errorf": true, "ErrorIs": true, "ErrorAs": true, "ErrorContains": true, "EqualError": true,
}

// inTestFile reports whether pos is in a _test.go file.
func (c *checker) inTestFile(pos token.Pos) bool {
	f := c.pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// discarded reports whether no value of res is used.
func discarded(res []ssa.Value) bool {
	for _, v := range res {
		if refs := v.Referrers(); refs != nil && len(*refs) > 0 {
			return false
		}
	}
	return true
}
