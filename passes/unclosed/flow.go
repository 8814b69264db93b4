package unclosed

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/closes"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"github.com/asynclint/asynclint/passes/internal/resources"
)

// An acquisition is a call that hands the caller a resource.
type acquisition struct {
	call  *ssa.Call
	kind  *resources.Kind
	index int         // which result is the resource
	res   []ssa.Value // the resource: the call or its extracts
	errs  []ssa.Value // the call's error result, if any
}

// acquisition returns the acquisition that call makes, or nil.
func (c *checker) acquisition(call *ssa.Call) *acquisition {
	com := call.Common()
	var callee *types.Func
	if com.IsInvoke() {
		callee = com.Method
	} else if fn := com.StaticCallee(); fn != nil {
		callee, _ = fn.Object().(*types.Func)
	}
	results := com.Signature().Results()
	var kind *resources.Kind
	idx := 0
	for idx = range results.Len() {
		if kind = c.set.Acquires(callee, results.At(idx).Type()); kind != nil {
			break // the first resource result: consul's doRequest returns (rtt, resp, err)
		}
	}
	if kind == nil {
		return nil
	}
	last := results.Len() - 1
	hasErr := types.Identical(results.At(last).Type(), types.Universe.Lookup("error").Type())
	if c.borrowed(com, callee, kind, idx, hasErr) {
		return nil
	}
	acq := &acquisition{call: call, kind: kind, index: idx}
	if results.Len() == 1 {
		acq.res = []ssa.Value{call}
		return acq
	}
	for _, ref := range *call.Referrers() {
		ext, ok := ref.(*ssa.Extract)
		if !ok {
			continue
		}
		switch {
		case ext.Index == idx:
			acq.res = append(acq.res, ext)
		case ext.Index == last && hasErr:
			acq.errs = append(acq.errs, ext)
		}
	}
	return acq
}

// borrowed reports whether a call that returns a resource at result
// idx leaves the duty to release it elsewhere.
func (c *checker) borrowed(com *ssa.CallCommon, callee *types.Func, kind *resources.Kind, idx int, hasErr bool) bool {
	results := com.Signature().Results()
	switch {
	case kind.Field != "" && returnsBytes(results):
		return true // the callee has read (and closed) the body: prometheus' Do returns (resp, body, err)
	case c.closes.Keeps(callee, idx):
		return true // the callee keeps it (squirrel's StmtCache) or emptied its body (minio-go)
	case returnsFunc(results):
		return true // released through the cleanup function it returns: goose's initialize returns (conn, cleanup, err)
	case !hasErr && !mayAcquire(callee, kind):
		return true // a getter: func (r *Result) Response() *http.Response
	case c.noConnection(com, kind, idx):
		return true // a handshake response, a response to HEAD, or one built in memory
	}
	for _, arg := range com.Args {
		if c.set.KindOf(arg.Type()) == kind {
			return true // passed through from a resource the caller already owns: consul's requireOK(resp)
		}
	}
	return false
}

// returnsBytes reports whether some result is a []byte.
func returnsBytes(results *types.Tuple) bool {
	for v := range results.Variables() {
		if sl, ok := v.Type().Underlying().(*types.Slice); ok {
			if b, ok := sl.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte {
				return true
			}
		}
	}
	return false
}

// returnsFunc reports whether some result is a function.
func returnsFunc(results *types.Tuple) bool {
	for v := range results.Variables() {
		if _, ok := v.Type().Underlying().(*types.Signature); ok {
			return true
		}
	}
	return false
}

// mayAcquire reports whether a call that cannot fail hands out a new
// resource: a listed source, or a MustX function that panics instead of
// failing (sqlx's MustBegin). Others are getters of a resource that
// someone else owns.
func mayAcquire(callee *types.Func, kind *resources.Kind) bool {
	if callee == nil {
		return false
	}
	return len(kind.Sources) > 0 || strings.HasPrefix(strings.ToLower(callee.Name()), "must")
}

// An event is an instruction that ends the caller's duty to release a
// resource: it releases it (release) or hands it on (escape), or, for
// handoff, a call that takes it over only if it succeeds.
type event int

