// Package blocking defines a helper analyzer that knows which operations
// and which functions can block a goroutine without bound.
//
// The analyzer runs on every package. It scans each function body for
// the operations of its standard-library table (http.Get, net.Dial,
// database/sql calls without a context, exec.Cmd.Run, time.Sleep,
// WaitGroup.Wait, a channel operation outside a bounded select, ...),
// propagates them through static calls within the package to a fixed
// point, and exports a MayBlock fact on each function that can block, so
// that callers in other packages see it. Checks ask the Result; they never
// import the facts themselves.
//
// Two more facts say when a wait is bounded (join.go, generator.go):
// Stops on a function that closes a channel or cancels a context it did
// not make, so that a WaitGroup.Wait or a receive from a done channel
// after a call of it is the join of a shutdown, and Generator on a
// function that returns a channel it closes after a bounded number of
// sends, so that ranging over it ends. Result.Joins lists the joins a
// body makes, for checks that know when one is not bounded after all.
//
// Only I/O without a deadline (HTTP, dials, database/sql, exec) is
// inherited by callers at any depth; a function that sleeps, waits or
// operates on a channel gets a fact, but its callers do not (see
// Kind.Transitive). Channel operations that cannot block for long are
// not operations: sends on channels made with a buffer anywhere in the
// package (outside its tests; also when kept in a slice or map of such
// channels or sent on a channel of them, returned by a function, or
// stored by another package, per its Capacity facts: capacity.go),
// channels used as semaphores, receives guarded by len, sends on
// notification channels behind a switch (notify.go). Operations on a
// channel the caller hands over are marked (Op.Params, params.go): the
// calls are judged instead.
//
// What it does not follow, by design (it errs toward false negatives):
// calls through interfaces and func values, function literals that are
// not called where they are written, and go statements (a goroutine that
// blocks does not block its starter). The standard library is known only
// through the table: its packages get no facts.
package blocking

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sync"
	"time"

	"github.com/asynclint/asynclint/passes/internal/code"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
)

var Analyzer = &analysis.Analyzer{
	Name:       "blocking",
	Doc:        "find the functions that may block without bound (helper: exports MayBlock facts and a Result)",
	Run:        report.WrapRun(run),
	Requires:   []*analysis.Analyzer{index.Analyzer, locks.Analyzer},
	FactTypes:  []analysis.Fact{new(MayBlock), new(Stops), new(Generator), new(Capacity)},
	ResultType: reflect.TypeFor[*report.Result[*Result]](),
}

// A Reason says why a function may block: the operation at the end of the
// chain of calls, where it is, and the first call of the chain.
type Reason struct {
	What string // the blocking operation: "http.Get", "channel send", ...
	At   string // its position as "file.go:line" (base name only, stable)
	Kind Kind
	// Via is the function called on the way to What, in "pkg.Func" or
	// "pkg.Type.Method" form; empty when the function does What itself.
	Via string
	// Unlocked is set when What runs after the function released a
	// mutex (see Op.Unlocked).
	Unlocked bool
	// Join is set when every blocking operation of the function is a
	// join (a WaitGroup.Wait or a receive from a done channel): a call
	// of it after a stop signal is bounded (see join.go).
	Join bool
	// Params is set when every blocking operation of the function is a
	// send on or receive from a channel its caller hands it (see
	// params.go): the indexes of those parameters (the receiver not
	// counted). A call of it blocks only when one of these arguments is
	// neither a channel made with a buffer nor one its caller was handed.
	Params []int
	// Bounded is set when every blocking operation of the function is a
	// sleep with a bound, in no loop or in loops with constant counts
	// (see bound.go); Max is the sum of their bounds.
	Bounded bool
	Max     time.Duration
}

// MayBlock is the fact exported on a function that may block without
// bound.
type MayBlock struct{ Reason Reason }

func (*MayBlock) AFact() {}

func (f *MayBlock) String() string {
	return "may block: because of " + f.Reason.What + " at " + f.Reason.At
}

