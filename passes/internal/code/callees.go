package code

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Callees resolves the dynamic calls of one package to the package's own
// functions they may call, the way a type-propagation call graph (x/tools'
// VTA) would within one package, but at the cost of one scan of its
// instructions: a call of a func-typed field to the functions and
// closures the package stores into that field, and an interface method
// call to the methods of the package's types that implement the
// interface. Functions of other packages that might be stored or
// implement it are not known: a caller must read the answer as "may
// call", never as "calls only".
type Callees struct {
	pkg    *ssa.Package
	fields map[*types.Var][]*ssa.Function
	named  []*types.Named // the package's named types, for interface calls
	impls  map[*types.Func][]*ssa.Function
}

// NewCallees indexes the stores into func fields of funcs, the package's
// functions.
func NewCallees(pkg *ssa.Package, funcs []*ssa.Function) *Callees {
	c := &Callees{pkg: pkg, fields: make(map[*types.Var][]*ssa.Function), impls: make(map[*types.Func][]*ssa.Function)}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				if f := fieldOf(fa.X.Type(), fa.Field); f != nil {
					if g := funcOf(st.Val); g != nil && !contains(c.fields[f], g) {
						c.fields[f] = append(c.fields[f], g)
					}
				}
			}
		}
	}
	for _, m := range pkg.Members {
		if t, ok := m.(*ssa.Type); ok {
			if n, ok := t.Type().(*types.Named); ok && n.TypeParams() == nil {
				c.named = append(c.named, n)
			}
		}
	}
	return c
}

// Of returns the package's functions that the dynamic call com may call,
// or none when it is static or its targets are not known. For an
// interface call, each method's first parameter is its receiver.
func (c *Callees) Of(com *ssa.CallCommon) []*ssa.Function {
	if com.IsInvoke() {
		return c.implementations(com.Method)
	}
	if com.StaticCallee() != nil {
		return nil
	}
	switch v := com.Value.(type) {
	case *ssa.UnOp: // (*p).f loaded
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			return c.fields[fieldOf(fa.X.Type(), fa.Field)]
		}
	case *ssa.Field:
		return c.fields[fieldOf(v.X.Type(), v.Field)]
	}
	return nil
}

// implementations returns the methods of the package's types that
// implement the interface method m's interface, memoised.
func (c *Callees) implementations(m *types.Func) []*ssa.Function {
	if fns, ok := c.impls[m]; ok {
		return fns
	}
	var fns []*ssa.Function
	recv := m.Signature().Recv()
	if recv == nil {
		return nil
	}
	iface, ok := recv.Type().Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	prog := c.pkg.Prog
	for _, n := range c.named {
		if types.IsInterface(n) {
			continue
		}
		for _, t := range []types.Type{n, types.NewPointer(n)} {
			if !types.Implements(t, iface) {
				continue
			}
			sel := prog.MethodSets.MethodSet(t).Lookup(m.Pkg(), m.Name())
			if sel == nil {
				continue
			}
			if fn := prog.MethodValue(sel); fn != nil && fn.Pkg == c.pkg && fn.Blocks != nil && !contains(fns, fn) {
				fns = append(fns, fn)
			}
			break
		}
	}
	c.impls[m] = fns
	return fns
}

// fieldOf returns field i of the struct that t is or points to.
func fieldOf(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	f := st.Field(i)
	if _, ok := f.Type().Underlying().(*types.Signature); !ok {
		return nil
	}
	return f.Origin()
}

// funcOf returns the function v is: a function, or a closure's.
func funcOf(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok && fn.Synthetic == "" {
			return fn // not a bound method's wrapper, whose body is elsewhere
		}
	}
	return nil
}

func contains(fns []*ssa.Function, fn *ssa.Function) bool {
	for _, f := range fns {
		if f == fn {
			return true
		}
	}
	return false
}