const (
	release event = iota + 1
	escape
	// handoff is a call that is passed the resource and returns a value
	// and an error, the value kept beyond the function (d.enc, err =
	// newEncoder(conn)): the value owns the resource when the call
	// succeeds; when it fails, there is no value and the caller still
	// owns it.
	handoff
	// drain reads a response body to EOF (io.ReadAll(resp.Body)): net/http
	// returns the connection to its pool there (or closes it, if the read
	// fails), so nothing stays held, but the body is not closed. Paths
	// through one are reported only as the read-to-EOF case.
	drain
)

// A flow follows one resource through a function: the values that hold
// it (aliases), hold the field that is released (bodies), hold it in a
// local variable (containers), and the events that end the duty.
type flow struct {
	c          *checker
	fn         *ssa.Function
	kind       *resources.Kind
	aliases    map[ssa.Value]bool
	bodies     map[ssa.Value]bool
	containers map[ssa.Value]bool // *ssa.Alloc or *ssa.FreeVar holding the resource
	events     map[ssa.Instruction]event
	work       []ssa.Value
}

func (c *checker) newFlow(fn *ssa.Function, kind *resources.Kind) *flow {
	return &flow{
		c: c, fn: fn, kind: kind,
		aliases:    make(map[ssa.Value]bool),
		bodies:     make(map[ssa.Value]bool),
		containers: make(map[ssa.Value]bool),
		events:     make(map[ssa.Instruction]event),
	}
}

// add records v as holding the resource (or, if body, its field).
func (f *flow) add(v ssa.Value, body bool) {
	m := f.aliases
	if body {
		m = f.bodies
	}
	if v == nil || m[v] {
		return
	}
	m[v] = true
	f.work = append(f.work, v)
}

// addContainer records that the local variable p holds the resource.
func (f *flow) addContainer(p ssa.Value, body bool) {
	if f.containers[p] {
		return
	}
	f.containers[p] = true
	refs := p.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.UnOp:
			if ref.Op == token.MUL {
				f.add(ref, body)
			}
		case *ssa.MakeClosure:
			if k := slices.Index(ref.Bindings, p); k >= 0 && closureUsed(ref) {
				if f.c.closureOwns(ref.Fn, k, f.kind, body) {
					f.events[ref] = release
					f.markStoresAfter(p, ref.Pos())
				}
			}
		case *ssa.Store:
			// another value assigned to the variable: not ours.
		case ssa.CallInstruction:
			if slices.Contains(ref.Common().Args, p) {
				f.events[ref] = escape // &v passed on: someone else may close it
			}
		}
	}
}

// markStoresAfter makes the stores of the resource into p that follow
// pos in the source release it: a closure made earlier (a deferred
// func() { if resp != nil { resp.Body.Close() } }) will see them.
func (f *flow) markStoresAfter(p ssa.Value, pos token.Pos) {
	for _, ref := range *p.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == p && st.Pos() > pos {
			f.events[st] = release
		}
	}
}

// run propagates the resource to all its holders and collects events.
func (f *flow) run() {
	for len(f.work) > 0 {
		v := f.work[len(f.work)-1]
		f.work = f.work[:len(f.work)-1]
		body := f.bodies[v]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			f.use(v, ref, body)
		}
	}
}

