package unclosed

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/knowledge"
)

// checkAcquisition reports acq if some path from it (block b, index i)
// reaches a return, or the same acquisition again, with the resource
// neither released nor handed on.
func (c *checker) checkAcquisition(acq *acquisition, b *ssa.BasicBlock, i int) {
	w, lk := c.findLeak(acq, b, i)
	if lk == nil {
		if Rules.Enabled(UnreadCategory) {
			c.checkUnread(acq)
		}
		return
	}
	if tx := w.scope.tx; tx != nil && !lk.loop && !w.readToEOF && c.leaks(tx) {
		// Rows or a statement whose transaction leaks too: the
		// transaction's missing Rollback, deferred, would end them on
		// every return, so the finding on the transaction says it all,
		// unless the loop acquires them again first.
		if _, loop := w.leakingReturns(); !loop {
			return
		}
		lk = &leak{loop: true}
	}
	c.report(w, lk)
}

// findLeak returns the walker that searched the paths from acq (block
// b, index i) and the first leak it found, or nil.
func (c *checker) findLeak(acq *acquisition, b *ssa.BasicBlock, i int) (*walker, *leak) {
	sc := c.scopeOf(acq)
	if sc.borrowed {
		return nil, nil // rows of a transaction someone else ends, and closes them with it
	}
	f := c.newFlow(b.Parent(), acq.kind)
	for _, v := range acq.res {
		f.add(v, false)
	}
	f.run()
	errs := errAliases(acq.errs)
	if discarded(acq.res) && (expectsFailure(errs) || c.inTestFile(acq.call.Pos())) {
		return nil, nil // tests discard the results of calls meant to fail, and leak little
	}
	w := &walker{c: c, f: f, acq: acq, errs: errs, ends: sc.ends, okErrs: f.handoffErrs(), scope: sc,
		covered: sc.coversReturns(b, i), visited: make(map[*ssa.BasicBlock]bool), start: b, index: i}
	if lk := w.walk(b, i+1); lk != nil {
		return w, lk
	}
	if Rules.Enabled(ReadToEOFCategory) && f.drains() { // the second walk costs; only when the rule is on
		w.readToEOF, w.visited, w.releases = true, make(map[*ssa.BasicBlock]bool), nil
		if lk := w.walk(b, i+1); lk != nil {
			return w, lk
		}
	}
	return nil, nil
}

// leaks reports, memoised, whether the acquisition acq leaks on some path.
func (c *checker) leaks(acq *acquisition) bool {
	if v, ok := c.leaking[acq.call]; ok {
		return v
	}
	c.leaking[acq.call] = false // recursion: assume not
	b := acq.call.Block()
	_, lk := c.findLeak(acq, b, indexOf(b, acq.call))
	c.leaking[acq.call] = lk != nil
	return lk != nil
}

// leakingReturns returns every return that some path from the
// acquisition reaches with the resource held, and whether some path
// reaches the acquisition again.
func (w *walker) leakingReturns() ([]*ssa.Return, bool) {
	all := &walker{c: w.c, f: w.f, acq: w.acq, errs: w.errs, okErrs: w.okErrs, ends: w.ends, scope: w.scope,
		covered: w.covered, readToEOF: w.readToEOF, visited: make(map[*ssa.BasicBlock]bool), collect: true}
	all.walk(w.start, w.index+1)
	return all.found, all.loopFound
}

// drains reports whether some path reads the body to EOF.
func (f *flow) drains() bool {
	for _, ev := range f.events {
		if ev == drain {
			return true
		}
	}
	return false
}

// handoffErrs returns the error results of the handoff calls: where
// one is nil, the call took the resource over.
func (f *flow) handoffErrs() map[ssa.Value]bool {
	var errs []ssa.Value
	for instr, ev := range f.events {
		call, ok := instr.(*ssa.Call)
		if ev != handoff || !ok {
			continue
		}
		last := call.Call.Signature().Results().Len() - 1
		for _, ref := range *call.Referrers() {
			if ext, ok := ref.(*ssa.Extract); ok && ext.Index == last {
				errs = append(errs, ext)
			}
		}
	}
	return errAliases(errs)
}

