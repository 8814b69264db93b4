package unjoined

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// silentFields returns the unexported channel fields of this package's
// structs that no code of the package closes, sends on, or lets go where
// it could be closed or sent on: a goroutine that waits on one waits
// forever. Only the package can touch an unexported field, so the whole
// package is the whole story.
func silentFields(pkg *ssa.Package, funcs []*ssa.Function) map[*types.Var]bool {
	candidates := make(map[*types.Var]bool)
	alive := make(map[*types.Var]bool)
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				field, val := fieldOf(instr)
				if field == nil || field.Exported() || field.Pkg() != pkg.Pkg {
					continue
				}
				if _, ok := field.Type().Underlying().(*types.Chan); !ok {
					continue
				}
				candidates[field] = true
				if !alive[field] && signalsField(val) {
					alive[field] = true
				}
			}
		}
	}
	for f := range alive {
		delete(candidates, f)
	}
	return candidates
}

// fieldOf returns the field that instr selects, and the instruction's value.
func fieldOf(instr ssa.Instruction) (*types.Var, ssa.Value) {
	switch instr := instr.(type) {
	case *ssa.FieldAddr:
		ptr, ok := instr.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return nil, nil
		}
		st, ok := ptr.Elem().Underlying().(*types.Struct)
		if !ok || instr.Field >= st.NumFields() {
			return nil, nil
		}
		return st.Field(instr.Field).Origin(), instr
	case *ssa.Field:
		st, ok := instr.X.Type().Underlying().(*types.Struct)
		if !ok || instr.Field >= st.NumFields() {
			return nil, nil
		}
		return st.Field(instr.Field).Origin(), instr
	}
	return nil, nil
}

// signalsField reports whether the field selected by v (its address or its
// value) may be closed or sent on, or hold a channel made elsewhere.
func signalsField(v ssa.Value) bool {
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if ref.Addr != v {
				return true // the address itself is stored
			}
			if _, made := ref.Val.(*ssa.MakeChan); !made && !isNilConst(ref.Val) {
				return true // holds a channel from elsewhere
			}
		case *ssa.UnOp:
			if ref.Op == token.MUL {
				if signalsChan(ref) {
					return true
				}
				continue
			}
			if ref.Op != token.ARROW {
				return true
			}
		default:
			if _, isField := v.(*ssa.Field); isField && !signalsChan(v) {
				continue
			}
			return true
		}
	}
	return false
}

// signalsChan reports whether the channel value ch may be closed, sent
// on, or passed on.
func signalsChan(ch ssa.Value) bool {
	for _, ref := range *ch.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef, *ssa.BinOp:
		case *ssa.UnOp:
			if ref.Op != token.ARROW {
				return true
			}
		case *ssa.Select:
			for _, st := range ref.States {
				if st.Chan == ch && st.Dir == types.SendOnly || st.Send == ch {
					return true
				}
			}
		case ssa.CallInstruction:
			b, ok := ref.Common().Value.(*ssa.Builtin)
			if !ok || (b.Name() != "len" && b.Name() != "cap") {
				return true
			}
		default:
			return true
		}
	}
	return false
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// silentRecv returns the silent field whose channel v is read from, if any.
func silentRecv(v ssa.Value, silent map[*types.Var]bool) *types.Var {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		v = load.X
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return nil
	}
	if f, _ := fieldOf(instr); f != nil && silent[f] {
		return f
	}
	return nil
}
