package unclosed

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// UnreadCategory is the rule of the findings of response bodies closed
// on every path without a read (opt-in).
const UnreadCategory = "unread"

// checkUnread reports the response acq when every path closes its body
// and nothing ever reads it: net/http's transport reuses an HTTP/1.x
// connection only when its body was read to EOF (bodyEOFSignal in
// transport.go hands the read loop bodyEOF == false on an early Close,
// and the read loop closes the connection). Each such request costs a
// new TCP (and TLS) handshake: under load the client exhausts ephemeral
// ports and fills TIME_WAIT.
//
// The model is ownership, as for leaks: the function owns the response
// and the only uses of its body are Close calls it makes itself, so no
// callee, closure or other goroutine can have read it. A response to a
// HEAD request has no body, and tests are left alone.
func (c *checker) checkUnread(acq *acquisition) {
	if acq.kind.Field == "" || c.inTestFile(acq.call.Pos()) || c.sendsHead(acq.call.Common(), acq.index, 0) {
		return
	}
	f := c.newFlow(acq.call.Parent(), acq.kind)
	for _, v := range acq.res {
		f.add(v, false)
	}
	f.run()
	if len(f.events) == 0 {
		return // never closed: the leak rules' finding, if any
	}
	for instr, ev := range f.events {
		call, ok := instr.(ssa.CallInstruction)
		if ev != release || !ok || !call.Common().IsInvoke() || !f.bodies[call.Common().Value] {
			return // a helper, closure or other owner may read it first
		}
	}
	for v := range f.aliases {
		if !onlyInspected(f, v) {
			return
		}
	}
	for v := range f.bodies {
		if !onlyClosed(v) {
			return
		}
	}
	for p := range f.containers {
		if !onlyHeld(p) {
			return
		}
	}
	path := c.pathTo(acq.call.Pos())
	call := enclosingCall(path, acq.call.Pos())
	if call == nil {
		return
	}
	c.pass.Report(analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: UnreadCategory,
		Message: fmt.Sprintf("%s from %s is closed without being read: net/http closes an HTTP/1.x connection whose body was not read to EOF instead of reusing it, so every call pays a new handshake; read it to the end (io.Copy(io.Discard, body)) before Close",
			acq.kind.Noun, types.ExprString(call.Fun)),
	})
}

// onlyInspected reports whether the response v is used only for its
// fields, compared, or kept in a local the flow follows: never passed
// to a call, a closure or an interface that might read its body.
func onlyInspected(f *flow, v ssa.Value) bool {
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.FieldAddr:
			if f.kind.Field != "" && fieldName(ref.X.Type(), ref.Field) == f.kind.Field {
				for _, r := range *ref.Referrers() {
					if load, ok := r.(*ssa.UnOp); !ok || load.Op != token.MUL {
						return false // resp.Body = wrapped
					}
				}
			}
		case *ssa.Field, *ssa.DebugRef, *ssa.BinOp, *ssa.Phi, *ssa.ChangeType:
		case *ssa.Store:
			if !f.containers[ref.Addr] {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// onlyClosed reports whether the body v is only closed or compared.
func onlyClosed(v ssa.Value) bool {
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef, *ssa.BinOp, *ssa.Phi, *ssa.ChangeInterface:
		case ssa.CallInstruction:
			com := ref.Common()
			if !com.IsInvoke() || com.Value != v || com.Method.Name() != "Close" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// onlyHeld reports whether the local p is only stored to and loaded.
func onlyHeld(p ssa.Value) bool {
	for _, ref := range *p.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Store:
			if ref.Addr != p {
				return false
			}
		case *ssa.UnOp:
			if ref.Op != token.MUL {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}