// errAliases returns the values that hold the acquisition's error:
// the extract itself, phis merging it, and loads of variables it is
// stored in.
func errAliases(errs []ssa.Value) map[ssa.Value]bool {
	set := make(map[ssa.Value]bool)
	work := append([]ssa.Value(nil), errs...)
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		if set[v] {
			continue
		}
		set[v] = true
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.Phi:
				work = append(work, ref)
			case ssa.CallInstruction:
				// A call that takes the error and returns one checks it:
				// if db.AddError(err) == nil (gorm).
				if call, ok := ref.(*ssa.Call); ok && isError(call.Type()) && slices.Contains(call.Common().Args, v) {
					work = append(work, call)
				}
			case *ssa.Store:
				if alloc, ok := ref.Addr.(*ssa.Alloc); ok && ref.Val == v {
					for _, r := range *alloc.Referrers() {
						if load, ok := r.(*ssa.UnOp); ok && load.X == alloc {
							work = append(work, load)
						}
					}
				}
			}
		}
	}
	return set
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// A leak is a path on which the resource is lost.
type leak struct {
	ret  *ssa.Return // the return reached, or nil
	loop bool        // the acquisition ran again first
	path []step      // the branches taken and hand-offs passed on the way
}

// A step is a branch taken on a path (the If and the index of the
// successor) or a handoff call passed (succ < 0).
type step struct {
	instr ssa.Instruction
	succ  int
}

// A walker searches the paths from an acquisition depth first.
type walker struct {
	c       *checker
	f       *flow
	acq     *acquisition
	errs    map[ssa.Value]bool       // the acquisition's error: where not nil, there is no resource
	okErrs  map[ssa.Value]bool       // the handoff calls' errors: where nil, the resource was taken over
	ends    map[ssa.Instruction]bool // events that end what the resource lives within (its transaction or context)
	covered bool                     // a deferred release registered before the acquisition runs at every return
	// readToEOF is set for the second walk of a body that some path
	// reads to EOF: that read does not count as a release, and a leak
	// found is reported as the read-to-EOF case.
	readToEOF bool
	scope     *scope
	start     *ssa.BasicBlock // the acquisition's block
	index     int             // and its index there
	collect   bool            // walk every path, collecting the leaking returns in found
	found     []*ssa.Return
	loopFound bool
	visited   map[*ssa.BasicBlock]bool
	path      []step

	// releases holds, computed on demand for the report, the blocks
	// from whose first instruction some path releases the resource or
	// hands it on (or over).
	releases map[*ssa.BasicBlock]bool
}

// walk follows the paths from instruction start of b.
func (w *walker) walk(b *ssa.BasicBlock, start int) *leak {
	n := len(w.path)
	defer func() { w.path = w.path[:n] }()
	for _, instr := range b.Instrs[start:] {
		if instr == w.acq.call {
			return w.leakAt(nil, true)
		}
		switch w.event(instr) {
		case release, escape:
			return nil // released or handed on
		case handoff:
			w.path = append(w.path, step{instr, -1})
		}
		switch instr := instr.(type) {
		case *ssa.Return:
			if w.covered {
				return nil
			}
			return w.leakAt(instr, false)
		case *ssa.Panic:
			return nil
		case *ssa.Call:
			if w.c.noReturn(instr.Common()) || w.failed(instr.Common()) {
				return nil
			}
		case *ssa.If:
			for idx, succ := range b.Succs {
				if w.safeBranch(instr, idx) {
					continue
				}
				w.path = append(w.path, step{instr, idx})
				if lk := w.enter(succ); lk != nil {
					return lk
				}
				w.path = w.path[:len(w.path)-1]
			}
			return nil
		case *ssa.Jump:
			return w.enter(b.Succs[0])
		}
	}
	return nil // no successor: unreachable code
}

