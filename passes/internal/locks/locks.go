// Package locks is asynclint's one model of mutexes: which calls take
// and release one, which mutex a call names (the same way in every
// function and package), and where a function body holds it. Every
// check and helper that asks about locks asks here.
//
// A lock call is a call of Lock, RLock, Unlock or RUnlock of a
// sync.Mutex or sync.RWMutex, also promoted through embedding
// (s.Lock() where s embeds sync.Mutex), or of a sync.Locker. A release
// is also a call of a func value that calls Unlock: the method value
// mu.Unlock, a literal that releases mu, the idempotent unlock a
// sync.Once makes (unlock := func() { once.Do(mu.Unlock) }), or the
// result of a function of the package that returns such a literal for
// the mutex it is given (unlock := onceUnlock(&mu)).
package locks

import (
	"go/ast"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/assigns"
	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Analyzer builds the package's Model once for every analyzer that
// asks about locks.
var Analyzer = &analysis.Analyzer{
	Name:             "locks",
	Doc:              "model the package's mutexes: lock and unlock calls, mutex identity, held regions",
	Requires:         []*analysis.Analyzer{assigns.Analyzer, index.Analyzer},
	ResultType:       reflect.TypeFor[*report.Result[*Model]](),
	RunDespiteErrors: true,
	Run:              report.WrapRun(run),
}

// A Model answers questions about the locks of one package. It keeps no
// *analysis.Pass.
type Model struct {
	info  *types.Info
	pkg   *types.Package
	defs  *assigns.Index
	funcs *index.Index

	// regions and releases cache Regions and Releases: every check asks
	// about the same bodies, and checks of one package may run at once.
	mu       sync.Mutex
	regions  map[*ast.BlockStmt][]Region
	releases map[releaseKey]bool
}

func run(pass *analysis.Pass) (*Model, error) {
	return &Model{info: pass.TypesInfo, pkg: pass.Pkg,
		defs:  report.HelperResult[*assigns.Index](pass, assigns.Analyzer),
		funcs: report.HelperResult[*index.Index](pass, index.Analyzer)}, nil
}

// An Op is what a lock call does.
type Op int

const (
	Lock Op = iota + 1
	RLock
	Unlock
	RUnlock
)

var opNames = map[string]Op{"Lock": Lock, "RLock": RLock, "Unlock": Unlock, "RUnlock": RUnlock}

// Takes reports whether o takes the mutex (Lock or RLock).
func (o Op) Takes() bool { return o == Lock || o == RLock }

// A Mutex names a mutex. Key names it the same way in every function
// and package: "pkgpath.Type.field" for a field of a named struct (an
// embedded mutex is the field named after its type), "pkgpath.name" for
// a package variable; it is empty for a local mutex or anything else it
// cannot name. Text is the receiver as written ("s.mu").
type Mutex struct {
	Key  string
	Text string
}

// Same reports whether m and o are the same mutex within one function
// body: the same receiver as written.
func (m Mutex) Same(o Mutex) bool { return m.Text == o.Text }

// Across reports whether m and o, seen from two functions (or a function
// and a goroutine it starts), may be the same mutex: the same key, or,
// for mutexes with none (locals a literal captures), the same text.
func (m Mutex) Across(o Mutex) bool {
	if m.Key != "" || o.Key != "" {
		return m.Key == o.Key
	}
	return m.Text != "" && m.Text == o.Text
}

// A Call is a lock call.
type Call struct {
	Call  *ast.CallExpr
	Op    Op
	Mutex Mutex
}

// CallOf reports whether n is a direct lock call (not through a func
// value; see Model.Release), and describes it.
func CallOf(info *types.Info, n ast.Node) (Call, bool) {
	call, ok := unparenCall(n)
	if !ok || len(call.Args) != 0 {
		return Call{}, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return Call{}, false
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || !isLockMethod(fn) {
		return Call{}, false
	}
	return Call{Call: call, Op: opNames[fn.Name()], Mutex: mutexOf(info, sel)}, true
}

// isLockMethod reports whether fn is Lock, RLock, Unlock or RUnlock of
// sync.Mutex, sync.RWMutex or sync.Locker.
func isLockMethod(fn *types.Func) bool {
	if _, ok := opNames[fn.Name()]; !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	switch n.Obj().Name() {
	case "Mutex", "RWMutex", "Locker":
		return true
	}
	return false
}

// mutexOf names the mutex whose method sel selects.
func mutexOf(info *types.Info, sel *ast.SelectorExpr) Mutex {
	m := Mutex{Text: types.ExprString(sel.X)}
	if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
		m.Key = keyOf(info, sel.X, s.Index())
	}
	return m
}

// keyOf returns the key of the mutex reached from x by a method
// selection with the given index path (see Mutex).
func keyOf(info *types.Info, x ast.Expr, index []int) string {
	if len(index) > 1 {
		// Promoted through embedded fields: the mutex is the last one.
		t := info.TypeOf(x)
		var owner *types.Named
		var field *types.Var
		for _, i := range index[:len(index)-1] {
			owner = namedOf(t)
			if owner == nil {
				return ""
			}
			st, ok := owner.Underlying().(*types.Struct)
			if !ok || i >= st.NumFields() {
				return ""
			}
			field = st.Field(i)
			t = field.Type()
		}
		return fieldKey(owner, field)
	}
	switch x := ast.Unparen(x).(type) {
	case *ast.SelectorExpr:
		v, ok := info.Uses[x.Sel].(*types.Var)
		if !ok {
			return ""
		}
		if !v.IsField() {
			return pkgVarKey(v)
		}
		if s := info.Selections[x]; s != nil && len(s.Index()) == 1 {
			return fieldKey(namedOf(s.Recv()), v)
		}
	case *ast.Ident:
		if v, ok := info.Uses[x].(*types.Var); ok {
			return pkgVarKey(v)
		}
	case *ast.StarExpr:
		return keyOf(info, x.X, index)
	}
	return ""
}

func namedOf(t types.Type) *types.Named {
	if t == nil {
		return nil
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	if n != nil {
		n = n.Origin()
	}
	return n
}

func fieldKey(owner *types.Named, field *types.Var) string {
	if owner == nil || field == nil || owner.Obj().Pkg() == nil {
		return ""
	}
	return owner.Obj().Pkg().Path() + "." + owner.Obj().Name() + "." + field.Name()
}

func pkgVarKey(v *types.Var) string {
	if v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return "" // a local mutex: no other function can take it.
	}
	return v.Pkg().Path() + "." + v.Name()
}

// Takes reports whether n is a call that takes a mutex.
func Takes(info *types.Info, n ast.Node) (Call, bool) {
	c, ok := CallOf(info, n)
	return c, ok && c.Op.Takes()
}

// Release reports whether e releases a mutex: a direct Unlock or
// RUnlock call, a sync.Once's Do of one (once.Do(mu.Unlock), which a
// function may reset with *once = sync.Once{} before it locks again), or
// a call of a local func value every definition of which releases one
// (see the package comment).
func (m *Model) Release(e ast.Expr) (Call, bool) {
	if c, ok := CallOf(m.info, e); ok {
		return c, !c.Op.Takes()
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || m == nil {
		return Call{}, false
	}
	if mutex, ok := onceRelease(m.info, call); ok {
		return Call{Call: call, Op: Unlock, Mutex: mutex}, true // once.Do(mu.Unlock)
	}
	if len(call.Args) != 0 {
		return Call{}, false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return Call{}, false
	}
	v, ok := m.info.Uses[id].(*types.Var)
	if !ok {
		return Call{}, false
	}
	if mutex, ok := m.unlockerOf(m.defs.InitialValue(v), 0); ok {
		return Call{Call: call, Op: Unlock, Mutex: mutex}, true
	}
	return Call{}, false
}

// TakesAny reports whether n calls a method named Lock or RLock of any
// type: a mutex, a sync.Locker, or a type of the program that wraps one
// (a file lock, a striped lock). Checks that only need to know that a
// function serialises something ask this; those that follow a mutex ask
// Takes.
func TakesAny(info *types.Info, n ast.Node) bool {
	call, ok := unparenCall(n)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	return ok && fn.Signature().Recv() != nil && (fn.Name() == "Lock" || fn.Name() == "RLock")
}

// unparenCall returns n as a call, parentheses removed.
func unparenCall(n ast.Node) (*ast.CallExpr, bool) {
	e, ok := n.(ast.Expr)
	if !ok {
		return nil, false
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return call, ok
}

// Releases reports whether fn, a function of the package, releases the
// mutex mu (by key: the same field or package variable) anywhere in its
// body: a call of it hands the release over (s.unlockAndNotify()).
func (m *Model) Releases(fn *types.Func, mu Mutex) bool {
	if mu.Key == "" {
		return false
	}
	k := releaseKey{fn.Origin(), mu.Key}
	m.mu.Lock()
	got, ok := m.releases[k]
	m.mu.Unlock()
	if ok {
		return got
	}
	found := false
	if decl := m.funcs.Decl(fn); decl != nil {
		ast.Inspect(decl.Body, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok && !found {
				if r, ok := m.Release(e); ok && r.Mutex.Across(mu) {
					found = true
				}
			}
			return !found
		})
	}
	m.mu.Lock()
	if m.releases == nil {
		m.releases = make(map[releaseKey]bool)
	}
	m.releases[k] = found
	m.mu.Unlock()
	return found
}

// A releaseKey caches Releases.
type releaseKey struct {
	fn  *types.Func
	key string
}
