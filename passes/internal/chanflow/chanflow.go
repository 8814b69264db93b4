// Package chanflow is a helper analyzer that records, for every function
// with channel parameters, what the function does with each of them: sends
// on it, receives from it, drains it until it is closed, or closes it.
//
// Checks Require it and ask through Result.Ops, so that a channel handed to
// a helper (go worker(jobs), defer closeAll(done)) stays visible to them
// across packages. The facts are computed on syntax, which keeps the
// analyzer cheap on every dependency; the standard library is covered by a
// table, since some drivers skip facts for it.
//
// A second analyzer, ServeAnalyzer (serve.go), finds the serving loops of
// a package: goroutine loops that always come back to receive from a
// channel, so that a plain send on it waits one turn of the loop at most.
package chanflow

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Analyzer computes the channel-parameter facts.
var Analyzer = &analysis.Analyzer{
	Name:       "chanflow",
	Doc:        "record what each function does with its channel parameters (helper for asynclint checks)",
	URL:        "https://github.com/asynclint/asynclint",
	Requires:   []*analysis.Analyzer{inspect.Analyzer, index.Analyzer},
	Run:        report.WrapRun(run),
	FactTypes:  []analysis.Fact{new(Fact)},
	ResultType: reflect.TypeFor[*report.Result[*Result]](),
}

// Op is a set of things a function does with one channel parameter.
type Op uint8

const (
	Send       Op = 1 << iota // a plain send, which blocks until someone receives
	SelectSend                // a send in a select that has another way out
	Recv                      // a plain receive, which blocks until someone sends
	SelectRecv                // a receive in a select
	Drain                     // a range or comma-ok receive: ends once the channel is closed
	Close                     // close(ch)
	Escapes                   // stored, returned, reassigned or passed where we cannot follow
)

var opNames = []string{"send", "selsend", "recv", "selrecv", "drain", "close", "escapes"}

func (op Op) String() string {
	if op == 0 {
		return "none"
	}
	var parts []string
	for i, name := range opNames {
		if op&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "|")
}

// Fact is exported for every function that has a channel parameter.
// Params[i] is what the function does with its i-th parameter (the
// receiver not counted); non-channel parameters have 0.
type Fact struct {
	Params []Op
}

func (*Fact) AFact() {}

func (f *Fact) String() string {
	var parts []string
	for i, op := range f.Params {
		if op != 0 {
			parts = append(parts, strconv.Itoa(i)+":"+op.String())
		}
	}
	return "chanflow(" + strings.Join(parts, " ") + ")"
}

// Result answers questions about channel parameters. It keeps no pass:
// the facts of other packages' functions are imported during Run.
type Result struct {
	pkg      *types.Package
	local    map[*types.Func][]Op
	imported map[*types.Func]*Fact // the facts of the functions of other packages the package refers to
}

// Ops reports what fn does with its i-th parameter (the receiver not
// counted). ok is false when nothing is known about fn, in which case a
// caller must assume anything.
func (r *Result) Ops(fn *types.Func, i int) (op Op, ok bool) {
	fn = fn.Origin()
	if ops, found := r.local[fn]; found {
		return at(ops, i)
	}
	if ops, found := stdOps[fn.FullName()]; found {
		return at(ops, i)
	}
	if fact, found := r.imported[fn]; found && fn.Pkg() != r.pkg {
		return at(fact.Params, i)
	}
	return 0, false
}

func at(ops []Op, i int) (Op, bool) {
	if i < 0 || i >= len(ops) {
		return 0, false
	}
	return ops[i], true
}

// stdOps is what standard-library functions do with their channel
// parameters, for drivers that do not compute facts for std.
var stdOps = map[string][]Op{
	// Notify keeps the channel and sends on it from the signal package's
	// goroutine for as long as the program runs: the channel escapes.
	"os/signal.Notify": {Escapes},
	"os/signal.Stop":   {0},
}

// A param is one channel parameter of a function of this package.
type param struct {
	fn  *types.Func
	idx int
}

func run(pass *analysis.Pass) (*Result, error) {
	res := &Result{pkg: pass.Pkg, local: make(map[*types.Func][]Op), imported: code.ImportFuncFacts[Fact](pass)}
	params := channelParams(pass, res)
	if len(params) == 0 {
		return res, nil // no function takes a channel.
	}
	uses := paramUses(pass, params)
	// Propagate to a fixed point: a function that hands its parameter to
	// another function of this package does what that one does. Ops only
	// grow and are finite, so this ends, in the same place whatever the
	// order. A use is classified again only when the function it is passed
	// to gained an op, which keeps a call chain linear in its depth.
	dependents := make(map[*types.Func][]inspector.Cursor)
	work := make([]inspector.Cursor, 0, len(uses))
	for cur := range uses {
		if callee := localCallee(pass, res, cur); callee != nil {
			dependents[callee] = append(dependents[callee], cur)
		}
		work = append(work, cur)
	}
	for len(work) > 0 {
		cur := work[len(work)-1]
		work = work[:len(work)-1]
		p := uses[cur]
		op := classify(pass, res, cur)
		ops := res.local[p.fn]
		if ops[p.idx]|op != ops[p.idx] {
			ops[p.idx] |= op
			work = append(work, dependents[p.fn]...)
		}
	}
	exportFacts(pass, res)
	return res, nil
}

