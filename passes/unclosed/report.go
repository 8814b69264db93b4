package unclosed

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"
)

// ReadToEOFCategory is the rule of the findings of response bodies read
// to EOF and not closed on some path: their connection is back in the
// pool, so they are a matter of contract, not of a leak (opt-in).
const ReadToEOFCategory = "read-to-eof"

// report describes the leak lk that w found.
func (c *checker) report(w *walker, lk *leak) {
	acq, f := w.acq, w.f
	path := c.pathTo(acq.call.Pos())
	call := enclosingCall(path, acq.call.Pos())
	if call == nil {
		return // no syntax for the call (generated wrapper).
	}
	kind := acq.kind
	name, assign := assignedName(path, call, acq.index)
	what := fmt.Sprintf("%s from %s", kind.Noun, types.ExprString(call.Fun))
	var when string
	switch {
	case name == "":
		when = "is discarded, so it is never " + kind.Released()
	case lk.loop:
		when = "is not " + kind.Released() + " before the loop acquires the next one"
	case !f.releasedSomewhere(!w.readToEOF) && len(w.ends) == 0:
		when = "is never " + kind.Released()
	default:
		if cond := c.leakCondition(w, lk, call.Pos()); cond != "" {
			when = "is not " + kind.Released() + " when " + cond
		} else if lk.ret != nil && lk.ret.Pos().IsValid() {
			when = "is not " + kind.Released() + " on the path to this return"
		} else {
			when = "is not " + kind.Released() + " on every path to the end of the function"
		}
	}
	fix, fixes := c.fix(acq, f, name, assign, path)
	advice := "release it on every path"
	switch {
	case fix != "":
		advice = "add " + fix + " after the error check"
	case name == "" && len(kind.ExhaustedBy) > 0:
		advice = "use Exec when no rows are wanted" // migrate's _, err = db.Query("VACUUM")
	case name == "":
		advice = "keep it and release it"
	case lk.loop:
		advice = "release it before the next iteration"
	case hasEscape(f):
		advice = "release it before returning on this path"
	}
	d := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: kind.Rule,
		Message:        fmt.Sprintf("%s %s: %s; %s", what, when, kind.Why, advice),
		SuggestedFixes: fixes,
	}
	if w.readToEOF {
		// Every leaking path reads the body to EOF: the connection is
		// back in the pool, so say what is left.
		d.Category = ReadToEOFCategory
		d.Message = fmt.Sprintf("%s is read to EOF but %s: net/http has already returned its connection to the pool, so nothing stays held, but Close is the contract of every RoundTripper (a wrapping transport may free its own resources only there); %s",
			what, strings.TrimPrefix(when, "is "), advice)
	}
	if lk.ret != nil && lk.ret.Pos().IsValid() {
		// Name every return that leaks it, the one the message is about first.
		more, _ := w.leakingReturns()
		rets := append([]*ssa.Return{lk.ret}, more...)
		seen := make(map[token.Pos]bool)
		for _, ret := range rets {
			if pos := ret.Pos(); pos.IsValid() && !seen[pos] {
				seen[pos] = true
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: pos, Message: "this return leaks the " + kind.Noun})
			}
		}
	}
	c.pass.Report(d)
}

func hasEscape(f *flow) bool {
	for _, ev := range f.events {
		if ev == escape || ev == handoff {
			return true
		}
	}
	return false
}

// pathTo returns the syntax path from the file to pos.
func (c *checker) pathTo(pos token.Pos) []ast.Node {
	for _, file := range c.pass.Files {
		if file.FileStart <= pos && pos < file.FileEnd {
			path, _ := astutil.PathEnclosingInterval(file, pos, pos)
			return path
		}
	}
	return nil
}

// enclosingCall returns the call expression whose Lparen is pos.
func enclosingCall(path []ast.Node, pos token.Pos) *ast.CallExpr {
	for _, n := range path {
		if call, ok := n.(*ast.CallExpr); ok && call.Lparen == pos {
			return call
		}
	}
	return nil
}

