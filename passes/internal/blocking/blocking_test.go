package blocking_test

import (
	"bytes"
	"encoding/gob"
	"go/ast"
	"go/types"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/blocking"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Test checks the MayBlock facts of the loopblock checks' dependency
// fixture, then asks its Result the questions a check asks.
func Test(t *testing.T) {
	results := analysistest.Run(t, checktest.TestData(), blocking.Analyzer, "loopblock/lib")
	if len(results) != 1 {
		t.Fatalf("got %d results, want 1", len(results))
	}
	pass := results[0].Pass
	wrapped, ok := results[0].Result.(*report.Result[*blocking.Result])
	if !ok || wrapped.Err != nil {
		t.Fatalf("result is %T (%v), want *report.Result[*blocking.Result] without error", results[0].Result, results[0].Result)
	}
	res := wrapped.Res

	fn := func(name string) *types.Func {
		f, _ := pass.Pkg.Scope().Lookup(name).(*types.Func)
		if f == nil {
			t.Fatalf("no function %s in %s", name, pass.Pkg.Path())
		}
		return f
	}
	for _, tc := range []struct {
		name  string
		block bool
		what  string
		via   string
	}{
		{"Fetch", true, "http.Get", ""},
		{"Refresh", true, "http.Get", "lib.fetchAll"},
		{"Pause", true, "time.Sleep", ""},
		{"Nap", false, "", ""},
		{"FetchCtx", false, "", ""},
		{"Start", false, "", ""},
		{"Sum", false, "", ""},
	} {
		reason, ok := res.MayBlock(fn(tc.name))
		if ok != tc.block || reason.What != tc.what || reason.Via != tc.via {
			t.Errorf("MayBlock(%s) = %+v, %v; want What %q Via %q, %v", tc.name, reason, ok, tc.what, tc.via, tc.block)
		}
	}

	// Ops lists the blocking operations of a body in source order.
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil {
				continue
			}
			ops := res.Ops(pass.TypesInfo, fd.Body)
			switch fd.Name.Name {
			case "Fetch":
				if len(ops) != 1 || ops[0].What != "http.Get" || ops[0].Kind != blocking.KindHTTP || ops[0].Entry == nil {
					t.Fatalf("Ops(Fetch) = %+v, want one http.Get", ops)
				}
				// Call classifies the same call on its own.
				call := ops[0].Node.(*ast.CallExpr)
				if op, ok := res.Call(pass.TypesInfo, fd.Body, call); !ok || op.What != "http.Get" {
					t.Errorf("Call(http.Get) = %+v, %v; want http.Get, true", op, ok)
				}
			case "Refresh":
				if len(ops) != 1 || ops[0].Callee == nil || ops[0].Callee.Name() != "fetchAll" || ops[0].CalleeReason.What != "http.Get" {
					t.Errorf("Ops(Refresh) = %+v, want the call of fetchAll, reaching http.Get", ops)
				}
			case "Sum", "Collect", "Start":
				if len(ops) != 0 {
					t.Errorf("Ops(%s) = %+v, want none", fd.Name.Name, ops)
				}
			}
		}
	}
}

// TestJoins checks the Stops, Generator and MayBlock facts of the
// lockwait fixtures' dependency, then that its Result knows which
// functions stop goroutines and which only join them.
func TestJoins(t *testing.T) {
	results := analysistest.Run(t, checktest.TestData(), blocking.Analyzer, "loopblock/lockwaitlib")
	if len(results) != 1 {
		t.Fatalf("got %d results, want 1", len(results))
	}
	pass := results[0].Pass
	res := results[0].Result.(*report.Result[*blocking.Result]).Res
	lookup := func(typ, name string) *types.Func {
		if typ == "" {
			f, _ := pass.Pkg.Scope().Lookup(name).(*types.Func)
			return f
		}
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(pass.Pkg.Scope().Lookup(typ).Type()), false, pass.Pkg, name)
		f, _ := obj.(*types.Func)
		return f
	}
	for _, tc := range []struct {
		typ, name   string
		stops, join bool
		block       bool
	}{
		{"Service", "StopInit", true, false, false},
		{"Service", "Stop", true, false, false}, // the receive follows StopInit's cancel
		{"", "StopAllParallel", false, false, false},
		{"Snapshotter", "Wait", false, true, true},
		{"Worker", "Quit", true, false, false},
		{"", "Squares", false, false, false}, // closes its own channel
	} {
		fn := lookup(tc.typ, tc.name)
		if fn == nil {
			t.Fatalf("no function %s.%s", tc.typ, tc.name)
		}
		_, stops := res.Stops(fn)
		reason, block := res.MayBlock(fn)
		if stops != tc.stops || block != tc.block || reason.Join != tc.join {
			t.Errorf("%s.%s: Stops %v, MayBlock %v (Join %v); want %v, %v (%v)", tc.typ, tc.name, stops, block, reason.Join, tc.stops, tc.block, tc.join)
		}
	}
}

// TestFactRoundTrip checks that the facts survive gob, as drivers that
// serialise facts between packages need, and stay small.
func TestFactRoundTrip(t *testing.T) {
	for _, in := range []any{
		&blocking.MayBlock{Reason: blocking.Reason{What: "channel receive from s.waitCh", At: "snapshot.go:195", Kind: blocking.KindChan, Join: true}},
		&blocking.Stops{What: "close of o.mqch"},
		&blocking.Generator{Result: 1},
		&blocking.MayBlock{Reason: blocking.Reason{What: "channel send on ch", At: "collector.go:42", Kind: blocking.KindChan, Params: []int{0, 2}}},
		&blocking.Capacity{Buffered: true},
	} {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(in); err != nil {
			t.Fatal(err)
		}
		if buf.Len() > 256 {
			t.Errorf("%T encodes to %d bytes; keep facts small", in, buf.Len())
		}
		out := reflect.New(reflect.TypeOf(in).Elem()).Interface()
		if err := gob.NewDecoder(&buf).Decode(out); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Errorf("round trip: got %+v, want %+v", out, in)
		}
	}
}

// TestHoldoutStops checks the stop signals and done channels learnt from
// sarama: the Close of a connection, a close in sync.Once.Do, a receive
// from a channel only ever closed.
func TestHoldoutStops(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), blocking.Analyzer, "loopblock/holdoutstops")
}

// TestBuffered checks the Buffered facts of a library whose channels
// reach its importers, and the MayBlock fact of a function that blocks
// only on the channel it is handed.
func TestBuffered(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), blocking.Analyzer, "loopblock/chanlib")
}
