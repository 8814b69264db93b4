package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// This file says whether a channel is made with a buffer, for the sends
// that are taken not to block. A send is an operation only when the
// channel is known to be unbuffered, or when its capacity is unknown and
// no store of a buffered channel reaches it: where a channel comes from
// partly out of sight (a parameter of an exported function, the result
// of a call the analysis cannot follow) and every store the package does
// make has a buffer, the buffer is the package's protocol for it.
//
// The stores are those of the package outside its tests (arguments of
// tests count: they stand for the package's callers; see isTestFile),
// followed through variables, fields, parameters, slices, maps and
// channels of channels (elems.go), the results of the package's
// functions (a wrapper that makes a buffered channel and forwards it,
// a constructor's struct literal), and, across packages, the Capacity
// facts of functions and struct fields.

// A capacity is what the analysis knows of a channel's buffer.
type capacity uint8

const (
	capUnknown    capacity = iota // made out of sight, or never assigned
	capUnbuffered                 // made by make with no capacity or a constant 0
	capBuffered                   // made by make with a capacity that is not the constant 0
)

// Capacity is the fact exported on a function whose first result is, or
// on an exported struct field into which its package stores, a channel
// whose buffer the package knows: Buffered when every channel it makes
// for it has one, false when one has none (see capacity).
type Capacity struct{ Buffered bool }

func (*Capacity) AFact() {}

func (f *Capacity) String() string {
	if f.Buffered {
		return "buffered channel"
	}
	return "unbuffered channel"
}

func (f *Capacity) capacity() capacity {
	if f.Buffered {
		return capBuffered
	}
	return capUnbuffered
}

// combine returns the capacity of a channel that may be a or b.
func combine(a, b capacity) capacity {
	switch {
	case a == capUnbuffered || b == capUnbuffered:
		return capUnbuffered
	case a == capBuffered || b == capBuffered:
		return capBuffered
	}
	return capUnknown
}

// buffered reports whether the channel ch is made with a buffer as far
// as the package shows (see capacity).
func (s *scanner) buffered(ch ast.Expr, depth int) bool {
	return s.r.capacity(ch, depth) == capBuffered
}

// capacity says whether the channel ch is made with a buffer: a make
// with a capacity that is not the constant 0; a variable, struct field
// or parameter by every assignment of it in the package (composite
// literals and the arguments of calls included, the package's tests
// not), directly or through other such variables; an element of a
// slice, array or map by every channel put into it (see elems.go); the
// result of a call by the function's returns or its Buffered fact. A
// send on a buffered channel is taken not to block: its producer is
// assumed to respect the capacity (nats.go's PubAckFuture.doneCh, made
// with capacity 1 for one reply).
func (r *Result) capacity(ch ast.Expr, depth int) capacity {
	if depth > maxDefDepth {
		return capUnknown
	}
	info := r.info
	switch e := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		if b, ok := info.Uses[code.IdentOf(e.Fun)].(*types.Builtin); ok {
			if b.Name() != "make" || len(e.Args) == 0 {
				return capUnknown
			}
			if len(e.Args) == 1 {
				return capUnbuffered
			}
			tv, ok := info.Types[e.Args[1]]
			if ok && tv.Value != nil && tv.Value.Kind() == constant.Int {
				if n, _ := constant.Int64Val(tv.Value); n == 0 {
					return capUnbuffered
				}
			}
			return capBuffered
		}
		if fn := typeutil.StaticCallee(info, e); fn != nil {
			return r.resultCapacity(fn.Origin(), depth)
		}
	case *ast.Ident:
		return r.capacityOf(info.ObjectOf(e), depth)
	case *ast.SelectorExpr:
		return r.capacityOf(origin(info.Uses[e.Sel]), depth)
	case *ast.IndexExpr:
		if obj := containerObj(info, e.X); obj != nil {
			return r.defsCapacity(r.elemDefs[obj], depth) // ch := r.chans[i], for _, ch := range r.chans
		}
	case *ast.UnaryExpr:
		if obj := containerObj(info, e.X); obj != nil && e.Op == token.ARROW {
			return r.defsCapacity(r.elemDefs[obj], depth) // reply := <-c.snapshot
		}
	}
	return capUnknown
}

// capacityOf says whether the variable, field or parameter obj holds
// channels made with a buffer: by its stores in the package and, for a
// field of another package, that package's Capacity fact.
func (r *Result) capacityOf(obj types.Object, depth int) capacity {
	return combine(r.defsCapacity(r.chanDefs[obj], depth), r.foreign[obj])
}

// defsCapacity combines the capacities of defs: unbuffered when one of
// them is; else buffered when one is; else unknown. A nil channel is
// guarded where it is used (nats.go's Subscription.errCh) and does not
// count; a nil entry is a store the analysis cannot follow.
func (r *Result) defsCapacity(defs []ast.Expr, depth int) capacity {
	c := capUnknown
	for _, def := range defs {
		if def == nil || r.info.Types[def].IsNil() {
			continue
		}
		if c = combine(c, r.capacity(def, depth+1)); c == capUnbuffered {
			break
		}
	}
	return c
}

// resultCapacity says whether the first result of fn is a channel made
// with a buffer: by fn's return statements for a function of this
// package (a wrapper that makes a buffered channel and forwards what it
// is given to it), by its Capacity fact for another package's.
func (r *Result) resultCapacity(fn *types.Func, depth int) capacity {
	if fn.Pkg() != r.pkg {
		return r.foreign[fn]
	}
	fd := r.decls.Decl(fn)
	results := fn.Signature().Results()
	if fd == nil || results.Len() == 0 || !isChan(results.At(0).Type()) {
		return capUnknown
	}
	var defs []ast.Expr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			switch {
			case len(n.Results) == results.Len():
				defs = append(defs, n.Results[0])
			case len(n.Results) == 0 && results.At(0).Name() != "":
				defs = append(defs, r.chanDefs[results.At(0)]...) // a bare return of a named result
			default:
				defs = append(defs, nil) // return f(): not followed.
			}
		}
		return true
	})
	return r.defsCapacity(defs, depth)
}

// exportCapacities exports the Capacity facts of the package's
// functions and of the exported channel fields of its types.
func exportCapacities(pass *analysis.Pass, r *Result, decls []decl) {
	r.index()
	export := func(obj types.Object, c capacity) {
		if c != capUnknown {
			pass.ExportObjectFact(obj, &Capacity{Buffered: c == capBuffered})
		}
	}
	for _, d := range decls {
		export(d.fn, r.resultCapacity(d.fn, 0))
	}
	scope := pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for f := range st.Fields() {
			if f.Exported() && isChan(f.Type()) {
				export(f, r.capacityOf(f, 0))
			}
		}
	}
}

// importCapacity records the Capacity fact of obj, a function or field
// of another package that this package uses.
func importCapacity(pass *analysis.Pass, r *Result, obj types.Object) {
	if _, done := r.foreign[obj]; done {
		return
	}
	var fact Capacity
	if pass.ImportObjectFact(obj, &fact) {
		r.foreign[obj] = fact.capacity()
	} else {
		r.foreign[obj] = capUnknown
	}
}

// importFieldCapacity records the Capacity fact of the field that sel
// selects, when it is a channel field of another package's type.
func importFieldCapacity(pass *analysis.Pass, r *Result, sel *ast.SelectorExpr) {
	v, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Var)
	if ok && v.IsField() && v.Pkg() != nil && v.Pkg() != pass.Pkg && isChan(v.Type()) {
		importCapacity(pass, r, v.Origin())
	}
}