// Result answers which functions may block and which operations of a
// function body block. It is built once per package; its package-wide
// indexes are built on first use (a dependency whose Result no check
// reads does not pay for them), safely for concurrent readers.
type Result struct {
	fset  *token.FileSet
	locks *locks.Model
	funcs map[*types.Func]*Reason // this package's blocking functions and the imported facts of its callees
	stops map[*types.Func]string  // the same for the functions that stop goroutines (see Stops)
	// generators are the same for the functions that return a channel
	// they close (see Generator): the index of the result.
	generators map[*types.Func]int

	// The package, for the indexes below.
	pkg   *types.Package
	info  *types.Info
	files []*ast.File
	once  sync.Once

	// defs maps each local variable of the package assigned exactly once
	// to the expression assigned (the call, for the first of several
	// results); nil for variables assigned more often.
	defs map[types.Object]ast.Expr
	// chanDefs maps the package's channel-typed variables, struct fields
	// and parameters to every expression assigned to them (arguments, for
	// parameters; nil: something unknown), for Op's buffered test.
	chanDefs map[types.Object][]ast.Expr
	// elemDefs maps the package's variables, fields and parameters that
	// hold channels in a slice, array or map to the channels put into
	// them (see elems.go).
	elemDefs map[types.Object][]ast.Expr
	// tokens are the package's struct fields of type chan struct{} that
	// it both sends on and receives from: semaphores and locks made of a
	// channel (nats-server's diskIOSemaphore.ch), not queues of work.
	tokens map[types.Object]bool
	// stopFuncs are the variables and fields that hold the stop function
	// of context.AfterFunc (see collectStopFuncs).
	stopFuncs map[types.Object]bool
	// doneChans are the channel variables and fields that the package
	// closes and never sends on (see join.go).
	doneChans map[types.Object]bool
	// params maps each function body of the package (declarations and
	// literals) to its parameters, the receiver not counted, by index
	// (see params.go).
	params map[*ast.BlockStmt]map[types.Object]int
	// decls are the package's function declarations, for the
	// capacity of the channels they return (see capacity.go).
	decls *index.Index
	// foreign are the capacities of the channels that the functions of
	// other packages return first and that their packages store into
	// the fields of their types (the Capacity facts this package uses).
	foreign map[types.Object]capacity
	// received are the package's struct fields that it receives from
	// or ranges over outside its tests (see notify.go).
	received map[types.Object]bool
}

// MayBlock reports whether fn may block without bound, and why. It knows
// the functions of the analysed package and the functions it calls from
// other packages; table entries are not functions that "may block"
// unconditionally and are classified per call (see Call).
func (r *Result) MayBlock(fn *types.Func) (Reason, bool) {
	if r == nil || fn == nil {
		return Reason{}, false
	}
	reason, ok := r.funcs[fn.Origin()]
	if !ok {
		return Reason{}, false
	}
	return *reason, true
}

func run(pass *analysis.Pass) (*Result, error) {
	r := &Result{fset: pass.Fset, funcs: make(map[*types.Func]*Reason), stops: make(map[*types.Func]string), generators: make(map[*types.Func]int),
		foreign: make(map[types.Object]capacity), pkg: pass.Pkg, info: pass.TypesInfo, files: pass.Files,
		locks: report.HelperResult[*locks.Model](pass, locks.Analyzer),
		decls: report.HelperResult[*index.Index](pass, index.Analyzer)}
	if code.IsStdPackage(pass) {
		return r, nil // the standard library is known through the table.
	}
	importCalleeFacts(pass, r)
	decls := funcDecls(r.decls)
	computeStops(pass, r, decls)
	computeGenerators(pass, r, decls)
	scans := propagate(pass, r, decls)
	markBounds(pass.Fset, r, decls, scans)
	markJoins(r, decls, scans)
	for _, d := range decls {
		if reason, ok := r.funcs[d.fn]; ok {
			pass.ExportObjectFact(d.fn, &MayBlock{Reason: *reason})
		}
	}
	exportCapacities(pass, r, decls)
	return r, nil
}

