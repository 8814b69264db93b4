package code

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/knowledge"
)

// EndOf says what call ends if it never returns (see knowledge.EndOf):
// the subject of the naming convention is the call's receiver, or its
// first argument for a function (require.FailNow(t, ...)).
func EndOf(info *types.Info, call *ast.CallExpr) knowledge.End {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok {
		return knowledge.Returns
	}
	var subject types.Type
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && fn.Signature().Recv() != nil {
		subject = info.TypeOf(sel.X)
	} else if len(call.Args) > 0 {
		subject = info.TypeOf(call.Args[0])
	}
	return knowledge.EndOf(fn, subject)
}