// assignedName returns the variable the resource is assigned to (""
// when discarded or not assigned to a plain variable) and the
// assignment.
func assignedName(path []ast.Node, call *ast.CallExpr, index int) (string, *ast.AssignStmt) {
	for i, n := range path {
		if n != call {
			continue
		}
		if i+1 >= len(path) {
			return "?", nil
		}
		assign, ok := path[i+1].(*ast.AssignStmt)
		if !ok || len(assign.Rhs) != 1 || assign.Rhs[0] != call {
			return "?", nil // used in place: the name is not needed
		}
		if index >= len(assign.Lhs) {
			return "?", nil
		}
		id, ok := assign.Lhs[index].(*ast.Ident)
		if !ok {
			return "?", nil
		}
		if id.Name == "_" {
			return "", nil
		}
		return id.Name, assign
	}
	return "?", nil
}

// leakCondition renders the condition under which the leak happens: the
// branch or failed hand-off that explains it, or else the condition of
// the if statement around the return reached.
func (c *checker) leakCondition(w *walker, lk *leak, after token.Pos) string {
	if st, ok := w.cause(lk); ok {
		if ifInstr, ok := st.instr.(*ssa.If); ok {
			if cond := c.branchCondition(ifInstr, st.succ == 0); cond != "" {
				return cond
			}
		} else if call := enclosingCall(c.pathTo(st.instr.Pos()), st.instr.Pos()); call != nil {
			return types.ExprString(call.Fun) + " fails"
		}
	}
	if lk.ret != nil && lk.ret.Pos().IsValid() {
		return c.conditionOf(lk.ret.Pos(), after)
	}
	return ""
}

// branchCondition renders the condition of an if statement (or a
// part of it joined by && or ||) that the SSA branch ifInstr tests, as
// it holds when the branch goes the way truth says: "resp.StatusCode !=
// 200", or "tx.Exec fails" for an error check right after the call. It
// returns "" when the condition is not in an if statement's condition.
func (c *checker) branchCondition(ifInstr *ssa.If, truth bool) string {
	pos := ifInstr.Cond.Pos()
	if !pos.IsValid() {
		return ""
	}
	path := c.pathTo(pos)
	var e ast.Expr
	i := 0
	for ; i < len(path); i++ {
		switch n := path[i].(type) {
		case *ast.BinaryExpr:
			if n.OpPos == pos {
				e = n
			}
		case *ast.CallExpr:
			if n.Lparen == pos {
				e = n
			}
		}
		if e != nil {
			break
		}
	}
	if e == nil {
		return ""
	}
	// Climb through parentheses, !, && and || to the if statement.
	for j := i + 1; j < len(path); j++ {
		switch n := path[j].(type) {
		case *ast.ParenExpr:
			continue
		case *ast.UnaryExpr:
			if n.Op == token.NOT {
				continue
			}
		case *ast.BinaryExpr:
			if n.Op == token.LAND || n.Op == token.LOR {
				continue
			}
		case *ast.IfStmt:
			if !inside(n.Cond, e) {
				return ""
			}
			if ast.Unparen(n.Cond) == e && isErrCheck(e) == truth && isNilCompare(e) {
				if call := failingCall(n, path[j+1:]); call != nil {
					return types.ExprString(call.Fun) + " fails"
				}
			}
			if truth {
				return types.ExprString(e)
			}
			return negate(e)
		}
		return ""
	}
	return ""
}

// guardOf reports whether the call whose Lparen is pos, possibly
// negated and parenthesised, is the whole condition of an if statement,
// and whether it is negated (an odd number of times).
func (c *checker) guardOf(pos token.Pos) (neg, ok bool) {
	path := c.pathTo(pos)
	call := enclosingCall(path, pos)
	if call == nil {
		return false, false
	}
	var e ast.Node = call
	for _, n := range path {
		if !inside(n, call) || n == ast.Node(call) {
			continue
		}
		switch n := n.(type) {
		case *ast.ParenExpr:
		case *ast.UnaryExpr:
			if n.Op != token.NOT {
				return false, false
			}
			neg = !neg
		case *ast.IfStmt:
			return neg, n.Cond == e
		default:
			return false, false
		}
		e = n
	}
	return false, false
}

