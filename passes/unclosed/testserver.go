package unclosed

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file models responses from a test server that writes no body: a
// request whose URL is built from an httptest.Server's URL, when every
// handler of that server only sets headers and a status. The server
// then answers with Content-Length: 0, the client's transport hands
// back http.NoBody and puts the connection back in its pool before the
// response is returned (transport.go), so nothing stays held.

// toSilentServer reports whether com sends its request to an httptest
// server of the package whose handlers write no body.
func toSilentServer(com *ssa.CallCommon) bool {
	url := requestURL(com)
	if url == nil {
		return false
	}
	srv := serverOf(url)
	if srv == nil {
		return false
	}
	handlers, ok := handlersOf(srv.Call.Args[0])
	if !ok || len(handlers) == 0 {
		return false
	}
	for _, h := range handlers {
		if !writesNoBody(h) {
			return false
		}
	}
	return true
}

// requestURL returns the URL the call sends to: its first string
// argument (http.Get(url), client.Post(url, ...)), or the URL the
// request it sends was made with (http.NewRequest(method, url, body)).
func requestURL(com *ssa.CallCommon) ssa.Value {
	for _, arg := range com.Args {
		if b, ok := arg.Type().Underlying().(*types.Basic); ok && b.Kind() == types.String {
			return arg
		}
		if !isNamedType(deref(arg.Type()), "net/http", "Request") {
			continue
		}
		call, name := producedBy(arg)
		switch name {
		case "net/http.NewRequest":
			return call.Call.Args[1]
		case "net/http.NewRequestWithContext":
			return call.Call.Args[2]
		}
		return nil
	}
	return nil
}

// serverOf returns the call that made the httptest server whose URL the
// string url starts with (srv.URL, srv.URL + "/path"), or nil.
func serverOf(url ssa.Value) *ssa.Call {
	for range 8 {
		switch v := resolve(url).(type) {
		case *ssa.BinOp:
			if v.Op != token.ADD {
				return nil
			}
			url = v.X
			continue
		case *ssa.UnOp:
			fa, ok := v.X.(*ssa.FieldAddr)
			if !ok || v.Op != token.MUL || !isNamedType(deref(fa.X.Type()), "net/http/httptest", "Server") ||
				fieldName(fa.X.Type(), fa.Field) != "URL" {
				return nil
			}
			call, name := producedBy(fa.X)
			switch name {
			case "net/http/httptest.NewServer", "net/http/httptest.NewTLSServer", "net/http/httptest.NewUnstartedServer":
				return call
			}
		}
		return nil
	}
	return nil
}

// producedBy returns the static call whose result v holds, and its
// callee's full name ("net/http.NewRequest"), or nil and "".
func producedBy(v ssa.Value) (*ssa.Call, string) {
	call := producer(resolve(v))
	if call == nil {
		return nil, ""
	}
	fn, ok := calleeFunc(call.Common())
	if !ok {
		return nil, ""
	}
	return call, fn.FullName()
}

// handlersOf returns the functions that serve the handler h: a function
// or literal (converted to http.HandlerFunc), or every function
// registered on a ServeMux made in the function. ok is false when some
// handler is not known.
func handlersOf(h ssa.Value) ([]*ssa.Function, bool) {
	switch v := resolve(h).(type) {
	case *ssa.Function:
		return []*ssa.Function{v}, true
	case *ssa.MakeClosure:
		fn, ok := v.Fn.(*ssa.Function)
		return []*ssa.Function{fn}, ok && fn.Synthetic == ""
	case *ssa.Call:
		fn, ok := calleeFunc(v.Common())
		if !ok || fn.FullName() != "net/http.NewServeMux" {
			return nil, false
		}
		var fns []*ssa.Function
		for _, ref := range *v.Referrers() {
			switch ref := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.MakeInterface: // the mux handed to NewServer
			case *ssa.Call:
				m, ok := calleeFunc(ref.Common())
				if !ok || ref.Call.Args[0] != v {
					return nil, false
				}
				switch m.FullName() {
				case "(*net/http.ServeMux).HandleFunc", "(*net/http.ServeMux).Handle":
					more, ok := handlersOf(ref.Call.Args[2])
					if !ok {
						return nil, false
					}
					fns = append(fns, more...)
				default:
					return nil, false
				}
			default:
				return nil, false
			}
		}
		return fns, true
	}
	return nil, false
}

// writesNoBody reports whether the handler fn only sets headers and a
// status on its http.ResponseWriter, and hands it to nothing that could
// write a body.
func writesNoBody(fn *ssa.Function) bool {
	if len(fn.Params) != 2 || !isNamedType(fn.Params[0].Type(), "net/http", "ResponseWriter") {
		return false
	}
	for _, ref := range *fn.Params[0].Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			com := ref.Common()
			if !com.IsInvoke() || com.Value != fn.Params[0] {
				return false
			}
			switch com.Method.Name() {
			case "Header", "WriteHeader":
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// resolve returns the value that v holds, as origin does, and through a
// variable a closure captures: the value its only store puts there.
func resolve(v ssa.Value) ssa.Value {
	for range 8 {
		v = origin(v)
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			addr := x.X
			if fv, ok := addr.(*ssa.FreeVar); ok {
				addr = binding(fv)
			}
			alloc, ok := addr.(*ssa.Alloc)
			if !ok {
				return v
			}
			stored := onlyStore(alloc)
			if stored == nil {
				return v
			}
			v = stored
		case *ssa.FreeVar:
			b := binding(x)
			if b == nil {
				return v
			}
			v = b
		default:
			return v
		}
	}
	return v
}

// binding returns the value the closure of fv's function binds to fv,
// when exactly one closure of it is made.
func binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	parent := fn.Parent()
	if idx < 0 || parent == nil {
		return nil
	}
	var bound ssa.Value
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				if bound != nil {
					return nil
				}
				bound = mc.Bindings[idx]
			}
		}
	}
	return bound
}