// event returns what instr does to the resource: the flow's own events,
// and the end of its transaction or context, which releases it too.
func (w *walker) event(instr ssa.Instruction) event {
	if ev := w.f.events[instr]; ev != 0 {
		if ev == drain {
			if w.readToEOF {
				return 0
			}
			return release
		}
		return ev
	}
	if w.ends[instr] {
		return release
	}
	return 0
}

func (w *walker) leakAt(ret *ssa.Return, loop bool) *leak {
	if w.collect {
		if ret != nil {
			w.found = append(w.found, ret)
		}
		w.loopFound = w.loopFound || loop
		return nil // go on to the other paths
	}
	return &leak{ret: ret, loop: loop, path: slices.Clone(w.path)}
}

func (w *walker) enter(b *ssa.BasicBlock) *leak {
	if w.visited[b] {
		return nil
	}
	w.visited[b] = true
	return w.walk(b, 0)
}

// failed reports whether com calls a method on the acquisition's error:
// the error is not nil there (a nil interface would panic), so the
// acquisition failed and there is no resource (nats-server's
// require_Contains(t, err.Error(), errTxt) on an expected failure).
func (w *walker) failed(com *ssa.CallCommon) bool {
	return com.IsInvoke() && w.errs[com.Value]
}

// safeBranch reports whether branch idx of the if cannot leak: the
// acquisition failed there (err != nil, resp == nil), or rows.Next()
// returned false and so closed the rows.
func (w *walker) safeBranch(ifInstr *ssa.If, idx int) bool {
	switch cond := ifInstr.Cond.(type) {
	case *ssa.BinOp:
		other, ok := nilComparand(cond)
		if !ok {
			return false
		}
		eq := cond.Op.String() == "=="
		switch {
		case w.errs[other]: // err != nil: the resource is nil
			return (idx == 0) != eq
		case w.okErrs[other]: // err == nil after a handoff: taken over
			return (idx == 0) == eq
		case w.f.aliases[other] || w.f.bodies[other]: // resp == nil
			return (idx == 0) == eq
		}
	case *ssa.Extract:
		return idx == 1 && w.upgradedWriter(cond)
	case *ssa.Call:
		if idx == 1 && w.f.exhausts(cond) {
			return true
		}
		then, ok := w.checksErr(cond)
		return ok && idx == then
	}
	return false
}

// upgradedWriter reports whether ok is the second result of a comma-ok
// assertion of the body to an interface with a Write method, on a path
// that found the status to be 101 Switching Protocols: net/http's body
// of such a response is the connection, an io.ReadWriteCloser, so the
// assertion cannot fail there (conn, ok := resp.Body.(io.ReadWriteCloser);
// if !ok { return errNotUpgraded }).
func (w *walker) upgradedWriter(ok *ssa.Extract) bool {
	ta, isTA := ok.Tuple.(*ssa.TypeAssert)
	if !isTA || ok.Index != 1 || !w.f.bodies[ta.X] {
		return false
	}
	iface, isIface := ta.AssertedType.Underlying().(*types.Interface)
	if !isIface {
		return false
	}
	if obj, _, _ := types.LookupFieldOrMethod(iface, false, nil, "Write"); obj == nil {
		return false
	}
	for _, st := range w.path {
		ifInstr, isIf := st.instr.(*ssa.If)
		if !isIf {
			continue
		}
		cmp, isCmp := ifInstr.Cond.(*ssa.BinOp)
		if !isCmp || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
			continue
		}
		if w.isStatus(cmp.X) && isConstInt(cmp.Y, 101) && (st.succ == 0) == (cmp.Op == token.EQL) {
			return true
		}
	}
	return false
}