// use classifies one use of v.
func (f *flow) use(v ssa.Value, ref ssa.Instruction, body bool) {
	switch ref := ref.(type) {
	case *ssa.Phi, *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.Convert:
		f.add(ref.(ssa.Value), body)
	case *ssa.TypeAssert:
		if !ref.CommaOk {
			f.add(ref, body)
			return
		}
		for _, r := range *ref.Referrers() {
			if ext, ok := r.(*ssa.Extract); ok && ext.Index == 0 {
				f.add(ext, body)
			}
		}
	case *ssa.FieldAddr:
		f.field(ref, ref.X.Type(), ref.Field, body, true)
	case *ssa.Field:
		f.field(ref, ref.X.Type(), ref.Field, body, false)
	case *ssa.Store:
		if ref.Val != v {
			return
		}
		if alloc, ok := ref.Addr.(*ssa.Alloc); ok && alloc.Parent() == f.fn {
			f.addContainer(alloc, body)
			return
		}
		if onlyFormatted(ref.Addr) {
			return // fmt.Print(resp): formatted, not taken over.
		}
		f.events[ref] = escape // stored in a field, slice, map or global
	case *ssa.Return, *ssa.Send, *ssa.MapUpdate, *ssa.Select:
		f.events[ref] = escape
	case *ssa.Slice, *ssa.IndexAddr:
		// not resources
	case *ssa.MakeClosure:
		if !closureUsed(ref) {
			return
		}
		if k := slices.Index(ref.Bindings, v); k >= 0 && f.c.closureOwns(ref.Fn, k, f.kind, body) {
			f.events[ref] = release
		}
	case ssa.CallInstruction:
		if ev := f.call(ref, v, body); ev != 0 {
			f.events[ref] = ev
		}
	}
}

// field follows a selection of field index i of v: the released field
// of a response, or the embedded resource of a wrapper (sqlx.Rows).
func (f *flow) field(ref ssa.Value, t types.Type, i int, body, addr bool) {
	if body {
		return
	}
	st := structOf(t)
	if st == nil || i >= st.NumFields() {
		return
	}
	fld := st.Field(i)
	isBody := f.kind.Field != "" && fld.Name() == f.kind.Field
	if !isBody && fld.Embedded() && f.c.set.KindOf(fld.Type()) == nil {
		f.promoted(ref)
		return
	}
	if !isBody && !fld.Embedded() {
		return
	}
	if !addr {
		f.add(ref, isBody)
		return
	}
	for _, r := range *ref.Referrers() {
		if load, ok := r.(*ssa.UnOp); ok && load.Op == token.MUL {
			f.add(load, isBody)
		}
	}
}

// promoted records the calls of a release method promoted from an
// embedded field that v selects: c.Close() on a *net.TCPConn is
// (*net.conn).Close(&c.conn). Other uses of the embedded value are not
// followed.
func (f *flow) promoted(v ssa.Value) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		switch ref := ref.(type) {
		case *ssa.FieldAddr:
			if isEmbedded(ref.X.Type(), ref.Field) {
				f.promoted(ref)
			}
		case *ssa.Field:
			if isEmbedded(ref.X.Type(), ref.Field) {
				f.promoted(ref)
			}
		case *ssa.UnOp:
			if _, ok := v.(*ssa.FieldAddr); ok && ref.Op == token.MUL {
				f.promoted(ref) // an embedded pointer, loaded
			}
		case ssa.CallInstruction:
			if _, isGo := ref.(*ssa.Go); !isGo && f.isRelease(receiverMethod(ref.Common(), v), false) {
				f.events[ref] = release
			}
		}
	}
}

// receiverMethod returns the name of the method com calls on v, or "".
func receiverMethod(com *ssa.CallCommon, v ssa.Value) string {
	if com.IsInvoke() {
		if com.Value == v {
			return com.Method.Name()
		}
		return ""
	}
	if fn := com.StaticCallee(); fn != nil && fn.Signature.Recv() != nil && len(com.Args) > 0 && com.Args[0] == v {
		return fn.Name()
	}
	return ""
}

// isEmbedded reports whether field i of the struct t (or *t) is embedded.
func isEmbedded(t types.Type, i int) bool {
	st := structOf(t)
	return st != nil && i < st.NumFields() && st.Field(i).Embedded()
}

func structOf(t types.Type) *types.Struct {
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	st, _ := t.Underlying().(*types.Struct)
	return st
}

