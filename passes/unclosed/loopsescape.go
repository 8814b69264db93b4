package unclosed

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// holders collects the values that hold the resource of one iteration
// or something derived from it, to see whether one of them outlives
// the iteration.
type holders struct {
	loop    *loop
	held    map[ssa.Value]bool
	carried map[ssa.Value]bool // a header phi: the previous iteration's value
	work    []ssa.Value
}

func (h *holders) add(v ssa.Value, carried bool) {
	if h.held[v] {
		return
	}
	h.held[v] = true
	if carried {
		h.carried[v] = true
	}
	h.work = append(h.work, v)
}

// escapes reports whether the resource of the iteration, or a value
// derived from it, outlives the iteration: then it must stay open, and
// closing it when the function returns is right.
func (l *loop) escapes(seeds []ssa.Value) bool {
	h := &holders{loop: l, held: make(map[ssa.Value]bool), carried: make(map[ssa.Value]bool)}
	for _, v := range seeds {
		h.add(v, false)
	}
	for len(h.work) > 0 {
		v := h.work[len(h.work)-1]
		h.work = h.work[:len(h.work)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, ref := range *refs {
			if h.outlives(v, ref) {
				return true
			}
		}
	}
	return false
}

// outlives classifies the use ref of the held value v: it reports
// whether the use keeps v beyond the iteration, and adds the values it
// derives from v.
func (h *holders) outlives(v ssa.Value, ref ssa.Instruction) bool {
	if h.carried[v] {
		// The previous iteration's value: read in this iteration, it
		// was needed after its own. After the loop, only the last one
		// is left, so that use does not count.
		switch r := ref.(type) {
		case *ssa.Phi:
			h.add(r, true)
			return false
		case *ssa.BinOp:
			return false // a nil check
		}
		return h.loop.Body[ref.Block()]
	}
	switch r := ref.(type) {
	case *ssa.Phi:
		h.add(r, r.Block() == h.loop.Header)
	case *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType, *ssa.Convert, *ssa.TypeAssert, *ssa.Slice:
		h.add(r.(ssa.Value), false)
	case *ssa.FieldAddr:
		if ptr, ok := r.Type().Underlying().(*types.Pointer); ok && r.X == v && canHold(ptr.Elem()) {
			h.add(r, false)
		}
	case *ssa.IndexAddr:
		if r.X == v {
			h.add(r, false)
		}
	case *ssa.Field:
		if canHold(r.Type()) {
			h.add(r, false)
		}
	case *ssa.Index:
		if r.X == v {
			h.add(r, false)
		}
	case *ssa.UnOp:
		if r.Op == token.MUL {
			h.add(r, false) // a load through a held pointer
		}
	case *ssa.Store:
		if r.Val != v {
			return false // a store into held memory
		}
		if alloc, ok := addrBase(r.Addr).(*ssa.Alloc); ok && h.loop.Contains(alloc) {
			h.add(alloc, false) // a struct or variable of the iteration now holds it
			return false
		}
		return true // stored in a field, element or variable that outlives the iteration
	case *ssa.MapUpdate:
		return r.Key == v || r.Value == v
	case *ssa.Send:
		return r.X == v
	case *ssa.Go:
		return true // the goroutine may use it after the iteration
	case *ssa.MakeClosure:
		return slices.Contains(r.Bindings, v) && !calledInPlace(r)
	case *ssa.Call:
		return h.call(v, r)
	}
	return false
}

// call classifies a call that takes the held value v.
func (h *holders) call(v ssa.Value, call *ssa.Call) bool {
	com := call.Common()
	if b, ok := com.Value.(*ssa.Builtin); ok {
		switch {
		case b.Name() != "append" || len(com.Args) < 2:
		case com.Args[0] == v:
			h.add(call, false) // appended to: the result holds it too
		case slices.Contains(com.Args[1:], v):
			return sliceRead(call)
		}
		return false
	}
	if com.Value == v || com.Signature().Recv() != nil && len(com.Args) > 0 && com.Args[0] == v {
		return false // a method of the held value
	}
	if !slices.Contains(com.Args, v) {
		return false // the held value is the function called
	}
	// A result of a call that takes the value may wrap it:
	// bufio.NewWriter(conn), tls.Client(conn, cfg).
	if _, ok := call.Type().(*types.Tuple); !ok {
		if canHold(call.Type()) {
			h.add(call, false)
		}
		return false
	}
	for _, ref := range *call.Referrers() {
		if ext, ok := ref.(*ssa.Extract); ok && canHold(ext.Type()) {
			h.add(ext, false)
		}
	}
	return false
}

// addrBase returns the variable or value whose field or element addr
// is the address of.
func addrBase(addr ssa.Value) ssa.Value {
	for {
		switch a := addr.(type) {
		case *ssa.FieldAddr:
			addr = a.X
		case *ssa.IndexAddr:
			addr = a.X
		default:
			return addr
		}
	}
}

// calledInPlace reports whether the closure mc is only called (or
// deferred) by the function that makes it, not kept or handed on.
func calledInPlace(mc *ssa.MakeClosure) bool {
	for _, ref := range *mc.Referrers() {
		ci, ok := ref.(ssa.CallInstruction)
		if !ok || ci.Common().Value != mc {
			return false
		}
		if _, isGo := ref.(*ssa.Go); isGo {
			return false
		}
	}
	return true
}

// sliceRead reports whether the slice that append call returns is read:
// indexed, ranged over, stored, passed on. A slice that is only grown
// holds its elements for nothing.
func sliceRead(call *ssa.Call) bool {
	seen := map[ssa.Value]bool{call: true}
	work := []ssa.Value{call}
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		for _, ref := range *s.Referrers() {
			var next ssa.Value
			switch r := ref.(type) {
			case *ssa.Phi:
				next = r
			case *ssa.Call:
				if b, ok := r.Common().Value.(*ssa.Builtin); ok && b.Name() == "append" && r.Common().Args[0] == s {
					next = r
				}
			}
			if next == nil {
				return true
			}
			if !seen[next] {
				seen[next] = true
				work = append(work, next)
			}
		}
	}
	return false
}
