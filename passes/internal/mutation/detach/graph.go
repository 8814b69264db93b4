package detach

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// A graph holds this package's functions with a context parameter and
// its closed interface methods, with the calls that hand each one's
// context on. Observing is the least fixed point of "observes directly,
// or hands ctx to a node that observes": each body is walked once, then
// the answer spreads backwards along the edges.
type graph struct {
	pass   *analysis.Pass // transient: the graph lives only while run runs
	res    *Result        // answers for callees outside the graph
	nodes  []*node
	byFunc map[*types.Func]*node
}

// A node is a function or an interface method of this package.
type node struct {
	fn   *types.Func
	kind Kind
	// Until solve: what to look at.
	decl   *ast.FuncDecl         // the function's declaration, or nil
	params map[types.Object]bool // its named context parameters
	impls  []*types.Func         // the interface method's implementations
	deps   []*node               // nodes this one hands its context to
	users  []*node               // nodes that hand their context to this one
}

func newGraph(pass *analysis.Pass, res *Result) *graph {
	return &graph{pass: pass, res: res, byFunc: make(map[*types.Func]*node)}
}

func (g *graph) add(n *node) {
	g.nodes = append(g.nodes, n)
	g.byFunc[n.fn] = n
}

// addFunc adds fn, declared by decl, when it has a context parameter.
// Functions that detach it are settled at once.
func (g *graph) addFunc(fn *types.Func, decl *ast.FuncDecl) {
	params, blank := contextParams(g.pass, decl)
	if len(params) == 0 && !blank {
		return // no context parameter.
	}
	n := &node{fn: fn, decl: decl, params: params}
	if len(params) > 0 && detaches(g.pass, decl, params) {
		n.kind = Detaches
	}
	g.add(n)
}

// solve walks the bodies, links interface methods to their
// implementations, and spreads Observes to the users of observing nodes.
func (g *graph) solve() {
	for _, n := range g.nodes {
		switch {
		case n.kind == Detaches:
		case n.decl != nil:
			if len(n.params) > 0 {
				g.walk(n)
			}
		default:
			for _, impl := range n.impls {
				g.handTo(n, impl)
			}
		}
		n.decl, n.params, n.impls = nil, nil, nil
	}
	var queue []*node
	for _, n := range g.nodes {
		for _, d := range n.deps {
			d.users = append(d.users, n)
		}
		if n.kind == Observes {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, u := range n.users {
			if u.kind == Ignores {
				u.kind = Observes
				queue = append(queue, u)
			}
		}
	}
}

// handTo records that n hands its context to callee: an edge when the
// callee is in the graph, Observes when it is known to observe.
func (g *graph) handTo(n *node, callee *types.Func) {
	callee = callee.Origin()
	if m := g.byFunc[callee]; m != nil {
		if m != n {
			n.deps = append(n.deps, m)
		}
		return
	}
	if k, known := g.res.kind(callee); known && k == Observes {
		n.kind = Observes
	}
}

// walk looks at every call in n's body, closures included, for a use
// of its context (or a context derived from it) that observes it.
func (g *graph) walk(n *node) {
	w := &walker{info: g.pass.TypesInfo, g: g, aliases: n.params}
	w.derive(n.decl.Body)
	ast.Inspect(n.decl.Body, func(x ast.Node) bool {
		if n.kind == Observes {
			return false // settled.
		}
		if call, ok := x.(*ast.CallExpr); ok {
			w.call(n, call)
		}
		return true
	})
}

// A walker follows one function's context through its body.
type walker struct {
	info    *types.Info
	g       *graph
	aliases map[types.Object]bool // the context parameters and variables derived from them
}

// derive adds to aliases the local variables assigned a context derived
// from one of them (ctx, cancel := context.WithTimeout(ctx, d)).
func (w *walker) derive(body *ast.BlockStmt) {
	type pair struct {
		lhs *ast.Ident
		rhs ast.Expr
	}
	var pairs []pair
	code.ForEachStore(w.info, nil, body, func(s code.Store) {
		// ctx, cancel := f(ctx): only the first result is followed.
		if id, ok := s.Lhs.(*ast.Ident); ok && s.Index <= 0 {
			pairs = append(pairs, pair{id, s.Rhs})
		}
	})
	if len(pairs) == 0 {
		return
	}
	aliases := make(map[types.Object]bool, len(w.aliases))
	for obj := range w.aliases {
		aliases[obj] = true
	}
	w.aliases = aliases
	for changed := true; changed; {
		changed = false
		for _, p := range pairs {
			obj := w.info.ObjectOf(p.lhs)
			if obj == nil || aliases[obj] || !isContext(obj.Type()) || !w.carries(p.rhs) {
				continue
			}
			aliases[obj] = true
			changed = true
		}
	}
}

// carries reports whether e is one of the walked contexts or a context
// derived from one by a call.
func (w *walker) carries(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return w.aliases[w.info.Uses[e]]
	case *ast.CallExpr:
		return w.derives(e)
	}
	return false
}

