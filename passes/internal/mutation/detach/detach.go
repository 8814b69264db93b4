// Package detach is a helper analyzer: it records, for every function
// with a context parameter, whether a call of it is a cancellation point
// for the context it is given, that is whether the function observes
// the cancellation of its context parameter (Observes) or not, because
// it detaches the context (Detaches) or never observes it (Ignores).
//
// A function observes its context when its body, or a closure in it:
//
//   - calls ctx.Done(), ctx.Err() or ctx.Deadline(), or passes ctx to
//     context.Cause or context.AfterFunc;
//   - passes ctx (or a context derived from it: context.WithTimeout(ctx,
//     d), tracer.Start(ctx, ...), any call given ctx that returns a
//     context) as a context argument of a standard-library call that
//     honours it (knowledge.ObservesContext: database/sql's *Context methods,
//     net.Dialer.DialContext, http.NewRequestWithContext,
//     exec.CommandContext, ...);
//   - passes it to a function of this or another package that observes
//     it (facts carry the answer across packages);
//   - passes it to an interface method that observes it (below);
//   - passes it to a function value that returns an error: the callee is
//     unknown, but one that can fail is taken to do the work it is given
//     ctx for (go-redis's cmdable(ctx, cmd), which runs every command).
//
// Anything else does not count: ctx handed to a logger
// (internal.Logger.Printf(ctx, ...)), a hook (hook.OnRemove(ctx, ...)), a
// callback that returns nothing (a metric callback cb(ctx, ...)), stored
// in a struct, or to a function that does not observe it. go-redis v9.23.0's
// (*pool.ConnPool).Remove passes ctx only to pool hooks, logging and
// metric callbacks: removing a connection cannot fail because ctx was
// cancelled. Recursion alone does not observe (least fixed point).
//
// A function Detaches when its body calls context.WithoutCancel on the
// context parameter (certmagic v0.25.6's releaseLock; river's
// dbutil.RollbackWithoutCancel), whatever else it does: one such call is
// taken as the author's statement that the work must not be cancelled.
//
// Calls through interfaces. The implementations the analysis can see
// are those declared in the interface's own package. When the interface
// is closed to other modules (unexported, or declared under an internal
// directory) and that package implements it, a method observes iff one
// of those implementations does; the answer is exported as a fact on the
// interface method. go-redis's internal pool.Pooler.Remove does not
// observe: neither ConnPool.Remove nor StickyConnPool.Remove does. An
// open interface (an exported Storage or DB of a public package), or one
// with no implementation in its package, is judged by its method's name,
// since its contract lets other implementations honour ctx: it observes
// when the name says it changes state (mutation.Classify: Delete, Put,
// Unlock, Exec, ...), runs a command (executorVerbs: Do, EvalSha,
// QueryRow, RoundTrip) or ends in "Context" (ExecContext, DialContext),
// and does not otherwise (OnRemove, Printf, ProcessPendingNotifications,
// Handle, Notify).
//
// halfupdate asks it before reporting a cleanup that "reuses the
// cancelled context" or a second update that "can be cancelled".
// Standard-library functions get no facts (some drivers skip them): the
// knowledge.ObservesContext table answers for them.
package detach

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/mutation"
	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:       "detach",
	Doc:        "record whether functions observe the cancellation of their context parameter",
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	Run:        report.WrapRun(run),
	FactTypes:  []analysis.Fact{new(Fact)},
	ResultType: reflect.TypeFor[*report.Result[*Result]](),
}

// A Kind says what a function does with the cancellation of its context
// parameter.
type Kind uint8

const (
	// Ignores: the function never observes the cancellation.
	Ignores Kind = iota
	// Detaches: the function calls context.WithoutCancel on it.
	Detaches
	// Observes: the function may fail or stop because it is cancelled.
	Observes
)

func (k Kind) String() string {
	switch k {
	case Observes:
		return "observes"
	case Detaches:
		return "detaches"
	default:
		return "ignores"
	}
}

// Fact records the Kind of a function with a context parameter, or of a
// method of a closed interface that this package implements.
type Fact struct{ Kind Kind }

func (*Fact) AFact() {}

// String is "observes", "ignores" or "detaches".
func (f *Fact) String() string { return f.Kind.String() }

// Result answers whether calls observe the cancellation of the context
// they are given.
type Result struct {
	pkg      *types.Package
	local    map[*types.Func]Kind  // this package's functions and closed interface methods
	imported map[*types.Func]*Fact // the facts of the functions of other packages the package refers to
}

// Observes reports whether a call of fn may fail or stop because the
// context passed to it is cancelled. Standard-library functions are
// answered by a table, interface methods as the package doc says. A
// function with no fact (nil, a function value, a callee the driver did
// not analyse) is a cancellation point as far as we know.
func (r *Result) Observes(fn *types.Func) bool {
	k, known := r.kind(fn)
	return !known || k == Observes
}

// kind returns what fn does with its context, and whether that is
// known.
func (r *Result) kind(fn *types.Func) (Kind, bool) {
	if fn == nil || fn.Pkg() == nil {
		return 0, false
	}
	fn = fn.Origin()
	iface := isInterfaceMethod(fn)
	switch {
	case code.IsStdPath(fn.Pkg().Path()) && iface:
		return byName(fn), true // std facts may be missing: do without.
	case code.IsStdPath(fn.Pkg().Path()):
		if knowledge.ObservesContext(fn.FullName()) {
			return Observes, true
		}
		return Ignores, true
	}
	if k, ok := r.local[fn]; ok {
		return k, true
	}
	if f, ok := r.imported[fn]; ok && fn.Pkg() != r.pkg {
		return f.Kind, true
	}
	if iface {
		return byName(fn), true // open, or not implemented in its package.
	}
	return 0, false
}

// byName judges an interface method the analysis cannot resolve: it
// observes when its name says it changes state, runs a command or
// ends in "Context".
func byName(fn *types.Func) Kind {
	if mutation.Classify(fn) != mutation.None || strings.HasSuffix(fn.Name(), "Context") ||
		executorVerbs[mutation.Verb(fn.Name())] {
		return Observes
	}
	return Ignores
}

// executorVerbs are the first words of names of interface methods that
// run a command or request given to them, whatever it does: go-redis's
// Scripter.EvalSha and Do, sqlc's DBTX.QueryRow, http.RoundTripper.
var executorVerbs = map[string]bool{
	"do": true, "eval": true, "query": true, "execute": true, "call": true,
	"invoke": true, "round": true, "dial": true, "pipelined": true,
}

// isInterfaceMethod reports whether fn is an abstract method.
func isInterfaceMethod(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	return ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type())
}

func run(pass *analysis.Pass) (*Result, error) {
	res := &Result{pkg: pass.Pkg, local: make(map[*types.Func]Kind), imported: code.ImportFuncFacts[Fact](pass)}
	if !code.Imports(pass, "context") {
		return res, nil // no function can take a context.
	}
	inspect := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	g := newGraph(pass, res)
	for cur := range inspect.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		if fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func); ok && decl.Body != nil {
			g.addFunc(fn, decl)
		}
	}
	g.addInterfaces()
	g.solve()
	for _, n := range g.nodes {
		res.local[n.fn] = n.kind
		pass.ExportObjectFact(n.fn, &Fact{Kind: n.kind})
	}
	return res, nil
}
