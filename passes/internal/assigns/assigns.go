// Package assigns indexes, once per package, which expression each
// variable is defined with and which expression each call's result is
// assigned to. Checks that start from an SSA value or a types.Object
// and need the syntax around it (the make call to give a capacity fix,
// the variable name to put in a message) ask here instead of walking
// the file again for every question, which made such lookups quadratic
// on large files.
package assigns

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:             "assigns",
	Doc:              "index the values variables are defined with and the targets calls are assigned to",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	ResultType:       reflect.TypeFor[*report.Result[*Index]](),
	RunDespiteErrors: true,
	Run:              report.WrapRun(run),
}

// An Index answers questions about the assignments of one package.
type Index struct {
	initial map[types.Object]ast.Expr // the value a variable is defined with
	calls   map[token.Pos]Call        // by the position of the call's '('
}

// A Call is a call expression and the expression its (first) result is
// assigned to, nil when it is not assigned.
type Call struct {
	Expr   *ast.CallExpr
	Target ast.Expr
}

// InitialValue returns the expression obj is defined with, by x := v or
// var x = v, or nil.
func (ix *Index) InitialValue(obj types.Object) ast.Expr { return ix.initial[obj] }

// CallAt returns the call whose '(' is at lparen, the position SSA gives
// a call or make instruction, and what it is assigned to.
func (ix *Index) CallAt(lparen token.Pos) (Call, bool) {
	c, ok := ix.calls[lparen]
	return c, ok
}

func run(pass *analysis.Pass) (*Index, error) {
	ix := &Index{initial: make(map[types.Object]ast.Expr), calls: make(map[token.Pos]Call)}
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.CallExpr)(nil)}
	inspect.Preorder(filter, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.CallExpr:
			if _, seen := ix.calls[n.Lparen]; !seen {
				ix.calls[n.Lparen] = Call{Expr: n}
			}
		case *ast.AssignStmt:
			ix.record(pass.TypesInfo, n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			ix.record(pass.TypesInfo, lhs, n.Values)
		}
	})
	return ix, nil
}

// record notes lhs = rhs. Preorder visits an assignment before the calls
// on its right, so the calls are entered here with their target.
func (ix *Index) record(info *types.Info, lhs, rhs []ast.Expr) {
	for i, r := range rhs {
		var target ast.Expr
		switch {
		case len(lhs) == len(rhs):
			target = lhs[i]
		case len(rhs) == 1 && len(lhs) > 0:
			target = lhs[0] // x, err := f()
		}
		if call, ok := ast.Unparen(r).(*ast.CallExpr); ok {
			ix.calls[call.Lparen] = Call{Expr: call, Target: target}
		}
		if len(lhs) != len(rhs) {
			continue
		}
		if id, ok := lhs[i].(*ast.Ident); ok {
			if obj := info.Defs[id]; obj != nil {
				ix.initial[obj] = r
			}
		}
	}
}