// call classifies a call, defer or go statement that uses v.
func (f *flow) call(instr ssa.CallInstruction, v ssa.Value, body bool) event {
	com := instr.Common()
	if _, isGo := instr.(*ssa.Go); isGo {
		return escape // the goroutine owns it now
	}
	if com.IsInvoke() {
		if com.Value == v {
			if f.isRelease(com.Method.Name(), body) {
				return release
			}
			return 0
		}
		return escape // passed to an interface method: unknown
	}
	callee := com.StaticCallee()
	if callee == nil {
		if b, ok := com.Value.(*ssa.Builtin); ok {
			if b.Name() == "append" {
				return escape
			}
			return 0
		}
		if slices.Contains(com.Args, v) {
			return escape // passed to a function value: unknown
		}
		return 0
	}
	if body && readsToEOF(callee, com, v) {
		return drain
	}
	sig := callee.Signature
	for i, arg := range com.Args {
		if arg != v {
			continue
		}
		pi := i
		if sig.Recv() != nil {
			if i == 0 {
				if f.isRelease(callee.Name(), body) {
					return release
				}
				continue // a method of the resource itself
			}
			pi--
		}
		if closes.Wraps(sig) && (!resultUsed(instr) || resources.OpenWrappers[unvendored(callee)]) {
			continue // a wrapper thrown away: its Close, which would release the resource, is never called.
		}
		if obj, ok := callee.Object().(*types.Func); ok {
			if f.c.closes.Closes(obj, paramIndex(sig, pi)) {
				return release
			}
		} else if pi < len(callee.Params) && f.c.paramOwned(callee, pi, f.kind, body) {
			return release // a function literal called in place
		}
		if closes.Wraps(sig) && !resources.OpenWrappers[unvendored(callee)] {
			return escape // the wrapper may release it.
		}
	}
	if call, ok := instr.(*ssa.Call); ok && isArg(com, sig, v) && f.c.keepsResult(call) {
		return handoff
	}
	return 0
}

// readsToEOF reports whether the call of callee reads v to its end.
func readsToEOF(callee *ssa.Function, com *ssa.CallCommon, v ssa.Value) bool {
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		return false
	}
	i, ok := resources.ReadsToEOF[obj.FullName()]
	return ok && i < len(com.Args) && com.Args[i] == v
}

// isArg reports whether v is passed to a parameter of the call (not as
// its receiver).
func isArg(com *ssa.CallCommon, sig *types.Signature, v ssa.Value) bool {
	recv := len(com.Args) - sig.Params().Len()
	return recv >= 0 && slices.Contains(com.Args[recv:], v)
}

// keepsResult reports whether call returns a value and an error, and
// the value, which may hold what was passed in, is kept beyond the
// function: stored in a field, map or global, returned or sent.
func (c *checker) keepsResult(call *ssa.Call) bool {
	results := call.Call.Signature().Results()
	if results.Len() < 2 || !isError(results.At(results.Len()-1).Type()) {
		return false
	}
	var work []ssa.Value
	for _, ref := range *call.Referrers() {
		if ext, ok := ref.(*ssa.Extract); ok && ext.Index < results.Len()-1 && mayHold(ext.Type()) {
			work = append(work, ext)
		}
	}
	seen := make(map[ssa.Value]bool)
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[v] {
			continue
		}
		seen[v] = true
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.Phi, *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface:
				work = append(work, ref.(ssa.Value))
			case *ssa.Store:
				alloc, local := ref.Addr.(*ssa.Alloc)
				if ref.Val != v {
					continue
				}
				if !local || alloc.Parent() != call.Parent() {
					return true // stored in a field, map element or global
				}
				for _, r := range *alloc.Referrers() {
					if load, ok := r.(*ssa.UnOp); ok && load.Op == token.MUL {
						work = append(work, load)
					}
				}
			case *ssa.Return, *ssa.Send:
				return true
			case *ssa.MapUpdate:
				if ref.Value == v {
					return true
				}
			}
		}
	}
	return false
}

// mayHold reports whether a value of type t can hold another value.
func mayHold(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Basic:
		return false
	case *types.Slice:
		b, ok := t.Elem().Underlying().(*types.Basic)
		return !ok || b.Kind() != types.Byte
	}
	return true
}