// localCallee returns the function of this package that the use at cur
// is an argument of, if any: the use's op depends on that function's.
func localCallee(pass *analysis.Pass, res *Result, cur inspector.Cursor) *types.Func {
	parent := parentOutsideParens(cur)
	call, ok := parent.Node().(*ast.CallExpr)
	if !ok {
		return nil
	}
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if _, local := res.local[fn]; !ok || !local {
		return nil
	}
	return fn
}

// channelParams maps the objects of the channel parameters of the
// package's functions to their function and index, and gives every such
// function an (empty) entry in res.local.
func channelParams(pass *analysis.Pass, res *Result) map[types.Object]param {
	params := make(map[types.Object]param)
	for _, d := range report.HelperResult[*index.Index](pass, index.Analyzer).Decls() {
		sig := d.Fn.Signature()
		hasChan := false
		for i := range sig.Params().Len() {
			v := sig.Params().At(i)
			if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
				continue
			}
			hasChan = true
			params[v] = param{d.Fn, i}
		}
		if hasChan {
			res.local[d.Fn] = make([]Op, sig.Params().Len())
		}
	}
	return params
}

// paramUses returns the cursor of every use of a channel parameter.
func paramUses(pass *analysis.Pass, params map[types.Object]param) map[inspector.Cursor]param {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	uses := make(map[inspector.Cursor]param)
	for cur := range in.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if p, ok := params[pass.TypesInfo.Uses[id]]; ok {
			uses[cur] = p
		}
	}
	return uses
}

// parentOutsideParens returns the nearest ancestor of cur that is not a
// parenthesis.
func parentOutsideParens(cur inspector.Cursor) inspector.Cursor {
	parent := cur.Parent()
	for {
		if _, ok := parent.Node().(*ast.ParenExpr); !ok {
			return parent
		}
		parent = parent.Parent()
	}
}

// classify returns what the use of a channel parameter at cur does.
func classify(pass *analysis.Pass, res *Result, cur inspector.Cursor) Op {
	id := cur.Node().(*ast.Ident)
	parent := parentOutsideParens(cur)
	switch n := parent.Node().(type) {
	case *ast.SendStmt:
		if ast.Unparen(n.Chan) != id {
			return Escapes // the channel itself is sent.
		}
		if inSelectWithWayOut(parent, n) {
			return SelectSend
		}
		return Send
	case *ast.UnaryExpr:
		if n.Op != token.ARROW {
			return Escapes // &ch and the like.
		}
		return receiveKind(parent)
	case *ast.RangeStmt:
		if ast.Unparen(n.X) == id {
			return Drain
		}
		return Escapes
	case *ast.CallExpr:
		return callOp(pass, res, n, id)
	case *ast.BinaryExpr:
		return 0 // ch == nil
	}
	return Escapes
}

// receiveKind classifies the receive expression found at cur.
func receiveKind(cur inspector.Cursor) Op {
	stmt := cur.Parent()
	var commaOk bool
	switch s := stmt.Node().(type) {
	case *ast.AssignStmt:
		commaOk = len(s.Lhs) == 2
	case *ast.ValueSpec:
		commaOk = len(s.Names) == 2
		stmt = stmt.Parent() // the GenDecl
		stmt = stmt.Parent() // the DeclStmt
	case *ast.ExprStmt:
	default:
		return Recv // an operand of an expression: a plain receive.
	}
	if clause, ok := stmt.Parent().Node().(*ast.CommClause); ok && clause.Comm == stmt.Node() {
		return SelectRecv
	}
	if commaOk {
		return Drain
	}
	return Recv
}

// inSelectWithWayOut reports whether the send stmt at cur is the comm of a
// select case whose select has a default or another case.
func inSelectWithWayOut(cur inspector.Cursor, stmt ast.Stmt) bool {
	clause, ok := cur.Parent().Node().(*ast.CommClause)
	if !ok || clause.Comm != stmt {
		return false
	}
	body, ok := cur.Parent().Parent().Node().(*ast.BlockStmt)
	return ok && len(body.List) > 1
}

// callOp returns what the call does with the channel parameter id.
func callOp(pass *analysis.Pass, res *Result, call *ast.CallExpr, id *ast.Ident) Op {
	argIdx := -1
	for i, arg := range call.Args {
		if ast.Unparen(arg) == id {
			argIdx = i
		}
	}
	if argIdx < 0 {
		return Escapes // the channel is called?
	}
	switch callee := typeutil.Callee(pass.TypesInfo, call).(type) {
	case *types.Builtin:
		switch callee.Name() {
		case "close":
			return Close
		case "len", "cap":
			return 0
		}
		return Escapes
	case *types.Func:
		sig := callee.Signature()
		if sig.Variadic() && argIdx >= sig.Params().Len()-1 {
			return Escapes // lands in a slice.
		}
		op, ok := res.Ops(callee, argIdx)
		if !ok {
			return Escapes
		}
		return op
	}
	return Escapes // a function value or an interface method.
}

// exportFacts exports the facts in a deterministic order.
func exportFacts(pass *analysis.Pass, res *Result) {
	fns := make([]*types.Func, 0, len(res.local))
	for fn := range res.local {
		fns = append(fns, fn)
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Pos() < fns[j].Pos() })
	for _, fn := range fns {
		pass.ExportObjectFact(fn, &Fact{Params: res.local[fn]})
	}
}
