// Package index builds, once per package, what the other analyzers look
// up about its functions: the declaration of a *types.Func, every
// declaration with a body in source order, and every place that starts a
// goroutine (a go statement, or a call of a spawner such as
// WaitGroup.Go or context.AfterFunc) with the body it starts. Before it,
// about ten places walked the files for the same answers, some once per
// question, and four goroutine finders saw different starts.
package index

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/knowledge"
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
	decls  []Decl
	byFn   map[*types.Func]*ast.FuncDecl
	starts []Start
}

// A Start is a place where the package starts a goroutine.
type Start struct {
	// Node is the *ast.GoStmt, or the spawner's *ast.CallExpr.
	Node ast.Node
	// Spawner is the function called for a spawner (WaitGroup.Go,
	// context.AfterFunc, ...), nil for a go statement.
	Spawner *types.Func
	// Fun is the function value started: the go statement's call's Fun,
	// or the spawner's function argument.
	Fun ast.Expr
	// Args are the go statement's call's arguments (none for a spawner).
	Args []ast.Expr
	// Fn is the function or method of the package started, Lit the
	// literal; at most one is set. Body is the body started when either
	// is, and Sig its signature.
	Fn   *types.Func
	Lit  *ast.FuncLit
	Body *ast.BlockStmt
	Sig  *types.Signature
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
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				st := Start{Node: n, Fun: n.Call.Fun, Args: n.Call.Args}
				if fn := typeutil.StaticCallee(info, n.Call); fn != nil {
					st.Fn = fn.Origin()
				}
				ix.addStart(info, st)
			case *ast.CallExpr:
				fn, ok := typeutil.Callee(info, n).(*types.Func)
				if !ok {
					return true
				}
				if i, ok := knowledge.SpawnedArg(knowledge.Unvendor(fn.Origin().FullName())); ok && i < len(n.Args) {
					ix.addStart(info, Start{Node: n, Spawner: fn, Fun: n.Args[i]})
				}
			}
			return true
		})
	}
	return ix
}

// addStart completes st with the body it starts, and records it.
func (ix *Index) addStart(info *types.Info, st Start) {
	switch fun := ast.Unparen(st.Fun).(type) {
	case *ast.FuncLit:
		st.Fn, st.Lit, st.Body = nil, fun, fun.Body
		st.Sig, _ = info.TypeOf(fun).(*types.Signature)
	case *ast.Ident, *ast.SelectorExpr:
		if st.Fn == nil {
			var id *ast.Ident
			if sel, ok := fun.(*ast.SelectorExpr); ok {
				id = sel.Sel // a method value: go s.tick()... or wg.Go(s.tick)
			} else {
				id = fun.(*ast.Ident)
			}
			if fn, ok := info.Uses[id].(*types.Func); ok {
				st.Fn = fn.Origin()
			}
		}
	}
	if st.Fn != nil {
		if fd := ix.byFn[st.Fn]; fd != nil {
			st.Body, st.Sig = fd.Body, st.Fn.Signature()
		}
	}
	ix.starts = append(ix.starts, st)
}

// Starts returns the places where the package starts a goroutine, in
// source order.
func (ix *Index) Starts() []Start { return ix.starts }

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