// derives reports whether call returns a context derived from a walked
// one: it is given one and returns a context first, and is neither
// context.WithoutCancel nor a function that detaches its context.
func (w *walker) derives(call *ast.CallExpr) bool {
	t := w.info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok && tuple.Len() > 0 {
		t = tuple.At(0).Type()
	}
	if t == nil || !isContext(t) || code.IsCallTo(w.info, call, "context.WithoutCancel") {
		return false
	}
	if fn, ok := typeutil.Callee(w.info, call).(*types.Func); ok {
		if m := w.g.byFunc[fn.Origin()]; m != nil && m.kind == Detaches {
			return false
		}
		if k, known := w.g.res.kind(fn); known && k == Detaches {
			return false
		}
	}
	for _, arg := range call.Args {
		if w.carries(arg) {
			return true
		}
	}
	return false
}

// call records what call does with n's context: ctx.Done(), ctx.Err()
// and ctx.Deadline() observe it; as a context argument it goes to the
// callee.
func (w *walker) call(n *node, call *ast.CallExpr) {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		switch sel.Sel.Name {
		case "Done", "Err", "Deadline":
			if t := w.info.TypeOf(sel.X); t != nil && isContext(t) && w.carries(sel.X) {
				n.kind = Observes
				return
			}
		}
	}
	fn, ok := typeutil.Callee(w.info, call).(*types.Func)
	if !ok {
		w.callValue(n, call)
		return
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return
	}
	for i, arg := range call.Args {
		if isContextParam(sig, i) && w.carries(arg) {
			w.g.handTo(n, fn)
			return
		}
	}
}

// callValue records what a call of a function value does with n's
// context. The callee is unknown: it observes when it can report a
// failure (returns an error), as go-redis's cmdable(ctx, cmd) that every
// command goes through; a callback that returns nothing (a metric or
// notification hook, go-redis's connection-closed callback) does not.
func (w *walker) callValue(n *node, call *ast.CallExpr) {
	tv, ok := w.info.Types[call.Fun]
	if !ok || !tv.IsValue() {
		return // a conversion or builtin.
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok || !returnsError(sig) {
		return
	}
	for i, arg := range call.Args {
		if isContextParam(sig, i) && w.carries(arg) {
			n.kind = Observes
			return
		}
	}
}

// returnsError reports whether sig's last result is an error.
func returnsError(sig *types.Signature) bool {
	res := sig.Results()
	return res.Len() > 0 && types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type())
}

// isContextParam reports whether the i-th argument of a call of sig
// is a context.Context parameter.
func isContextParam(sig *types.Signature, i int) bool {
	params := sig.Params()
	if params.Len() == 0 {
		return false
	}
	if i >= params.Len() {
		i = params.Len() - 1
	}
	t := params.At(i).Type()
	if sig.Variadic() && i == params.Len()-1 {
		if s, ok := t.(*types.Slice); ok {
			t = s.Elem()
		}
	}
	return isContext(t)
}

// isContext reports whether t is context.Context.
func isContext(t types.Type) bool {
	_, isPtr := t.(*types.Pointer)
	return !isPtr && code.IsNamedType(t, "context", "Context")
}

// contextParams returns decl's named context parameters, and whether it
// has a blank or unnamed one.
func contextParams(pass *analysis.Pass, decl *ast.FuncDecl) (map[types.Object]bool, bool) {
	params := make(map[types.Object]bool)
	blank := false
	for _, f := range decl.Type.Params.List {
		tv, ok := pass.TypesInfo.Types[f.Type]
		if !ok || !isContext(tv.Type) {
			continue
		}
		if len(f.Names) == 0 {
			blank = true
		}
		for _, id := range f.Names {
			if id.Name == "_" {
				blank = true
			} else if obj := pass.TypesInfo.Defs[id]; obj != nil {
				params[obj] = true
			}
		}
	}
	return params, blank
}

// detaches reports whether decl's body calls context.WithoutCancel on
// one of its context parameters.
func detaches(pass *analysis.Pass, decl *ast.FuncDecl, params map[types.Object]bool) bool {
	found := false
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if code.IsCallTo(pass.TypesInfo, call, "context.WithoutCancel") && len(call.Args) == 1 {
			if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok && params[pass.TypesInfo.Uses[id]] {
				found = true
			}
		}
		return !found
	})
	return found
}
