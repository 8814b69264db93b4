package unclosed

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/resources"
)

// A scope is what ends a resource besides its own release: the
// transaction its rows or statement came from (Commit and Rollback
// close them), and the context database/sql watches (a cancelled
// context rolls back a transaction and closes rows).
type scope struct {
	// borrowed is set when the resource came from a transaction that
	// the function does not own (a parameter, or a helper's that
	// registers its rollback): the owner ends it, and so the resource.
	borrowed bool
	// ends holds the instructions that end the scope: the transaction's
	// release and hand-offs, the calls, defers and hand-offs of the
	// context's cancel function.
	ends map[ssa.Instruction]bool
	// later holds the ends that arrange for the scope to end after the
	// function returns, wherever they run: a cancel function handed to
	// t.Cleanup, time.AfterFunc or a closure.
	later map[ssa.Instruction]bool
	// tx is the transaction acquired in the function that the resource
	// was obtained from (directly or through a statement), if any.
	tx *acquisition
}

// maxScopeDepth bounds the chain rows, statement, transaction, context.
const maxScopeDepth = 4

// scopeOf returns the scope of acq.
func (c *checker) scopeOf(acq *acquisition) *scope {
	sc := &scope{ends: make(map[ssa.Instruction]bool), later: make(map[ssa.Instruction]bool)}
	c.addScope(sc, acq, 0)
	return sc
}

func (c *checker) addScope(sc *scope, acq *acquisition, depth int) {
	if depth >= maxScopeDepth {
		return
	}
	com := acq.call.Common()
	if acq.kind.EndsWithContext {
		if cancel := cancelOf(contextArg(com)); cancel != nil {
			sc.cancelUses(cancel, make(map[ssa.Value]bool))
		}
	}
	if len(acq.kind.Within) == 0 {
		return
	}
	tx := c.enclosingTx(com, acq.kind, depth)
	if tx == nil {
		return
	}
	call := producer(tx)
	if call == nil {
		sc.borrowed = isOwnedElsewhere(tx) // else a phi or other merge: no scope known
		return
	}
	txAcq := c.acquisition(call)
	if txAcq == nil {
		sc.borrowed = true // from a getter: pqtest.Begin(t, db) registers its rollback
		return
	}
	f := c.newFlow(call.Parent(), txAcq.kind)
	for _, v := range txAcq.res {
		f.add(v, false)
	}
	f.run()
	for instr := range f.events {
		sc.ends[instr] = true
	}
	if sc.tx == nil && len(txAcq.kind.Within) == 0 {
		sc.tx = txAcq
	}
	c.addScope(sc, txAcq, depth+1)
}

// enclosingTx returns the transaction that the call com obtaining a
// resource of kind k uses: its receiver or an argument (a helper's
// prepare(t, tx, q)), or the transaction a statement it uses was
// prepared on.
func (c *checker) enclosingTx(com *ssa.CallCommon, k *resources.Kind, depth int) ssa.Value {
	if depth >= maxScopeDepth {
		return nil
	}
	operands := com.Args
	if com.IsInvoke() {
		operands = append([]ssa.Value{com.Value}, operands...)
	}
	for _, v := range operands {
		vk := c.kindAlong(v)
		if vk == nil {
			continue
		}
		v = origin(v)
		if k.IsWithin(vk) {
			return v
		}
		if len(vk.Within) > 0 && vk != k { // a statement: the rows are its transaction's
			if call := producer(v); call != nil {
				if tx := c.enclosingTx(call.Common(), vk, depth+1); tx != nil {
					return tx
				}
			}
		}
	}
	return nil
}

// kindAlong returns the kind of the first resource on the way from v to
// its origin: the *sql.Stmt embedded in the struct a helper returns.
func (c *checker) kindAlong(v ssa.Value) *resources.Kind {
	for range 16 {
		if k := c.set.KindOf(v.Type()); k != nil {
			return k
		}
		o := strip(v)
		if o == v {
			return nil
		}
		v = o
	}
	return nil
}

// origin strips from v the conversions and the selections of embedded
// fields that a call of a promoted method makes: for stmt.Query() on a
// struct{ *sql.Stmt }, the struct.
func origin(v ssa.Value) ssa.Value {
	for range 16 {
		o := strip(v)
		if o == v {
			return v
		}
		v = o
	}
	return v
}

// strip returns the value v converts or whose embedded field it
// selects, or v itself.
func strip(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return x.X
	case *ssa.ChangeInterface:
		return x.X
	case *ssa.ChangeType:
		return x.X
	case *ssa.Field:
		if isEmbedded(x.X.Type(), x.Field) {
			return x.X
		}
	case *ssa.FieldAddr:
		if isEmbedded(x.X.Type(), x.Field) {
			return x.X
		}
	case *ssa.UnOp:
		if x.Op != token.MUL {
			break
		}
		switch addr := x.X.(type) {
		case *ssa.FieldAddr:
			if isEmbedded(addr.X.Type(), addr.Field) {
				return addr.X
			}
		case *ssa.Alloc:
			if val := onlyStore(addr); val != nil {
				return val // a variable a closure captures, assigned once
			}
		}
	}
	return v
}