// importCalleeFacts records the MayBlock facts of the functions of other
// packages that this package calls, so that the Result can answer for
// them after the pass is over.
func importCalleeFacts(pass *analysis.Pass, r *Result) {
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				importFieldCapacity(pass, r, sel)
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn := typeutil.StaticCallee(pass.TypesInfo, call)
			if fn == nil || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
				return true
			}
			fn = fn.Origin()
			importStops(pass, r, fn)
			importGenerator(pass, r, fn)
			importCapacity(pass, r, fn)
			if _, done := r.funcs[fn]; done {
				return true
			}
			var fact MayBlock
			if pass.ImportObjectFact(fn, &fact) {
				r.funcs[fn] = &fact.Reason
			}
			return true
		})
	}
}

// index builds the package-wide indexes once.
func (r *Result) index() {
	r.once.Do(func() {
		r.defs = make(map[types.Object]ast.Expr)
		r.chanDefs = make(map[types.Object][]ast.Expr)
		r.elemDefs = make(map[types.Object][]ast.Expr)
		r.tokens = make(map[types.Object]bool)
		r.stopFuncs = make(map[types.Object]bool)
		r.doneChans = make(map[types.Object]bool)
		r.params = make(map[*ast.BlockStmt]map[types.Object]int)
		r.received = make(map[types.Object]bool)
		collectParams(r)
		collectDefs(r)
		collectElemDefs(r)
		collectTokens(r)
		collectStopFuncs(r)
		collectDoneChans(r)
		collectReceived(r)
	})
}

// collectDefs fills r.defs and r.chanDefs from every assignment, var
// declaration, keyed composite literal and static call of the package.
// Objects are unique, so one map serves every function and the closures
// that capture its variables.
func collectDefs(r *Result) {
	info := r.info
	// Channels that tests store in package variables and fields do not
	// count (see isTestFile); the arguments they pass do, since they show
	// what the package's callers may pass, and so do the tests' local
	// variables, which only those arguments reach (raft's tests hand
	// NewObserver an unbuffered leaderCh).
	inTest := false
	argDef := func(obj types.Object, rhs ast.Expr) {
		if v, ok := obj.(*types.Var); ok && isChan(v.Type()) {
			v = v.Origin() // a field of a generic type, as every instance selects it
			r.chanDefs[v] = append(r.chanDefs[v], rhs)
		}
	}
	chanDef := func(obj types.Object, rhs ast.Expr) {
		if !inTest || isLocal(obj) {
			argDef(obj, rhs)
		}
	}
	define := func(lhs, rhs ast.Expr) {
		var id *ast.Ident
		switch lhs := ast.Unparen(lhs).(type) {
		case *ast.SelectorExpr:
			chanDef(info.Uses[lhs.Sel], rhs)
			return
		case *ast.Ident:
			id = lhs
		default:
			return
		}
		obj := info.ObjectOf(id)
		if obj == nil {
			return
		}
		chanDef(obj, rhs)
		if _, seen := r.defs[obj]; seen {
			r.defs[obj] = nil
			return
		}
		r.defs[obj] = rhs
	}
	for _, f := range r.files {
		inTest = isTestFile(r.fset, f)
		code.ForEachStore(info, r.pkg, f, func(s code.Store) {
			switch {
			case s.Lhs != nil:
				define(s.Lhs, s.Value()) // v, err := f(): v is f's first result.
			case s.Obj.IsField():
				chanDef(s.Obj, s.Rhs)
			default:
				argDef(s.Obj, s.Rhs) // a parameter.
			}
		})
	}
}

// isLocal reports whether obj is a variable declared in a function.
func isLocal(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && !v.IsField() && v.Pkg() != nil && v.Parent() != nil && v.Parent() != v.Pkg().Scope()
}

