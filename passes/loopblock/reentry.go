package loopblock

// This file finds a lock taken again through a call: a method that holds
// its receiver's mutex calls another method of the package, on the same
// receiver, that locks that mutex itself. sync.Mutex is not reentrant,
// so the call deadlocks.
//
// What a method locks on entry is summarised once per package: the lock
// statements at the top level of its body (taken on every path that gets
// there), and those of the methods it calls, at the top level, on the
// same receiver, two calls deep. Same-receiver calls are matched as
// written (s.mu held, s.B() called, B locks r.mu of its receiver r).
// Methods of other packages, and calls through interfaces and func
// values, are out of reach.

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/asynclint/asynclint/passes/internal/index"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// An entryLock is a lock a method takes on entry, named relative to its
// receiver: ".mu" for r.mu, "" for r itself (an embedded mutex).
type entryLock struct {
	path string
	op   locks.Op
	at   *ast.CallExpr
}

// reentry holds the package's summaries.
type reentry struct {
	pass  *analysis.Pass
	model *locks.Model
	funcs *index.Index
	entry map[*types.Func][]entryLock
}

// maxEntryDepth bounds the same-receiver calls followed for a summary.
const maxEntryDepth = 2

func newReentry(pass *analysis.Pass, model *locks.Model) *reentry {
	return &reentry{pass: pass, model: model, funcs: report.HelperResult[*index.Index](pass, index.Analyzer),
		entry: make(map[*types.Func][]entryLock)}
}

// entryLocks returns the locks fn takes on entry (see the file comment).
func (r *reentry) entryLocks(fn *types.Func, depth int) []entryLock {
	if got, ok := r.entry[fn]; ok {
		return got
	}
	r.entry[fn] = nil // recursion: nothing more.
	decl := r.funcs.Decl(fn)
	if decl == nil || decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 {
		return nil
	}
	recv := decl.Recv.List[0].Names[0].Name
	var out []entryLock
	for _, stmt := range decl.Body.List {
		es, ok := stmt.(*ast.ExprStmt)
		if !ok {
			continue
		}
		if c, ok := locks.Takes(r.pass.TypesInfo, es.X); ok {
			if path, ok := relative(c.Mutex.Text, recv); ok {
				out = append(out, entryLock{path, c.Op, c.Call})
			}
			continue
		}
		if depth >= maxEntryDepth {
			continue
		}
		if callee, x, ok := r.methodCall(es.X); ok && types.ExprString(x) == recv {
			out = append(out, r.entryLocks(callee, depth+1)...)
		}
	}
	r.entry[fn] = out
	return out
}

// relative returns text, a mutex as written, relative to the receiver
// recv: ".mu" for "recv.mu", "" for "recv".
func relative(text, recv string) (string, bool) {
	if text == recv {
		return "", true
	}
	if rest, ok := strings.CutPrefix(text, recv+"."); ok {
		return "." + rest, true
	}
	return "", false
}

// methodCall returns the method of the package that e calls statically,
// and the receiver expression.
func (r *reentry) methodCall(e ast.Expr) (*types.Func, ast.Expr, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil, nil, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	fn := typeutil.StaticCallee(r.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() != r.pass.Pkg || fn.Signature().Recv() == nil {
		return nil, nil, false
	}
	if s := r.pass.TypesInfo.Selections[sel]; s == nil || s.Kind() != types.MethodVal || len(s.Index()) != 1 {
		return nil, nil, false // a promoted method has another receiver.
	}
	return fn.Origin(), sel.X, true
}

// check reports the calls in fn made while a mutex is held whose callee
// locks it again on entry.
func (r *reentry) check(fn *function) {
	regions := r.model.Regions(fn.body)
	if len(regions) == 0 {
		return
	}
	type pair struct {
		lock   *ast.CallExpr
		callee *types.Func
	}
	reported := make(map[pair]bool) // one finding per held lock and callee
	ast.Inspect(fn.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			callee, x, ok := r.methodCall(n)
			if !ok {
				return true
			}
			for _, e := range r.entryLocks(callee, 0) {
				text := types.ExprString(x) + e.path
				for _, reg := range regions {
					if reg.Holds(n.Pos()) && reg.Lock.Mutex.Text == text {
						if p := (pair{reg.Lock.Call, callee}); !reported[p] {
							reported[p] = true
							r.report(fn, n, callee, e, reg)
						}
						return true
					}
				}
			}
		}
		return true
	})
}

func (r *reentry) report(fn *function, call *ast.CallExpr, callee *types.Func, e entryLock, reg locks.Region) {
	held := reg.Lock.Mutex
	if reg.Lock.Op == locks.RLock && e.op == locks.RLock {
		return // read locks taken twice deadlock only if a writer comes between: measured 0 of 2 true.
	}
	msg := fmt.Sprintf("%s locks %s, which %s already holds here: sync mutexes are not reentrant, so the call deadlocks; call a variant that expects the lock held, or release it first",
		shortName(callee), held.Text, fn.name)
	r.pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: "lock-reentry", Message: msg,
		Related: []analysis.RelatedInformation{
			{Pos: reg.Lock.Call.Pos(), End: reg.Lock.Call.End(), Message: held.Text + " is locked here"},
			{Pos: e.at.Pos(), End: e.at.End(), Message: shortName(callee) + " locks it again here"},
		}})
}
