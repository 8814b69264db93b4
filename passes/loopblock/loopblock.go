package loopblock

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/chanflow"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:      "loopblock",
	Doc:       lintdoc.Compile(Doc),
	URL:       lintdoc.URL("loopblock"),
	Requires:  []*analysis.Analyzer{inspect.Analyzer, ctrlflow.Analyzer, index.Analyzer, blocking.Analyzer, chanflow.ServeAnalyzer},
	Run:       report.Guard(run),
	FactTypes: []analysis.Fact{new(RunsOnLoop)},
}

func init() { Rules.AddFlag(Analyzer) }

func run(pass *analysis.Pass) (any, error) {
	res := report.HelperResult[*blocking.Result](pass, blocking.Analyzer)
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	var fns []*function
	for cur := range inspect.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if code.IsTestFile(pass, cur.Node()) {
			continue // tests may block as they like.
		}
		if fn := newFunc(pass, cur); fn != nil {
			fns = append(fns, fn)
		}
	}
	// An operation in a func literal called on the spot belongs to the
	// literal and to the function around it; report it once, as the
	// literal sees it (inner functions first), since only the literal
	// sees its own locks.
	reported := make(map[token.Pos]bool)
	for _, fn := range slices.Backward(fns) {
		checkFunc(pass, res, fn, reported)
	}
	// The rules below cost a walk of their own: they run only when on.
	var cb *callbacks
	if Rules.Enabled("callback-io") || Rules.Enabled("self-join") {
		cb = findCallbacks(pass)
	}
	if Rules.Enabled("self-join") {
		checkSelfJoins(pass, cb)
	}
	if Rules.Enabled("callback-io") {
		if len(cb.fields) > 0 || len(cb.registrars) > 0 {
			for _, fn := range fns {
				if !fn.entry && !testHelper(pass, fn) {
					checkCallbacks(pass, res, cb, fn, reported)
				}
			}
		}
		checkRegistered(pass, res, cb, reported)
	}
	paths, reentries := Rules.Enabled("lock-leak") || Rules.Enabled("lock-again"), Rules.Enabled("lock-reentry")
	re := newReentry(pass, res.Locks())
	for _, fn := range fns {
		if paths {
			checkLockPaths(pass, res.Locks(), fn)
		}
		if reentries {
			re.check(fn)
		}
	}
	if Rules.Enabled("lock-order") {
		checkLockOrder(pass, res.Locks(), fns)
	}
	return nil, nil
}

// A function is one function declaration or literal under analysis.
type function struct {
	sig  *types.Signature
	body *ast.BlockStmt
	name string // how messages name it: "Server.ServeHTTP", "run"
	// entry is set for main and init, whose own bodies are not event
	// contexts and are not checked.
	entry bool
	// handlerFor is the pattern a literal handler is registered for.
	handlerFor string
	// lit is set for func literals, whose name is "a func literal in F".
	lit bool
	// node is the *ast.FuncDecl or *ast.FuncLit.
	node ast.Node
}

// newFunc describes the function at cur, or returns nil when it has no
// body or type information.
func newFunc(pass *analysis.Pass, cur inspector.Cursor) *function {
	switch n := cur.Node().(type) {
	case *ast.FuncDecl:
		if n.Body == nil {
			return nil
		}
		obj, ok := pass.TypesInfo.Defs[n.Name].(*types.Func)
		if !ok {
			return nil // missing type information.
		}
		entry := n.Recv == nil && (n.Name.Name == "init" || n.Name.Name == "main" && code.IsMainPackage(pass))
		return &function{sig: obj.Signature(), body: n.Body, name: shortName(obj), entry: entry, node: n}
	case *ast.FuncLit:
		sig, ok := pass.TypesInfo.TypeOf(n).(*types.Signature)
		if !ok {
			return nil // missing type information.
		}
		f := &function{sig: sig, body: n.Body, name: "a func literal", lit: true, node: n}
		for enc := range cur.Enclosing((*ast.FuncDecl)(nil)) {
			if obj, ok := pass.TypesInfo.Defs[enc.Node().(*ast.FuncDecl).Name].(*types.Func); ok {
				f.name = "a func literal in " + shortName(obj)
			}
			break
		}
		f.handlerFor = registeredPattern(pass, cur)
		return f
	}
	return nil
}

// shortName names fn without its package: "Server.ServeHTTP".
func shortName(fn *types.Func) string {
	name := blocking.FuncName(fn)
	if fn.Pkg() != nil {
		name = name[len(fn.Pkg().Name())+1:]
	}
	return name
}

// registeredPattern returns the pattern of a HandleFunc/Handle call that
// receives the literal at cur, directly or wrapped in http.HandlerFunc.
func registeredPattern(pass *analysis.Pass, cur inspector.Cursor) string {
	for i := 0; i < 2; i++ {
		cur = cur.Parent()
		call, ok := cur.Node().(*ast.CallExpr)
		if !ok {
			return ""
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") || len(call.Args) != 2 {
			continue
		}
		if tv, ok := pass.TypesInfo.Types[call.Args[0]]; ok && tv.Value != nil {
			return tv.Value.ExactString()
		}
		return ""
	}
	return ""
}

// checkFunc reports the blocking operations of fn that run in an event
// context or while a lock is held.
func checkFunc(pass *analysis.Pass, res *blocking.Result, fn *function, reported map[token.Pos]bool) {
	if fn.entry {
		return // main and init are not event contexts.
	}
	checkLockedJoins(pass, res, fn, reported)
	ops := res.Ops(pass.TypesInfo, fn.body)
	if len(ops) == 0 {
		return
	}
	contexts := eventContexts(pass, fn)
	locks := lockRegions(pass, fn)
	fixed := make(map[*ast.CallExpr]bool) // exec.Command calls already given a fix
	for _, op := range ops {
		if reported[op.Pos()] || len(op.Params) > 0 {
			continue // reported once; or on channels the caller handed over, its protocol.
		}
		if lock, ok := heldAt(locks, op); ok {
			reported[op.Pos()] = true
			reportLocked(pass, fn, op, lock, fixed)
			continue
		}
		if ec, ok := contextAt(contexts, op); ok {
			reported[op.Pos()] = true
			reportInContext(pass, fn, op, ec, fixed)
		}
	}
}
