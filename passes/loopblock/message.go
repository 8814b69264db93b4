package loopblock

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/code"
	"github.com/asynclint/asynclint/passes/internal/locks"
)

// reportInContext reports op, which runs in the event context ec.
func reportInContext(pass *analysis.Pass, fn *function, op blocking.Op, ec eventContext, fixed map[*ast.CallExpr]bool) {
	var effect string
	where := "loop"
	switch ec.kind {
	case handlerContext:
		effect, where = "the request and its goroutine hang as long as it does", "handler"
	case workerContext:
		if rule("worker", op) != "worker-io" {
			return // a worker's waits on channels and timers are its own business.
		}
		effect, where = "the call cannot see the context, so the loop's shutdown waits for it", "worker"
	default:
		effect = "every event behind it waits"
	}
	pass.Report(analysis.Diagnostic{
		Pos: op.Pos(), End: op.Node.End(), Category: rule(where, op),
		Message:        fmt.Sprintf("%s in %s: %s; %s", blocks(op, 0, false), ec.name, effect, cure(op)),
		SuggestedFixes: fixes(pass, fn, op, fixed),
	})
}

// reportLocked reports op, which runs while the mutex of lock is held.
func reportLocked(pass *analysis.Pass, fn *function, op blocking.Op, lock locks.Region, fixed map[*ast.CallExpr]bool) {
	if servedUnderLock(pass, fn, op) {
		return // a serving loop takes it in one turn.
	}
	d, bounded := blocking.SleepBound(pass.TypesInfo, fn.body, op, lock.Pos)
	pass.Report(analysis.Diagnostic{
		Pos: op.Pos(), End: op.Node.End(), Category: rule("lock", op),
		Message: fmt.Sprintf("%s while %s is held: every other user of the lock stalls too; release the lock first or %s",
			blocks(op, d, bounded), lock.Lock.Mutex.Text, cure(op)),
		Related:        []analysis.RelatedInformation{{Pos: lock.Lock.Call.Pos(), End: lock.Lock.Call.End(), Message: lock.Lock.Mutex.Text + " is locked here"}},
		SuggestedFixes: fixes(pass, fn, op, fixed),
	})
}

// rule names the rule of op's finding: where it runs ("handler", "loop"
// or "lock") and what kind of wait it is, the wait its callee reaches
// for a call.
func rule(where string, op blocking.Op) string {
	kind := op.Kind
	if op.Callee != nil {
		kind = op.CalleeReason.Kind
	}
	switch kind {
	case blocking.KindSleep, blocking.KindWait:
		return where + "-wait"
	case blocking.KindChan, blocking.KindSelect:
		return where + "-chan"
	default:
		return where + "-io"
	}
}

// blocks says what op is and that it blocks: without bound, or for up
// to d when bounded is set (a sleep with a bound under a lock).
func blocks(op blocking.Op, d time.Duration, bounded bool) string {
	if op.Callee != nil {
		r := op.CalleeReason
		via := ""
		if r.Via != "" {
			via = " through " + r.Via
		}
		how := "can block without bound"
		switch {
		case bounded:
			how = "blocks for up to " + d.String()
		case r.Kind == blocking.KindSleep:
			how = "sleeps" // a sleep's bound is in the callee, not known here
		}
		return fmt.Sprintf("call of %s %s (it reaches %s at %s%s)", blocking.FuncName(op.Callee), how, r.What, r.At, via)
	}
	switch {
	case bounded && op.Kind != blocking.KindSleep:
		return fmt.Sprintf("%s blocks for up to %s", op.What, d) // a join of goroutines that pause
	}
	switch op.Kind {
	case blocking.KindHTTP:
		return op.What + " without a timeout or context can block without bound"
	case blocking.KindDial:
		return op.What + " without a timeout can block without bound"
	case blocking.KindSQL:
		return op.What + " without a context can block without bound"
	case blocking.KindExec:
		return op.What + " of a command made by exec.Command can block without bound"
	case blocking.KindSleep:
		return op.What + " blocks"
	case blocking.KindConn:
		return op.What + " with no deadline can block without bound"
	case blocking.KindSelect:
		return "select with no default, ctx.Done() or timer case can block without bound"
	}
	return op.What + " can block without bound"
}