// collectTokens fills r.tokens. A send that is the comm of a select case
// (usually beside a default) is a notification, not the release of a
// semaphore, and does not count.
func collectTokens(r *Result) {
	sent := make(map[types.Object]bool)
	received := make(map[types.Object]bool)
	field := func(e ast.Expr) types.Object {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		v, ok := r.info.Uses[sel.Sel].(*types.Var)
		if !ok || !v.IsField() || !isSignalChan(v.Type()) {
			return nil
		}
		return v.Origin()
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CommClause:
			if _, ok := n.Comm.(*ast.SendStmt); ok {
				for _, st := range n.Body {
					ast.Inspect(st, visit)
				}
				return false
			}
		case *ast.SendStmt:
			if v := field(n.Chan); v != nil {
				sent[v] = true
			}
		case *ast.UnaryExpr:
			if v := field(n.X); n.Op == token.ARROW && v != nil {
				received[v] = true
			}
		}
		return true
	}
	for _, f := range r.files {
		ast.Inspect(f, visit)
	}
	for v := range sent {
		if received[v] {
			r.tokens[v] = true
		}
	}
}

// isSignalChan reports whether t is a channel of struct{}.
func isSignalChan(t types.Type) bool {
	ch, ok := t.Underlying().(*types.Chan)
	if !ok {
		return false
	}
	st, ok := ch.Elem().Underlying().(*types.Struct)
	return ok && st.NumFields() == 0
}

// A decl is one function declaration with a body.
type decl struct {
	fn   *types.Func
	body *ast.BlockStmt
}

// funcDecls returns the package's function declarations in source order.
func funcDecls(ix *index.Index) []decl {
	var decls []decl
	for _, d := range ix.Decls() {
		decls = append(decls, decl{d.Fn, d.Decl.Body})
	}
	return decls
}

// propagate marks the functions that may block: first those that block
// themselves, then, round by round until nothing changes, those that call
// a function marked before. Each body is scanned once; a function's
// reason is its earliest blocking operation when it is marked and does
// not change afterwards, so the result depends only on the source. It
// returns the scanners of decls.
func propagate(pass *analysis.Pass, r *Result, decls []decl) []*scanner {
	scans := make([]*scanner, len(decls))
	for i, d := range decls {
		s := newScanner(r, pass.TypesInfo, d.body)
		ast.Inspect(d.body, s.visit)
		scans[i] = s
	}
	for changed := true; changed; {
		changed = false
		for i, d := range decls {
			if _, done := r.funcs[d.fn]; done {
				continue
			}
			if reason, ok := earliestReason(pass.Fset, r, scans[i], false); ok {
				r.funcs[d.fn] = &reason
				changed = true
			}
		}
	}
	return scans
}

// earliestReason returns the reason of the first operation of s that
// blocks, given what r knows now; with unbounded, of the first one that
// is not a bounded sleep.
func earliestReason(fset *token.FileSet, r *Result, s *scanner, unbounded bool) (Reason, bool) {
	var (
		best  Reason
		pos   token.Pos
		found bool
	)
	var params []int // the channels handed over that the function blocks on
	var first Op
	for _, op := range s.ops {
		if unbounded && s.boundedRun(op) {
			continue
		}
		if !op.Kind.Propagates() || op.Callee != nil && !op.Kind.Transitive() || !r.counts(op) {
			continue
		}
		if len(op.Params) > 0 {
			if params == nil {
				first = op
			}
			params = mergeParams(params, op.Params)
			continue
		}
		best, pos, found = op.Reason(fset), op.Pos(), true
		break // ops are in source order.
	}
	for _, pc := range s.pending {
		callee, ok := r.funcs[pc.fn]
		if !ok || (found && pc.call.Pos() >= pos) || !callee.Kind.Transitive() {
			continue
		}
		op := Op{Node: pc.call, Callee: pc.fn, CalleeReason: *callee, Kind: callee.Kind}
		best, pos, found = op.Reason(fset), pc.call.Pos(), true
	}
	if !found && params != nil {
		// It blocks only on what its callers hand it: they judge.
		best, found = first.Reason(fset), true
		best.Params = params
	}
	return best, found
}

// FuncName returns fn's name as messages show it: "pkg.Func" or
// "pkg.Type.Method".
func FuncName(fn *types.Func) string {
	name := fn.Name()
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name() + "." + name
		}
	}
	if fn.Pkg() != nil {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// position formats pos as "file.go:line".
func position(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// Locks returns the package's lock model.
func (r *Result) Locks() *locks.Model { return r.locks }