// isStatus reports whether v loads the StatusCode of the response.
func (w *walker) isStatus(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.UnOp:
		fa, ok := v.X.(*ssa.FieldAddr)
		return ok && v.Op == token.MUL && w.f.aliases[fa.X] && fieldName(fa.X.Type(), fa.Field) == "StatusCode"
	case *ssa.Field:
		return w.f.aliases[v.X] && fieldName(v.X.Type(), v.Field) == "StatusCode"
	}
	return false
}

func isConstInt(v ssa.Value, n int64) bool {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	x, exact := constant.Int64Val(k.Value)
	return exact && x == n
}

// checksErr reports whether call is an error check written as the whole
// condition of an if statement, "if !f(..., err) { return }" or
// "if f(..., err) { return }": f takes the acquisition's error (and not
// the resource) and returns one bool. Its result says whether the call
// failed, so the guarded block is where it did, whichever way f answers
// (testify's assert.NoError returns false when err != nil, and is
// negated; assert.Error returns true, and is not). It returns the index
// of the successor that runs the guarded block.
func (w *walker) checksErr(call *ssa.Call) (int, bool) {
	com := call.Common()
	if b, ok := call.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return 0, false
	}
	takesErr := false
	for _, arg := range com.Args {
		if w.f.aliases[arg] || w.f.bodies[arg] {
			return 0, false // the resource's own check: resp.StatusCode
		}
		if w.errs[arg] || w.errs[strip(arg)] {
			takesErr = true
		}
	}
	if !takesErr {
		return 0, false
	}
	neg, ok := w.c.guardOf(call.Pos())
	if !ok {
		return 0, false
	}
	if neg {
		return 1, true // SSA swaps the successors of a negated condition
	}
	return 0, true
}

// exhausts reports whether call is rows.Next() or rows.NextResultSet()
// on the resource (also through an interface, as pgx's Rows): when it
// returns false, the rows have closed themselves.
func (f *flow) exhausts(call *ssa.Call) bool {
	com := call.Common()
	if len(f.kind.ExhaustedBy) == 0 {
		return false
	}
	if com.IsInvoke() {
		return slices.Contains(f.kind.ExhaustedBy, com.Method.Name()) && f.aliases[com.Value]
	}
	if len(com.Args) == 0 {
		return false
	}
	callee := com.StaticCallee()
	return callee != nil && slices.Contains(f.kind.ExhaustedBy, callee.Name()) && callee.Signature.Recv() != nil && f.aliases[com.Args[0]]
}

// releasedSomewhere reports whether some path releases the resource or
// hands it on; reading a body to EOF counts only if drains is set.
func (f *flow) releasedSomewhere(drains bool) bool {
	for _, ev := range f.events {
		if ev != drain || drains {
			return true
		}
	}
	for _, b := range f.fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if call, ok := ifInstr.Cond.(*ssa.Call); ok && f.exhausts(call) {
				return true
			}
		}
	}
	return false
}

// nilComparand returns the operand of a comparison with nil.
func nilComparand(op *ssa.BinOp) (ssa.Value, bool) {
	if s := op.Op.String(); s != "==" && s != "!=" {
		return nil, false
	}
	if k, ok := op.Y.(*ssa.Const); ok && k.IsNil() {
		return op.X, true
	}
	if k, ok := op.X.(*ssa.Const); ok && k.IsNil() {
		return op.Y, true
	}
	return nil, false
}

// noReturn reports whether the call never returns.
func (c *checker) noReturn(com *ssa.CallCommon) bool {
	if com.IsInvoke() {
		return false
	}
	fn := com.StaticCallee()
	if fn == nil {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	return knowledge.NoReturn(obj.Origin().FullName()) || c.cfgs.NoReturn(obj)
}

// expectsFailure reports whether the error is compared "err == nil"
// or passed to an assertion that it is an error, as code that expects
// the call to fail does: if err == nil { t.Error(...) }, require.Error(t, err).
func expectsFailure(errs map[ssa.Value]bool) bool {
	for v := range errs {
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.BinOp:
				if _, ok := nilComparand(ref); ok && ref.Op.String() == "==" {
					return true
				}
			case *ssa.MakeInterface:
				if expectsFailure(map[ssa.Value]bool{ref: true}) {
					return true
				}
			case ssa.CallInstruction:
				com := ref.Common()
				if com.IsInvoke() && com.Value == v && com.Method.Name() == "Error" {
					return true // err.Error() unguarded: the code knows err != nil
				}
				if fn := com.StaticCallee(); fn != nil && errorAssertions[fn.Name()] {
					return true
				}
			}
		}
	}
	return false
}

