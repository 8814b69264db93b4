// Package index builds, once per package, the index of its function
// declarations that the other analyzers look functions up in: the
// declaration of a *types.Func, and every declaration with a body in
// source order. Before it, about ten places walked the files for the
// same answer, some once per question.
package index

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/report"
)

// Analyzer builds the package's Index.
var Analyzer = &analysis.Analyzer{
	Name:             "index",
	Doc:              "index the package's function declarations",
	ResultType:       reflect.TypeFor[*report.Result[*Index]](),
	RunDespiteErrors: true,
	Run:              report.WrapRun(run),
}

// An Index answers which declaration declares a function of the package.
// It keeps no *analysis.Pass.
type Index struct {
	decls []Decl
	byFn  map[*types.Func]*ast.FuncDecl
}

// A Decl is a function declaration with a body and its object.
type Decl struct {
	Fn   *types.Func
	Decl *ast.FuncDecl
}

func run(pass *analysis.Pass) (*Index, error) {
	return New(pass.TypesInfo, pass.Files), nil
}

// New indexes the function declarations of files.
func New(info *types.Info, files []*ast.File) *Index {
	ix := &Index{byFn: make(map[*types.Func]*ast.FuncDecl)}
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, ok := info.Defs[fd.Name].(*types.Func)
			if !ok {
				continue // missing type information.
			}
			ix.decls = append(ix.decls, Decl{fn, fd})
			ix.byFn[fn] = fd
		}
	}
	return ix
}

// Decl returns the declaration of fn (or of its generic origin) when
// the package declares it with a body, or nil.
func (ix *Index) Decl(fn *types.Func) *ast.FuncDecl {
	if fn == nil {
		return nil
	}
	return ix.byFn[fn.Origin()]
}

// Decls returns the package's declarations with a body, in source order.
func (ix *Index) Decls() []Decl { return ix.decls }
