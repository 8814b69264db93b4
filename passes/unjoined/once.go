package unjoined

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A goroutine started once per process lives at most as long as the
// process: like those of main and init, it is not a leak. In package
// main nothing outside the package can call its functions, so the calls
// we see are all the calls there are:
//
//	func main() { a := newAgent(); a.Start(); wait() }
//	func (a *Agent) Start() { go a.loop() } // runs once: the loop lives with the process
//
// onceFuncs returns, for package main, the functions that run at most
// once per process: main and the init functions (package-level variable
// initializers included), and, to a fixed point, every function whose
// calls are all made outside loops by functions that run once, and that
// is never used as a value (a callback, a method value, a method that an
// interface dispatches to), since a value may be called any number of
// times. For other packages it returns nil.
func onceFuncs(pkg *ssa.Package, funcs []*ssa.Function) map[*ssa.Function]bool {
	if pkg.Pkg.Name() != "main" {
		return nil
	}
	prog := pkg.Prog
	once := make(map[*ssa.Function]bool)
	sites := make(map[*ssa.Function][]ssa.CallInstruction)
	asValue := make(map[*ssa.Function]bool)
	markValue := func(fn *ssa.Function) {
		if fn.Synthetic != "" {
			// A bound method or a method expression's thunk: the
			// method it wraps escapes as a value.
			if obj, ok := fn.Object().(*types.Func); ok {
				if m := prog.FuncValue(obj); m != nil {
					asValue[m] = true
				}
			}
		}
		asValue[fn] = true
	}
	for _, fn := range funcs {
		if isInit(fn) || (fn.Name() == "main" && fn.Parent() == nil && fn.Signature.Recv() == nil) {
			once[fn] = true
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.MakeClosure:
					callee := instr.Fn.(*ssa.Function)
					if calledOnly(instr) {
						for _, ref := range *instr.Referrers() {
							if call, ok := ref.(ssa.CallInstruction); ok {
								sites[callee] = append(sites[callee], call)
							}
						}
					} else {
						markValue(callee)
					}
					continue
				case *ssa.MakeInterface:
					markDispatched(prog, instr, asValue)
				}
				var call *ssa.CallCommon
				if c, ok := instr.(ssa.CallInstruction); ok {
					call = c.Common()
				}
				for _, op := range instr.Operands(nil) {
					callee, ok := (*op).(*ssa.Function)
					if !ok {
						continue
					}
					if call != nil && op == &call.Value {
						sites[callee] = append(sites[callee], instr.(ssa.CallInstruction))
					} else {
						markValue(callee)
					}
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range funcs {
			if once[fn] || asValue[fn] || len(sites[fn]) == 0 {
				continue
			}
			all := true
			for _, site := range sites[fn] {
				if !once[site.Parent()] || inLoop(site) {
					all = false
					break
				}
			}
			if all {
				once[fn] = true
				changed = true
			}
		}
	}
	return once
}

// isInit reports whether fn is the package initializer or an init
// function (go/ssa names func init() "init#1").
func isInit(fn *ssa.Function) bool {
	return fn.Parent() == nil && fn.Signature.Recv() == nil &&
		(fn.Name() == "init" || strings.HasPrefix(fn.Name(), "init#"))
}

// calledOnly reports whether the closure mc is only called, deferred or
// started, never stored or passed on.
func calledOnly(mc *ssa.MakeClosure) bool {
	for _, ref := range *mc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			if ref.Common().Value != mc {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// markDispatched marks the methods that the conversion mi lets an
// interface call: those of the converted type named by the interface.
func markDispatched(prog *ssa.Program, mi *ssa.MakeInterface, asValue map[*ssa.Function]bool) {
	iface, ok := mi.Type().Underlying().(*types.Interface)
	if !ok {
		return
	}
	t := mi.X.Type()
	for i := range iface.NumMethods() {
		m := iface.Method(i)
		obj, _, _ := types.LookupFieldOrMethod(t, true, m.Pkg(), m.Name())
		if fn, ok := obj.(*types.Func); ok {
			if impl := prog.FuncValue(fn); impl != nil {
				asValue[impl] = true
			}
		}
	}
}

// underOnce reports whether fn, a function literal, runs at most once
// per process: it is passed to the Do of a package-level sync.Once (or
// of one in a package-level struct). A goroutine it starts is the
// process's single one of its kind (a janitor of package-level state),
// not one per call; a Once of a value made per call is not enough.
func underOnce(fn *ssa.Function) bool {
	parent := fn.Parent()
	if parent == nil {
		return false
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			com := call.Common()
			passed := false
			for _, arg := range com.Args {
				if arg == ssa.Value(fn) {
					passed = true
				} else if mc, ok := arg.(*ssa.MakeClosure); ok && mc.Fn == fn {
					passed = true
				}
			}
			if !passed {
				continue
			}
			callee := com.StaticCallee()
			if callee == nil {
				continue
			}
			obj, ok := callee.Object().(*types.Func)
			if !ok {
				continue
			}
			if obj.FullName() == "(*sync.Once).Do" && isGlobal(com.Args[0]) {
				return true
			}
		}
	}
	return false
}

// isGlobal reports whether v is the address of a package-level variable
// (or of a field of one).
func isGlobal(v ssa.Value) bool {
	for range 4 {
		switch x := v.(type) {
		case *ssa.Global:
			return true
		case *ssa.FieldAddr:
			v = x.X
		default:
			return false
		}
	}
	return false
}
