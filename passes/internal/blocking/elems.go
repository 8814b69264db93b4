package blocking

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// This file follows channels kept in slices, arrays and maps, or sent on
// a channel of channels, for the buffered test of sends: a channel
// ranged over, indexed out of or received from a container is made with
// a buffer when every channel put into the container is (sarama's
// currentRefresh keeps a capacity-1 channel per waiter in r.chans and
// sends one value to each; robfig/cron's Entries sends its capacity-1
// reply channel on c.snapshot).

// elemOf is the expression for "an element of container X" that
// collectElemDefs records as the definition of a range value; buffered
// resolves it through r.elemDefs like any index expression.
func elemOf(x ast.Expr) ast.Expr { return &ast.IndexExpr{X: x} }

// isChanContainer reports whether t is a slice, array, pointer to array,
// map or channel whose elements are channels.
func isChanContainer(t types.Type) bool {
	if t == nil {
		return false
	}
	t = t.Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	switch t := t.(type) {
	case *types.Chan:
		return isChan(t.Elem()) // a channel of reply channels
	case *types.Slice:
		return isChan(t.Elem())
	case *types.Array:
		return isChan(t.Elem())
	case *types.Map:
		return isChan(t.Elem())
	}
	return false
}

// containerObj returns the variable or field that e names.
func containerObj(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.ObjectOf(e)
	case *ast.SelectorExpr:
		return origin(info.Uses[e.Sel])
	case *ast.StarExpr:
		return containerObj(info, e.X)
	}
	return nil
}

// origin returns the field a field of an instantiated generic type
// stands for, so that every method of the type sees one object (the
// methods of controller-runtime's generic source.channel each select
// cs.dest through their own receiver type parameters); obj otherwise.
func origin(obj types.Object) types.Object {
	if v, ok := obj.(*types.Var); ok {
		return v.Origin()
	}
	return obj
}

// isTestFile reports whether f is a _test.go file. Channels that tests
// store in the package's structs and variables say nothing of the ones
// it makes itself (etcd's watch_test.go builds a watcherStream with an
// unbuffered outc); the arguments they pass stand for the package's
// callers, and count (raft's NewObserver).
func isTestFile(fset *token.FileSet, f *ast.File) bool {
	tf := fset.File(f.Pos())
	return tf != nil && strings.HasSuffix(tf.Name(), "_test.go")
}

// collectElemDefs fills r.elemDefs, the channels put into each container
// variable, field or parameter of the package (nil: something unknown),
// and gives each range value over such a container the definition
// elemOf(container).
func collectElemDefs(r *Result) {
	info := r.info
	// put records that the elements of the container obj include those
	// that rhs, assigned to obj as a whole, holds.
	put := func(obj types.Object, rhs ast.Expr) {
		if obj == nil || !isChanContainer(obj.Type()) {
			return
		}
		r.elemDefs[obj] = append(r.elemDefs[obj], elementsOf(info, obj, rhs)...)
	}
	store := func(s code.Store) {
		if s.Lhs == nil {
			put(s.Obj, s.Rhs) // a field or parameter.
			return
		}
		rhs := s.Rhs
		if s.Index >= 0 {
			rhs = nil // one of several results: unknown.
		}
		if ix, ok := ast.Unparen(s.Lhs).(*ast.IndexExpr); ok {
			if obj := containerObj(info, ix.X); obj != nil && isChanContainer(obj.Type()) {
				r.elemDefs[obj] = append(r.elemDefs[obj], rhs) // m[k] = ch
			}
			return
		}
		put(containerObj(info, s.Lhs), rhs)
	}
	for _, f := range r.files {
		inTest := isTestFile(r.fset, f) // only the arguments of tests count, as in collectDefs
		ast.Inspect(f, func(n ast.Node) bool {
			if _, isCall := n.(*ast.CallExpr); inTest && !isCall {
				return true
			}
			code.Stores(info, r.pkg, n, store) // the zero value of a bare var holds no channel.
			switch n := n.(type) {
			case *ast.SendStmt:
				if obj := containerObj(info, n.Chan); obj != nil && isChanContainer(obj.Type()) {
					r.elemDefs[obj] = append(r.elemDefs[obj], n.Value) // replies <- reply
				}
			case *ast.RangeStmt:
				v := n.Value
				if isChan(info.TypeOf(n.X)) {
					v = n.Key // for reply := range replies
				}
				if v == nil || !isChanContainer(info.TypeOf(n.X)) {
					return true
				}
				if obj := containerObj(info, v); obj != nil {
					r.chanDefs[obj] = append(r.chanDefs[obj], elemOf(n.X))
				}
			}
			return true
		})
	}
}

// elementsOf returns the channels that rhs, assigned to the container
// obj, holds: none for make, nil and obj itself (appending to or
// reslicing obj keeps what it holds), the elements of a composite
// literal or of an append, elemOf of another container; one nil entry
// for anything unknown.
func elementsOf(info *types.Info, obj types.Object, rhs ast.Expr) []ast.Expr {
	if rhs == nil {
		return []ast.Expr{nil}
	}
	if info.Types[rhs].IsNil() || containerObj(info, rhs) == obj {
		return nil
	}
	switch e := ast.Unparen(rhs).(type) {
	case *ast.CompositeLit:
		var out []ast.Expr
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			out = append(out, elt)
		}
		return out
	case *ast.SliceExpr:
		return elementsOf(info, obj, e.X)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return elementsOf(info, obj, e.X)
		}
	case *ast.CallExpr:
		b, ok := info.Uses[code.IdentOf(e.Fun)].(*types.Builtin)
		if !ok {
			break
		}
		switch {
		case b.Name() == "make":
			return nil
		case b.Name() == "append" && len(e.Args) > 0:
			out := elementsOf(info, obj, e.Args[0])
			rest := e.Args[1:]
			if e.Ellipsis.IsValid() && len(rest) == 1 {
				return append(out, elementsOf(info, obj, rest[0])...)
			}
			return append(out, rest...)
		}
	case *ast.Ident, *ast.SelectorExpr:
		return []ast.Expr{elemOf(e)}
	}
	return []ast.Expr{nil}
}
