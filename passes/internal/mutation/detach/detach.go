// Package detach is a helper analyzer: it records the functions whose
// calls are not cancellation points for the context they are given,
// because they detach it or ignore it:
//
//   - detaches: the body calls context.WithoutCancel on the context
//     parameter. certmagic v0.25.6's releaseLock(ctx, storage, key)
//     unlocks with context.WithoutCancel(ctx); river's
//     dbutil.RollbackWithoutCancel rolls back the same way.
//   - ignores: the context parameter is blank or unused, or only handed
//     to functions that ignore or detach it. step-ca v0.30.2's nosql
//     (*DB).save(_ context.Context, ...) cannot be cancelled, nor can
//     addEAKID, which takes ctx and never reads it.
//
// halfupdate asks it before reporting a cleanup that "reuses the
// cancelled context" or a second update that "can be cancelled".
//
// The property is syntactic and errs towards "not a cancellation point":
// one call of context.WithoutCancel on the parameter anywhere in the body
// is enough, since asynclint errs on the side of silence. Calls through
// interfaces and function values get no answer (false). Standard-library
// functions get no facts (some drivers skip them); none detaches.
package detach

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:       "detach",
	Doc:        "record functions that detach their context parameter with context.WithoutCancel",
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	Run:        report.Guard(run),
	FactTypes:  []analysis.Fact{new(Fact)},
	ResultType: reflect.TypeFor[*Result](),
}

// Fact marks a function whose calls are not cancellation points: it
// detaches its context parameter, or (Ignores) never observes it.
type Fact struct{ Ignores bool }

func (*Fact) AFact() {}

// String is "ignores" or "detaches".
func (f *Fact) String() string {
	if f.Ignores {
		return "ignores"
	}
	return "detaches"
}

// Result answers whether a function detaches or ignores its context
// parameter.
type Result struct {
	local map[*types.Func]bool // this package's detaching or ignoring functions
	pass  *analysis.Pass       // for importing other packages' facts
}

// Detaches reports whether a call of fn is not a cancellation point for
// the context passed to it: fn calls context.WithoutCancel on its
// context parameter, or never observes it. A nil fn (dynamic call) is
// a cancellation point as far as we know.
func (r *Result) Detaches(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	fn = fn.Origin()
	if fn.Pkg() == r.pass.Pkg {
		return r.local[fn]
	}
	return r.pass.ImportObjectFact(fn, new(Fact))
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{local: make(map[*types.Func]bool), pass: pass}
	if !code.Imports(pass, "context") {
		return res, nil // nothing can call context.WithoutCancel.
	}
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	type candidate struct {
		fn     *types.Func
		decl   *ast.FuncDecl
		params map[types.Object]bool
	}
	var rest []candidate
	for cur := range inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil {
			continue // missing type information, or no body.
		}
		params, blank := contextParams(pass, decl)
		switch {
		case len(params) == 0 && !blank:
			continue // no context parameter.
		case len(params) == 0 || detaches(pass, decl, params):
			res.local[fn] = true
			pass.ExportObjectFact(fn, &Fact{Ignores: len(params) == 0})
		default:
			rest = append(rest, candidate{fn, decl, params})
		}
	}
	// Functions that only hand their context to ignoring or detaching
	// ones ignore it too; iterate to a fixed point within the package.
	for changed := true; changed; {
		changed = false
		for _, c := range rest {
			if !res.local[c.fn] && onlyHandsOn(pass, res, c.decl, c.params) {
				res.local[c.fn] = true
				pass.ExportObjectFact(c.fn, &Fact{Ignores: true})
				changed = true
			}
		}
	}
	return res, nil
}

// contextParams returns decl's named context parameters, and whether it
// has a blank or unnamed one.
func contextParams(pass *analysis.Pass, decl *ast.FuncDecl) (map[types.Object]bool, bool) {
	params := make(map[types.Object]bool)
	blank := false
	for _, f := range decl.Type.Params.List {
		tv, ok := pass.TypesInfo.Types[f.Type]
		if !ok || !code.IsNamedType(tv.Type, "context", "Context") {
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

// onlyHandsOn reports whether every use of decl's context parameters is
// an argument of a call of a function that ignores or detaches it (no
// use at all included).
func onlyHandsOn(pass *analysis.Pass, res *Result, decl *ast.FuncDecl, params map[types.Object]bool) bool {
	handed := make(map[*ast.Ident]bool)
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if fn == nil || !res.Detaches(fn) {
			return true
		}
		for _, arg := range call.Args {
			if id, ok := ast.Unparen(arg).(*ast.Ident); ok && params[pass.TypesInfo.Uses[id]] {
				handed[id] = true
			}
		}
		return true
	})
	ok := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && params[pass.TypesInfo.Uses[id]] && !handed[id] {
			ok = false
		}
		return ok
	})
	return ok
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