// errorAssertions are the names of testify-style assertions that an
// error occurred.
var errorAssertions = map[string]bool{
	"Error": true, "Errorf": true, "ErrorIs": true, "ErrorAs": true, "ErrorContains": true, "EqualError": true,
}

// inTestFile reports whether pos is in a _test.go file.
func (c *checker) inTestFile(pos token.Pos) bool {
	f := c.pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// discarded reports whether no value of res is used.
func discarded(res []ssa.Value) bool {
	for _, v := range res {
		if refs := v.Referrers(); refs != nil && len(*refs) > 0 {
			return false
		}
	}
	return true
}

// An outcome is how a walk through one block ends.
type outcome int

const (
	goesOn outcome = iota // to the block's successors
	stops                 // the resource is released or handed on
	leaks                 // at a return or the next acquisition
	dies                  // panic, a call that does not return, or no resource
)

// scan walks b from its first instruction and reports how it ends and
// whether it passes a handoff call.
func (w *walker) scan(b *ssa.BasicBlock) (outcome, bool) {
	hands := false
	for _, instr := range b.Instrs {
		if instr == w.acq.call {
			return leaks, hands
		}
		switch w.event(instr) {
		case release, escape:
			return stops, hands
		case handoff:
			hands = true
		}
		switch instr := instr.(type) {
		case *ssa.Return:
			if w.covered {
				return dies, hands
			}
			return leaks, hands
		case *ssa.Panic:
			return dies, hands
		case *ssa.Call:
			if w.c.noReturn(instr.Common()) || w.failed(instr.Common()) {
				return dies, hands
			}
		}
	}
	return goesOn, hands
}

// reach computes w.releases.
func (w *walker) reach() {
	if w.releases != nil {
		return
	}
	w.releases = make(map[*ssa.BasicBlock]bool)
	blocks := w.f.fn.Blocks
	outcomes := make([]outcome, len(blocks))
	for i, b := range blocks {
		var hands bool
		outcomes[i], hands = w.scan(b)
		w.releases[b] = outcomes[i] == stops || hands
	}
	for changed := true; changed; {
		changed = false
		for i, b := range blocks {
			if outcomes[i] != goesOn {
				continue
			}
			for idx, succ := range b.Succs {
				if ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && w.safeBranch(ifInstr, idx) {
					continue
				}
				if w.releases[succ] && !w.releases[b] {
					w.releases[b], changed = true, true
				}
			}
		}
	}
}

// cause returns the step of lk's path that explains the leak: the last
// handoff call passed, or else the branch after which no path releases
// the resource while the other side still could (if err == nil &&
// resp.StatusCode == 200 { resp.Body.Close() } leaks when
// resp.StatusCode != 200). There is at most one such branch on a path,
// since nothing after it releases.
func (w *walker) cause(lk *leak) (step, bool) {
	w.reach()
	for i := len(lk.path) - 1; i >= 0; i-- {
		st := lk.path[i]
		ifInstr, ok := st.instr.(*ssa.If)
		if !ok {
			return st, true // a handoff call that failed
		}
		succs := ifInstr.Block().Succs
		other := 1 - st.succ
		if !w.safeBranch(ifInstr, other) && w.releases[succs[other]] && !w.releases[succs[st.succ]] {
			return st, true
		}
	}
	return step{}, false
}