// onlyStore returns the value stored in the local variable alloc, if it
// is stored only once.
func onlyStore(alloc *ssa.Alloc) ssa.Value {
	var val ssa.Value
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// producer returns the call whose result v is.
func producer(v ssa.Value) *ssa.Call {
	if ext, ok := v.(*ssa.Extract); ok {
		v = ext.Tuple
	}
	call, _ := v.(*ssa.Call)
	return call
}

// isOwnedElsewhere reports whether v is a value the function did not
// create: a parameter, a captured variable or a global's content.
func isOwnedElsewhere(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Parameter, *ssa.FreeVar:
		return true
	case *ssa.UnOp:
		switch v.X.(type) {
		case *ssa.FreeVar, *ssa.Global, *ssa.FieldAddr:
			return true
		}
	}
	return false
}

// contextArg returns the first context.Context argument of com.
func contextArg(com *ssa.CallCommon) ssa.Value {
	for _, arg := range com.Args {
		if isNamedType(arg.Type(), "context", "Context") {
			return arg
		}
	}
	return nil
}

// cancelOf returns the cancel function of the context ctx, when ctx is
// the first result of context.WithCancel (or WithTimeout, ...).
func cancelOf(ctx ssa.Value) ssa.Value {
	if ctx == nil {
		return nil
	}
	ext, ok := origin(ctx).(*ssa.Extract)
	if !ok || ext.Index != 0 {
		return nil
	}
	call, ok := ext.Tuple.(*ssa.Call)
	if !ok {
		return nil
	}
	fn := call.Common().StaticCallee()
	if fn == nil {
		return nil
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || !knowledge.ReturnsCancel(obj.FullName()) {
		return nil
	}
	for _, ref := range *call.Referrers() {
		if ext, ok := ref.(*ssa.Extract); ok && ext.Index == 1 {
			return ext
		}
	}
	return nil
}

// cancelUses records the instructions that call the cancel function v,
// defer it or hand it on (time.AfterFunc(d, cancel), t.Cleanup(cancel),
// a closure): each ends the context, now or later.
func (sc *scope) cancelUses(v ssa.Value, seen map[ssa.Value]bool) {
	if seen[v] {
		return
	}
	seen[v] = true
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Store:
			if alloc, ok := ref.Addr.(*ssa.Alloc); ok && ref.Val == v && alloc.Parent() == ref.Parent() {
				for _, r := range *alloc.Referrers() {
					switch r := r.(type) {
					case *ssa.UnOp:
						if r.Op == token.MUL {
							sc.cancelUses(r, seen)
						}
					case *ssa.MakeClosure:
						sc.ends[r], sc.later[r] = true, true
					}
				}
				continue
			}
			sc.ends[ref] = true
		case *ssa.Phi, *ssa.ChangeType, *ssa.MakeInterface:
			sc.cancelUses(ref.(ssa.Value), seen)
		case ssa.CallInstruction:
			sc.ends[ref] = true // called or deferred
			if slices.Contains(ref.Common().Args, v) {
				sc.later[ref] = true // handed on: t.Cleanup(cancel)
			}
		case *ssa.MakeClosure:
			sc.ends[ref], sc.later[ref] = true, true
		case *ssa.Return, *ssa.Send, *ssa.MapUpdate:
			sc.ends[ref] = true
		}
	}
}

// isNamedType reports whether t is the named type pkg.name.
func isNamedType(t types.Type, pkg, name string) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkg
}

// coversReturns reports whether an end of the scope is a deferred call,
// or a cancel handed on to be called later, that runs on every path to
// instruction i of b: it ends the scope at (or after) every return
// that follows the acquisition.
func (sc *scope) coversReturns(b *ssa.BasicBlock, i int) bool {
	for instr := range sc.ends {
		arranged := deferredBy(instr)
		if sc.later[instr] {
			arranged = append(arranged, instr)
		}
		for _, a := range arranged {
			if ab := a.Block(); ab == b {
				if indexOf(b, a) < i {
					return true
				}
			} else if ab.Dominates(b) {
				return true
			}
		}
	}
	return false
}

// deferredBy returns the defer statements that instr is or makes the
// closure of: defer tx.Rollback(), defer func() { ... tx.Rollback() }().
func deferredBy(instr ssa.Instruction) []ssa.Instruction {
	switch instr := instr.(type) {
	case *ssa.Defer:
		return []ssa.Instruction{instr}
	case *ssa.MakeClosure:
		var ds []ssa.Instruction
		for _, ref := range *instr.Referrers() {
			if d, ok := ref.(*ssa.Defer); ok && d.Call.Value == instr {
				ds = append(ds, d)
			}
		}
		return ds
	}
	return nil
}

func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, in := range b.Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}
