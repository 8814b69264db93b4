package unclosed

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/closes"
	"github.com/asynclint/asynclint/passes/internal/resources"
)

// This file models responses that have no connection behind them, so
// that the caller has nothing to release: the handshake response of a
// connection returned beside it, the response to a HEAD request, and
// responses built in memory by a function or transport of the package,
// and responses of a test server that writes no body (testserver.go).

// maxMemoryDepth bounds the calls followed to find how a response is built.
const maxMemoryDepth = 4

// noConnection reports whether the response that com returns at result
// idx holds no connection its caller must release.
func (c *checker) noConnection(com *ssa.CallCommon, kind *resources.Kind, idx int) bool {
	if kind.Field == "" {
		return false // only responses have a body that may be empty
	}
	return handshake(com.Signature().Results(), idx) || c.sendsHead(com, idx, 0) || c.inMemory(com, kind, idx, 0) ||
		toSilentServer(com)
}

// handshake reports whether a call returning a response at result idx
// also returns a closable value other than an error: the connection or
// session the response was the handshake of (a WebSocket Dial returns
// (*Conn, *http.Response, error)). The library has consumed the
// response's body, or handed it to that value, whose Close releases it.
func handshake(results *types.Tuple, idx int) bool {
	for i := range results.Len() {
		if t := results.At(i).Type(); i != idx && !isError(t) && closes.Closable(t) {
			return true
		}
	}
	return false
}

// headRequest reports whether com sends a request whose method is HEAD:
// the transport returns the connection to its pool before it returns a
// response to HEAD, whose body is http.NoBody (transport.go: hasBody is
// false for HEAD).
func headRequest(com *ssa.CallCommon) bool {
	for _, arg := range com.Args {
		if isNamedType(deref(arg.Type()), "net/http", "Request") {
			return isHead(arg, 0)
		}
	}
	return false
}

// sendsHead reports whether the response com returns at result idx is
// the response to a HEAD request: http.Head or Client.Head, a request
// made with the method HEAD, or a function of the package whose every
// non-nil response at that result is one (a headBlob helper).
func (c *checker) sendsHead(com *ssa.CallCommon, idx, depth int) bool {
	if fn, ok := calleeFunc(com); ok {
		switch fn.FullName() {
		case "net/http.Head", "(*net/http.Client).Head":
			return true
		}
	}
	if headRequest(com) {
		return true
	}
	fn := com.StaticCallee()
	if fn == nil || fn.Blocks == nil || c.pkgSSA(fn) == nil || depth >= maxMemoryDepth {
		return false
	}
	found := false
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || idx >= len(ret.Results) {
			continue
		}
		v := origin(ret.Results[idx])
		if k, ok := v.(*ssa.Const); ok && k.IsNil() {
			continue
		}
		i := 0
		if ext, ok := v.(*ssa.Extract); ok {
			i = ext.Index
		}
		call := producer(v)
		if call == nil || !c.sendsHead(call.Common(), i, depth+1) {
			return false
		}
		found = true
	}
	return found
}

// isHead reports whether every method the request req may carry is the
// constant "HEAD": the method argument of the call that made it and
// every assignment to its Method field.
func isHead(req ssa.Value, depth int) bool {
	if depth > maxMemoryDepth {
		return false
	}
	req = origin(req)
	head := false
	if call := producer(req); call != nil {
		fn, ok := calleeFunc(call.Common())
		if !ok {
			return false
		}
		switch fn.FullName() {
		case "net/http.NewRequest":
			head = isConstString(call.Call.Args[0], "HEAD")
		case "net/http.NewRequestWithContext":
			head = isConstString(call.Call.Args[1], "HEAD")
		case "(*net/http.Request).WithContext", "(*net/http.Request).Clone":
			head = isHead(call.Call.Args[0], depth+1)
		default:
			return false
		}
	} else if _, ok := req.(*ssa.Alloc); !ok {
		return false // a parameter, a phi: the method is not known here
	}
	for _, ref := range *req.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fieldName(fa.X.Type(), fa.Field) != "Method" {
			continue
		}
		for _, r := range *fa.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == fa {
				if !isConstString(st.Val, "HEAD") {
					return false
				}
				head = true
			}
		}
	}
	return head
}

// inMemory reports whether the response that com returns at result idx
// is built in memory: by a function of this package all of whose
// responses are composite literals with an in-memory body (http.NoBody,
// io.NopCloser(...), none), or by a client whose transport is one.
func (c *checker) inMemory(com *ssa.CallCommon, kind *resources.Kind, idx, depth int) bool {
	if depth > maxMemoryDepth {
		return false
	}
	if fn := com.StaticCallee(); fn != nil && fn.Blocks != nil && c.pkgSSA(fn) != nil {
		return c.memoryFunc(fn, kind, idx, depth+1)
	}
	var transport ssa.Value
	if com.IsInvoke() {
		if com.Method.Name() == "RoundTrip" {
			transport = com.Value // t.RoundTrip(req) on a transport of the package
		}
	} else if fn, ok := calleeFunc(com); ok && isClientMethod(fn) && len(com.Args) > 0 {
		transport = clientTransport(com.Args[0])
	}
	if transport == nil {
		return false
	}
	rt := c.roundTrip(transport)
	return rt != nil && c.memoryFunc(rt, kind, 0, depth+1)
}

