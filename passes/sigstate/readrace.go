package sigstate

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// checkReadRace reports a handler that reads a plain variable of basic
// type, without a lock, while another goroutine writes it without one:
// the mirror of checkRace. A write runs in another goroutine when its
// function is started with a go statement, or when it is in the function
// that started the handler's goroutine, after the go statement.
func (c *checker) checkReadRace(h *handler) {
	info := c.pass.TypesInfo
	for _, stmt := range h.body {
		if takesLock(info, stmt) {
			return // the handler takes a lock; assume the writers take it too.
		}
	}
	seen := make(map[types.Object]bool)
	for _, stmt := range h.body {
		cur, ok := h.fn.FindNode(stmt)
		if !ok {
			continue
		}
		for use := range cur.Preorder((*ast.Ident)(nil)) {
			if enclosingFunc(use) != h.fn {
				continue // a function literal: runs later, if at all
			}
			v, ok := info.Uses[use.Node().(*ast.Ident)].(*types.Var)
			if !ok || seen[v] || isWrite(use) || isAssignTarget(use) {
				continue
			}
			if sel, ok := use.Parent().Node().(*ast.SelectorExpr); ok && sel.X == use.Node() {
				continue // the base of a selector: the field is the variable read
			}
			seen[v] = true
			if _, basic := v.Type().Underlying().(*types.Basic); !basic || v.IsField() {
				continue // atomics, channels and structs are out of scope; a field's uses span every instance
			}
			if isLocal(v) && funcBody(h.fn).Pos() <= v.Pos() && v.Pos() < funcBody(h.fn).End() {
				continue // the handler's own local
			}
			write, ok := c.concurrentWrite(v, h)
			if !ok {
				continue
			}
			writer := funcName(enclosingFunc(write))
			c.pass.Report(analysis.Diagnostic{
				Category: "race-read",
				Pos:      use.Node().Pos(), End: use.Node().End(),
				Message: fmt.Sprintf("signal handler reads %s without synchronization while %s writes it: a data race, and the handler may act on a stale value; use an atomic, a channel the writer closes, or a lock on both sides",
					v.Name(), writer),
				Related: []analysis.RelatedInformation{{Pos: write.Node().Pos(), Message: writer + " writes it here"}},
			})
		}
	}
}

// concurrentWrite returns a lock-free write of v that may run in another
// goroutine while h runs. It returns nothing when v's address is taken
// (it may be used with sync/atomic).
func (c *checker) concurrentWrite(v *types.Var, h *handler) (inspector.Cursor, bool) {
	var found inspector.Cursor
	ok := false
	for _, use := range c.usesOf(v) {
		if isAddressTaken(use) {
			return inspector.Cursor{}, false
		}
		if ok || !(isWrite(use) || isAssignTarget(use)) || within(use.Node().Pos(), h.body) {
			continue
		}
		fn := enclosingFunc(use)
		if fn == h.fn || fn.Node() == nil {
			continue // the handler's own goroutine, or a package initializer
		}
		if body := funcBody(fn); body == nil || takesLock(c.pass.TypesInfo, body) {
			continue // the writer takes a lock
		}
		if c.startedByGo(fn) || c.afterStart(use, h) {
			found, ok = use, true
		}
	}
	return found, ok
}

// startedByGo reports whether the function at fn runs as a goroutine of
// its own: a literal called by a go statement, or a function declaration
// of this package that some go statement calls.
func (c *checker) startedByGo(fn inspector.Cursor) bool {
	if c.goFuncs == nil {
		c.goFuncs = make(map[any]bool)
		for cur := range c.insp.Root().Preorder((*ast.GoStmt)(nil)) {
			call := cur.Node().(*ast.GoStmt).Call
			if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
				c.goFuncs[lit] = true
			} else if f := typeutil.StaticCallee(c.pass.TypesInfo, call); f != nil {
				c.goFuncs[f.Origin()] = true
			}
		}
	}
	switch n := fn.Node().(type) {
	case *ast.FuncLit:
		return c.goFuncs[n]
	case *ast.FuncDecl:
		if f, ok := c.pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
			return c.goFuncs[f]
		}
	}
	return false
}

// afterStart reports whether the write at use is in the function whose
// go statement started h's goroutine, after that statement (or in a loop
// around it), so that it runs concurrently with h.
func (c *checker) afterStart(use inspector.Cursor, h *handler) bool {
	lit, ok := h.fn.Node().(*ast.FuncLit)
	if !ok || !c.startedByGo(h.fn) {
		return false
	}
	starter := enclosingFunc(h.fn.Parent())
	if enclosingFunc(use) != starter {
		return false
	}
	return use.Node().Pos() > lit.End() || inLoopAround(use, lit)
}