// cure says what to do about op.
func cure(op blocking.Op) string {
	if op.Callee != nil {
		return fmt.Sprintf("bound it inside %s (%s) or move the call to a worker goroutine", blocking.FuncName(op.Callee), op.CalleeReason.Kind.Cure())
	}
	if op.Entry != nil && op.Entry.Twin != "" {
		return "use " + op.Entry.Twin + " with a context"
	}
	return op.Kind.Cure()
}

// fixes returns the mechanical fix of op, when there is one and a
// context is in scope: exec.Command becomes exec.CommandContext, net.Dial
// a net.Dialer's DialContext, a database/sql call its ...Context twin.
func fixes(pass *analysis.Pass, fn *function, op blocking.Op, fixed map[*ast.CallExpr]bool) []analysis.SuggestedFix {
	switch {
	case op.Entry == nil:
		return nil
	case op.Entry.Kind == blocking.KindExec && op.Origin != nil && !fixed[op.Origin]:
		sel, ctx, ok := selectorAndContext(pass, fn, op.Origin)
		if !ok {
			return nil
		}
		fixed[op.Origin] = true
		return []analysis.SuggestedFix{{
			Message: "Use exec.CommandContext",
			TextEdits: []analysis.TextEdit{
				{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte("CommandContext")},
				{Pos: op.Origin.Lparen + 1, End: op.Origin.Lparen + 1, NewText: []byte(ctx + ", ")},
			},
		}}
	case op.Entry.Func == "net.Dial":
		call, _ := op.Node.(*ast.CallExpr)
		sel, ctx, ok := selectorAndContext(pass, fn, call)
		if !ok {
			return nil
		}
		pkg := types.ExprString(sel.X) // the import's name in this file.
		return []analysis.SuggestedFix{{
			Message: "Use net.Dialer.DialContext",
			TextEdits: []analysis.TextEdit{
				{Pos: call.Fun.Pos(), End: call.Fun.End(), NewText: []byte("(&" + pkg + ".Dialer{}).DialContext")},
				{Pos: call.Lparen + 1, End: call.Lparen + 1, NewText: []byte(ctx + ", ")},
			},
		}}
	case op.Entry.Twin != "":
		call, _ := op.Node.(*ast.CallExpr)
		sel, ctx, ok := selectorAndContext(pass, fn, call)
		if !ok {
			return nil
		}
		args := ctx
		if op.Entry.TwinArgs != "" {
			args += ", " + op.Entry.TwinArgs
		}
		if len(call.Args) > 0 {
			args += ", "
		}
		return []analysis.SuggestedFix{{
			Message: "Use " + op.Entry.Twin,
			TextEdits: []analysis.TextEdit{
				{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(op.Entry.Twin)},
				{Pos: call.Lparen + 1, End: call.Lparen + 1, NewText: []byte(args)},
			},
		}}
	}
	return nil
}

// selectorAndContext returns what every fix needs of call: its
// pkg.Func or x.Method selector, and a context in scope at the call. ok
// is false when call is nil, is not a selector call, or no context is in
// scope.
func selectorAndContext(pass *analysis.Pass, fn *function, call *ast.CallExpr) (sel *ast.SelectorExpr, ctx string, ok bool) {
	if call == nil {
		return nil, "", false
	}
	sel, ok = ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, "", false
	}
	ctx = contextIn(pass, fn, call.Pos())
	return sel, ctx, ctx != ""
}

// contextIn returns an expression for a context that is in scope at pos
// in fn: the innermost context.Context variable declared before pos, or
// the Context() of an HTTP handler's request. It returns "" when there is
// none.
func contextIn(pass *analysis.Pass, fn *function, pos token.Pos) string {
	for scope := pass.Pkg.Scope().Innermost(pos); scope != nil && scope != pass.Pkg.Scope(); scope = scope.Parent() {
		if name := contextVar(scope, pos); name != "" {
			return name
		}
	}
	for v := range fn.sig.Params().Variables() {
		if isPointerTo(v.Type(), "net/http", "Request") && v.Name() != "" && v.Name() != "_" {
			return v.Name() + ".Context()"
		}
	}
	return ""
}

// contextVar returns the name of a context.Context variable of scope
// declared before pos, preferring "ctx".
func contextVar(scope *types.Scope, pos token.Pos) string {
	found := ""
	for _, name := range scope.Names() {
		v, ok := scope.Lookup(name).(*types.Var)
		if !ok || v.Pos() >= pos || name == "_" || !code.IsNamedType(v.Type(), "context", "Context") {
			continue
		}
		if name == "ctx" {
			return name
		}
		if found == "" {
			found = name
		}
	}
	return found
}