func inside(outer, inner ast.Node) bool {
	return outer.Pos() <= inner.Pos() && inner.End() <= outer.End()
}

// isNilCompare reports whether e is "x == nil" or "x != nil".
func isNilCompare(e ast.Expr) bool {
	bin, ok := e.(*ast.BinaryExpr)
	if !ok || (bin.Op != token.EQL && bin.Op != token.NEQ) {
		return false
	}
	id, ok := bin.Y.(*ast.Ident)
	return ok && id.Name == "nil"
}

// negations maps a comparison to its negation.
var negations = map[token.Token]token.Token{
	token.EQL: token.NEQ, token.NEQ: token.EQL,
	token.LSS: token.GEQ, token.GEQ: token.LSS,
	token.GTR: token.LEQ, token.LEQ: token.GTR,
}

// negate renders the negation of e: "resp.StatusCode != 200" for
// "resp.StatusCode == 200".
func negate(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if op, ok := negations[e.Op]; ok {
			return types.ExprString(e.X) + " " + op.String() + " " + types.ExprString(e.Y)
		}
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			return types.ExprString(e.X)
		}
	}
	return "not " + types.ExprString(e)
}

// conditionOf renders the condition under which the return at ret runs:
// the innermost if statement around it that follows the acquisition.
func (c *checker) conditionOf(ret, after token.Pos) string {
	path := c.pathTo(ret)
	for i, n := range path {
		if i == 0 || n.Pos() < after {
			continue
		}
		switch n := n.(type) {
		case *ast.IfStmt:
			cond := types.ExprString(n.Cond)
			if path[i-1] == n.Else {
				return "not " + cond
			}
			if call := failingCall(n, path[i+1:]); call != nil {
				return types.ExprString(call.Fun) + " fails"
			}
			return cond
		case *ast.CaseClause:
			if i+2 < len(path) {
				if sw, ok := path[i+2].(*ast.SwitchStmt); ok && sw.Pos() >= after {
					return caseCondition(sw.Tag, n)
				}
			}
		}
	}
	return ""
}

// caseCondition renders the case clause cc of a switch on tag:
// "resp.StatusCode is http.StatusNotFound".
func caseCondition(tag ast.Expr, cc *ast.CaseClause) string {
	if cc.List == nil {
		if tag == nil {
			return "no case of the switch holds"
		}
		return types.ExprString(tag) + " takes the default case"
	}
	vals := make([]string, len(cc.List))
	for i, e := range cc.List {
		vals[i] = types.ExprString(e)
	}
	if tag == nil {
		return strings.Join(vals, " or ") // switch { case resp.StatusCode == 404: }
	}
	return types.ExprString(tag) + " is " + strings.Join(vals, " or ")
}

// fix returns the release statement and the suggested fix that inserts
// it right after the error check, or moves a later deferred release
// there. There is none when the resource is handed on somewhere (a
// deferred release would close what the caller now owns).
func (c *checker) fix(acq *acquisition, f *flow, name string, assign *ast.AssignStmt, path []ast.Node) (string, []analysis.SuggestedFix) {
	if acq.kind.Fix == "" || assign == nil || name == "" || hasEscape(f) || loopAround(path) {
		return "", nil
	}
	stmt := fmt.Sprintf(acq.kind.Fix, name)
	after := anchorFor(assign, path, len(acq.errs) > 0)
	if after == nil {
		return "", nil
	}
	tf := c.pass.Fset.File(assign.Pos())
	indent := strings.Repeat("\t", c.pass.Fset.Position(assign.Pos()).Column-1)
	// Insert at the end of the line, after any trailing comment.
	endLine := tf.Line(after.End())
	if endLine >= tf.LineCount() {
		return "", nil
	}
	at := tf.LineStart(endLine+1) - 1
	edits := []analysis.TextEdit{{Pos: at, End: at, NewText: []byte("\n" + indent + stmt)}}
	msg := "Add " + stmt + " after the error check"
	if d := deferredRelease(c, f); d != nil {
		line := tf.Line(d.Pos())
		if line >= tf.LineCount() {
			return "", nil
		}
		edits = append(edits, analysis.TextEdit{Pos: tf.LineStart(line), End: tf.LineStart(line + 1)})
		msg = "Move " + stmt + " up to right after the error check"
	}
	return stmt, []analysis.SuggestedFix{{Message: msg, TextEdits: edits}}
}