// pkgSSA returns fn's package if it is the one under analysis.
func (c *checker) pkgSSA(fn *ssa.Function) *ssa.Package {
	if fn.Pkg != nil && fn.Pkg.Pkg == c.pass.Pkg {
		return fn.Pkg
	}
	return nil
}

// isClientMethod reports whether fn is a request method of http.Client.
func isClientMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && isNamedType(deref(recv.Type()), "net/http", "Client")
}

// clientTransport returns the value stored in the Transport field of
// the client, when the client is a local composite literal.
func clientTransport(client ssa.Value) ssa.Value {
	alloc, ok := origin(client).(*ssa.Alloc)
	if !ok {
		return nil
	}
	var val ssa.Value
	for _, ref := range *alloc.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || fieldName(fa.X.Type(), fa.Field) != "Transport" {
			continue
		}
		for _, r := range *fa.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == fa {
				if val != nil {
					return nil // assigned twice
				}
				val = st.Val
			}
		}
	}
	return val
}

// roundTrip returns the function of this package that carries out the
// round trips of the transport t: a function literal or function
// converted to a func type (whose RoundTrip calls it), or the RoundTrip
// method of t's concrete type.
func (c *checker) roundTrip(t ssa.Value) *ssa.Function {
	t = origin(t)
	if ct, ok := t.(*ssa.ChangeType); ok {
		t = ct.X
	}
	switch v := t.(type) {
	case *ssa.MakeClosure:
		fn, _ := v.Fn.(*ssa.Function)
		return fn
	case *ssa.Function:
		return v
	}
	if _, ok := t.Type().Underlying().(*types.Interface); ok {
		return nil
	}
	if t.Parent() == nil {
		return nil
	}
	prog := t.Parent().Prog
	sel := prog.MethodSets.MethodSet(t.Type()).Lookup(c.pass.Pkg, "RoundTrip")
	if sel == nil {
		sel = prog.MethodSets.MethodSet(t.Type()).Lookup(nil, "RoundTrip")
	}
	if sel == nil {
		return nil
	}
	fn := prog.MethodValue(sel)
	if fn == nil || fn.Blocks == nil || c.pkgSSA(fn) == nil {
		return nil
	}
	return fn
}

// memoryFunc reports whether every response that fn returns at result
// idx is nil or built in memory.
func (c *checker) memoryFunc(fn *ssa.Function, kind *resources.Kind, idx, depth int) bool {
	returns := false
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || idx >= len(ret.Results) {
			continue
		}
		if !c.memoryValue(ret.Results[idx], kind, depth, make(map[ssa.Value]bool)) {
			return false
		}
		returns = true
	}
	return returns
}

// memoryValue reports whether the response v is nil or built in memory.
func (c *checker) memoryValue(v ssa.Value, kind *resources.Kind, depth int, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !c.memoryValue(e, kind, depth, seen) {
				return false
			}
		}
		return true
	case *ssa.Alloc: // &http.Response{...}
		for _, ref := range *v.Referrers() {
			fa, ok := ref.(*ssa.FieldAddr)
			if !ok || fieldName(fa.X.Type(), fa.Field) != kind.Field {
				continue
			}
			for _, r := range *fa.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == fa && !memoryBody(st.Val) {
					return false
				}
			}
		}
		return true
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return c.memoryCall(call.Common(), kind, v.Index, depth)
		}
	case *ssa.Call:
		return c.memoryCall(v.Common(), kind, 0, depth)
	}
	return false
}

// memoryCall reports whether the call's result idx is a response built
// in memory, or one the table says its caller does not own
// (httptest.ResponseRecorder's Result).
func (c *checker) memoryCall(com *ssa.CallCommon, kind *resources.Kind, idx, depth int) bool {
	if fn, ok := calleeFunc(com); ok && c.set.Acquires(fn, com.Signature().Results().At(idx).Type()) == nil {
		return true
	}
	return c.inMemory(com, kind, idx, depth)
}

// memoryBody reports whether v is a body that holds no connection:
// none, http.NoBody, or io.NopCloser of a reader.
func memoryBody(v ssa.Value) bool {
	v = origin(v)
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.UnOp:
		if g, ok := v.X.(*ssa.Global); ok && v.Op == token.MUL {
			return g.Pkg != nil && g.Pkg.Pkg.Path() == "net/http" && g.Name() == "NoBody"
		}
	case *ssa.Call:
		if fn, ok := calleeFunc(v.Common()); ok {
			switch fn.FullName() {
			case "io.NopCloser", "io/ioutil.NopCloser":
				return true
			}
		}
	}
	return false
}

// calleeFunc returns the function a static call calls.
func calleeFunc(com *ssa.CallCommon) (*types.Func, bool) {
	if com.IsInvoke() {
		return nil, false
	}
	fn := com.StaticCallee()
	if fn == nil {
		return nil, false
	}
	obj, ok := fn.Object().(*types.Func)
	return obj, ok
}

// isConstString reports whether v is the string constant s.
func isConstString(v ssa.Value, s string) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.String && constant.StringVal(k.Value) == s
}

func deref(t types.Type) types.Type {
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		return ptr.Elem()
	}
	return t
}