// isRelease reports whether method name releases the resource (or, for
// a body, the field).
func (f *flow) isRelease(name string, body bool) bool {
	if body || f.kind.Field != "" {
		return body && name == "Close"
	}
	return f.kind.IsRelease(name)
}

func paramIndex(sig *types.Signature, i int) int {
	if sig.Variadic() && i >= sig.Params().Len()-1 {
		return sig.Params().Len() - 1
	}
	return i
}

// closureOwns reports whether closure fn releases or hands on the
// resource held in its free variable k (or, when body is set, its
// released field: a variable that holds resp.Body).
func (c *checker) closureOwns(v ssa.Value, k int, kind *resources.Kind, body bool) bool {
	fn, ok := v.(*ssa.Function)
	if !ok || k >= len(fn.FreeVars) {
		return false
	}
	key := memoKey{fn, 2 * k, kind} // memo keys from zero are free variables: even for the resource, odd for its body
	if body {
		key.idx++
	}
	return c.owns(key, kind, func(f *flow) {
		fv := fn.FreeVars[k]
		if _, ok := fv.Type().Underlying().(*types.Pointer); ok {
			f.addContainer(fv, body)
		} else {
			f.add(fv, body)
		}
	})
}

// paramOwned reports whether fn releases or hands on its parameter i,
// which holds the resource itself or, when body is set, its released
// field (func(b io.ReadCloser) { b.Close() }(resp.Body)).
func (c *checker) paramOwned(fn *ssa.Function, i int, kind *resources.Kind, body bool) bool {
	k := -1 - 2*i // memo keys below zero are parameters; even for the resource, odd for its body
	if body {
		k--
	}
	return c.owns(memoKey{fn, k, kind}, kind, func(f *flow) { f.add(fn.Params[i], body) })
}

// owns runs a flow rooted by seed over fn (memoised by key) and reports
// whether any path releases or hands on the resource.
func (c *checker) owns(key memoKey, kind *resources.Kind, seed func(*flow)) bool {
	switch c.memo[key] {
	case 1:
		return true
	case 2, 3:
		return false // known not to, or recursion: assume not
	}
	c.memo[key] = 3
	f := c.newFlow(key.fn, kind)
	seed(f)
	f.run()
	if f.releasedSomewhere(false) {
		c.memo[key] = 1
		return true
	}
	c.memo[key] = 2
	return false
}

// onlyFormatted reports whether addr is a slot of the variadic argument
// array of calls that only format their arguments (fmt.Print(resp),
// log.Printf("%v", resp.Body)): the value is read, not taken over.
func onlyFormatted(addr ssa.Value) bool {
	ia, ok := addr.(*ssa.IndexAddr)
	if !ok {
		return false
	}
	arr, ok := ia.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	called := false
	for _, r := range *arr.Referrers() {
		switch r := r.(type) {
		case *ssa.IndexAddr, *ssa.DebugRef:
		case *ssa.Slice:
			for _, u := range *r.Referrers() {
				call, ok := u.(ssa.CallInstruction)
				if !ok {
					return false
				}
				fn := call.Common().StaticCallee()
				if fn == nil {
					return false
				}
				obj, ok := fn.Object().(*types.Func)
				if !ok || !knowledge.OnlyFormats(obj.FullName()) {
					return false
				}
				called = true
			}
		default:
			return false
		}
	}
	return called
}

// resultUsed reports whether the value a call returns is used at all.
func resultUsed(instr ssa.CallInstruction) bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return true // a defer or go statement: not ours to judge.
	}
	refs := call.Referrers()
	return refs == nil || len(*refs) > 0
}

// closureUsed reports whether a closure is called, deferred, kept or
// passed on at all: one that is made and dropped (_ = func() {
// resp.Body.Close() }) releases nothing.
func closureUsed(mc *ssa.MakeClosure) bool {
	refs := mc.Referrers()
	return refs == nil || len(*refs) > 0
}

// unvendored returns the full name of callee without a vendor directory.
func unvendored(callee *ssa.Function) string {
	if obj, ok := callee.Object().(*types.Func); ok {
		return knowledge.Unvendor(obj.Origin().FullName())
	}
	return ""
}