// anchorFor returns the statement after which the deferred release
// goes: the if err != nil check right after the assignment, or the
// assignment itself when the call returns no error.
func anchorFor(assign *ast.AssignStmt, path []ast.Node, hasErr bool) ast.Stmt {
	var block *ast.BlockStmt
	for _, n := range path {
		if n == assign {
			continue
		}
		if b, ok := n.(*ast.BlockStmt); ok {
			block = b
			break
		}
		if _, ok := n.(ast.Stmt); ok && n != assign {
			return nil // the assignment is part of a larger statement (if init)
		}
	}
	if block == nil {
		return nil
	}
	for i, stmt := range block.List {
		if stmt != assign {
			continue
		}
		if !hasErr {
			return assign
		}
		if i+1 < len(block.List) {
			if ifs, ok := block.List[i+1].(*ast.IfStmt); ok && ifs.Init == nil && isErrCheck(ifs.Cond) {
				return ifs
			}
		}
		return nil
	}
	return nil
}

// isErrCheck reports whether cond is "err != nil" for some variable.
func isErrCheck(cond ast.Expr) bool {
	bin, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || bin.Op != token.NEQ {
		return false
	}
	id, ok := bin.Y.(*ast.Ident)
	return ok && id.Name == "nil"
}

// deferredRelease returns the statement "defer x.Close()" that already
// releases the resource later in the function, if it is one line.
func deferredRelease(c *checker, f *flow) *ast.DeferStmt {
	var first *ssa.Defer // the earliest, for a deterministic fix
	for instr, ev := range f.events {
		if d, ok := instr.(*ssa.Defer); ok && ev == release && (first == nil || d.Pos() < first.Pos()) {
			first = d
		}
	}
	if first == nil {
		return nil
	}
	for _, n := range c.pathTo(first.Pos()) {
		ds, ok := n.(*ast.DeferStmt)
		if !ok || ds.Defer != first.Pos() {
			continue
		}
		if c.pass.Fset.Position(ds.Pos()).Line != c.pass.Fset.Position(ds.End()).Line {
			return nil // a multi-line defer: leave it alone
		}
		return ds
	}
	return nil
}

// loopAround reports whether path passes through a loop before it
// leaves the innermost function: a deferred release there would wait
// for the function's return.
func loopAround(path []ast.Node) bool {
	for _, n := range path {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
	}
	return false
}

// failingCall returns the call whose error the if statement checks with
// "err != nil": the call in its init statement, or in the statement
// right before it.
func failingCall(ifs *ast.IfStmt, outer []ast.Node) *ast.CallExpr {
	if !isErrCheck(ifs.Cond) {
		return nil
	}
	prev := ifs.Init
	if prev == nil && len(outer) > 0 {
		if block, ok := outer[0].(*ast.BlockStmt); ok {
			for i, stmt := range block.List {
				if stmt == ifs && i > 0 {
					prev = block.List[i-1]
				}
			}
		}
	}
	assign, ok := prev.(*ast.AssignStmt)
	if !ok || len(assign.Rhs) != 1 {
		return nil
	}
	call, _ := ast.Unparen(assign.Rhs[0]).(*ast.CallExpr)
	return call
}
