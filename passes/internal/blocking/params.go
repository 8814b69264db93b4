package blocking

import (
	"go/ast"
	"go/types"
	"slices"
)

// This file knows the channels that a function is handed by its caller:
// a parameter (not the receiver), or an exported channel field of one
// that the package itself does not fill with an unbuffered channel
// (r.Done where r is the request the caller built). A send on such a
// channel, or a receive from it, is one exchange of the caller's
// protocol: the caller handed the channel over for this call and drains
// or feeds it while the call runs (a Prometheus collector's Collect(ch)
// sends its metrics to the registry that called it), so it is not
// reported in the function, under a lock or in an event context. It is
// judged at the calls instead, one call deep as every channel operation:
// a call blocks when the argument is neither a channel made with a
// buffer nor, in turn, a channel the caller was handed. A range over a
// parameter is left out: it waits for the producer's whole run, until
// it closes the channel, not for one exchange.

// collectParams fills r.params.
func collectParams(r *Result) {
	add := func(body *ast.BlockStmt, sig *types.Signature) {
		if body == nil || sig == nil || sig.Params().Len() == 0 {
			return
		}
		ps := make(map[types.Object]int, sig.Params().Len())
		for i := range sig.Params().Len() {
			ps[sig.Params().At(i)] = i
		}
		r.params[body] = ps
	}
	for _, f := range r.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if fn, ok := r.info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
					add(n.Body, fn.Signature())
				}
			case *ast.FuncLit:
				sig, _ := r.info.TypeOf(n).(*types.Signature)
				add(n.Body, sig)
			}
			return true
		})
	}
}

// paramOf returns the index of the parameter (the receiver not counted)
// of the scanned function that the
// channel ch is, or is an exported field of (through any number of
// fields and pointers), when the function does not assign the
// parameter: ch is then the caller's. A field that the package fills
// with an unbuffered channel itself is the package's, whoever holds the
// struct.
func (s *scanner) paramOf(ch ast.Expr) (int, bool) {
	field := false
	e := ast.Unparen(ch)
	for {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			sel := s.info.Selections[x]
			if sel == nil || sel.Kind() != types.FieldVal {
				return 0, false // a package-qualified name or a method value.
			}
			if !field && (!x.Sel.IsExported() || s.r.capacityOf(origin(sel.Obj()), 0) == capUnbuffered) {
				return 0, false
			}
			field, e = true, ast.Unparen(x.X)
			continue
		case *ast.StarExpr:
			e = ast.Unparen(x.X)
			continue
		case *ast.Ident:
			obj := s.info.Uses[x]
			i, ok := s.params[obj]
			if !ok {
				return 0, false
			}
			if _, assigned := s.r.defs[obj]; assigned {
				return 0, false // ch = wrap(ch): no longer what the caller handed over.
			}
			return i, true
		}
		return 0, false
	}
}

// callParams judges a call of a function that blocks only on channels
// its caller hands it (the parameters of index uses, or fields of
// them): it returns the caller's own parameters
// among the arguments, and whether some argument makes the call block
// whatever the caller's caller does (an unbuffered channel, or one whose
// capacity is unknown and that the caller was not handed). An argument
// made with a buffer makes its exchange bounded.
func (s *scanner) callParams(call *ast.CallExpr, callee *types.Func, uses []int) (own []int, blocks bool) {
	offset := 0
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if selection := s.info.Selections[sel]; selection != nil && selection.Kind() == types.MethodExpr {
			offset = 1 // T.M(recv, args...)
		}
	}
	sig := callee.Signature()
	for _, u := range uses {
		i := u + offset
		if i >= len(call.Args) || sig.Variadic() && u >= sig.Params().Len()-1 {
			return nil, true
		}
		arg := call.Args[i]
		if s.buffered(arg, 0) {
			continue // a struct argument is never: its field was judged in the callee.
		}
		p, ok := s.paramOf(arg)
		if !ok {
			return nil, true
		}
		own = mergeParams(own, []int{p})
	}
	return own, false
}

// mergeParams adds the uses of b to a.
func mergeParams(a, b []int) []int {
	for _, u := range b {
		if !slices.Contains(a, u) {
			a = append(a, u)
		}
	}
	return a
}
