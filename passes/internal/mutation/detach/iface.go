package detach

import (
	"go/types"
	"strings"
)

// addInterfaces adds the context-taking methods of this package's closed
// interfaces that the package implements, with their implementations.
// Implementations elsewhere in the module are not seen: a closed
// interface is usually implemented beside it (go-redis's internal
// pool.Pooler by ConnPool, SingleConnPool and StickyConnPool).
func (g *graph) addInterfaces() {
	pkg := g.pass.Pkg
	scope := pkg.Scope()
	var ifaces, concrete []*types.Named
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 {
			continue // generic types are left to their names.
		}
		switch {
		case !types.IsInterface(named):
			concrete = append(concrete, named)
		case isClosed(tn) && hasContextMethod(named):
			ifaces = append(ifaces, named)
		}
	}
	for _, iface := range ifaces {
		it := iface.Underlying().(*types.Interface)
		var impls []types.Type
		for _, t := range concrete {
			ptr := types.NewPointer(t)
			if types.Implements(ptr, it) {
				impls = append(impls, ptr)
			}
		}
		if len(impls) == 0 {
			continue // judged by name.
		}
		for m := range it.ExplicitMethods() {
			if !takesContext(m) {
				continue
			}
			n := &node{fn: m}
			for _, t := range impls {
				if impl, ok := lookupMethod(t, pkg, m.Name()); ok {
					n.impls = append(n.impls, impl)
				}
			}
			g.add(n)
		}
	}
}

// isClosed reports whether only the module declaring tn can implement
// it: tn is unexported, or its package is internal.
func isClosed(tn *types.TypeName) bool {
	if !tn.Exported() {
		return true
	}
	path := tn.Pkg().Path()
	return path == "internal" || strings.HasPrefix(path, "internal/") ||
		strings.HasSuffix(path, "/internal") || strings.Contains(path, "/internal/")
}

func hasContextMethod(iface *types.Named) bool {
	it := iface.Underlying().(*types.Interface)
	for m := range it.ExplicitMethods() {
		if takesContext(m) {
			return true
		}
	}
	return false
}

// takesContext reports whether fn has a context.Context parameter.
func takesContext(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return false
	}
	for p := range sig.Params().Variables() {
		if isContext(p.Type()) {
			return true
		}
	}
	return false
}

func lookupMethod(t types.Type, pkg *types.Package, name string) (*types.Func, bool) {
	obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, name)
	fn, ok := obj.(*types.Func)
	return fn, ok
}
