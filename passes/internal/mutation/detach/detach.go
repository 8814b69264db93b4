// Package detach is a helper analyzer: it records the functions that
// detach the context they are given, calling context.WithoutCancel on
// their context parameter, so that a caller passing a context that may
// be cancelled is not at fault. certmagic's releaseLock(ctx, storage,
// key) unlocks with context.WithoutCancel(ctx); river's
// dbutil.RollbackWithoutCancel rolls back the same way. halfupdate asks
// it before reporting a cleanup that "reuses the cancelled context".
//
// The property is syntactic and "may detach": one call of
// context.WithoutCancel on the parameter anywhere in the body is enough,
// since asynclint errs on the side of silence. Standard-library
// functions get no facts (some drivers skip them); none detaches.
package detach

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

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

// Fact marks a function that calls context.WithoutCancel on its context
// parameter.
type Fact struct{}

func (*Fact) AFact() {}

func (*Fact) String() string { return "detaches" }

// Result answers whether a function detaches its context parameter.
type Result struct {
	local map[*types.Func]bool // this package's detaching functions
	pass  *analysis.Pass       // for importing other packages' facts
}

// Detaches reports whether fn calls context.WithoutCancel on its context
// parameter. A nil fn (dynamic call) does not.
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
	for cur := range inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok || decl.Body == nil {
			continue // missing type information, or no body.
		}
		if detaches(pass, decl) {
			res.local[fn] = true
			pass.ExportObjectFact(fn, new(Fact))
		}
	}
	return res, nil
}

// detaches reports whether decl's body calls context.WithoutCancel on
// one of decl's context parameters.
func detaches(pass *analysis.Pass, decl *ast.FuncDecl) bool {
	params := make(map[types.Object]bool)
	for _, f := range decl.Type.Params.List {
		for _, id := range f.Names {
			if obj := pass.TypesInfo.Defs[id]; obj != nil && code.IsNamedType(obj.Type(), "context", "Context") {
				params[obj] = true
			}
		}
	}
	if len(params) == 0 {
		return false
	}
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
