package unjoined

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A stopKind says what a call that never returns ends.
type stopKind int

const (
	returns       stopKind = iota
	endsGoroutine          // t.FailNow, t.Fatal, t.SkipNow, runtime.Goexit: the goroutine's deferred calls run, then it ends
	endsProcess            // os.Exit, log.Fatal, a panic: nothing after it matters
)

// What a test's FailNow ends, and why the walks treat it as they do:
// FailNow calls runtime.Goexit, which runs the deferred calls of the
// goroutine that calls it and ends that goroutine only.
//
//   - In the test's own goroutine (the parent of the goroutines we
//     check), the test ends as failed, its deferred cleanups run
//     (defer close(ch), defer cancel(), defer wg.Wait()), and the failure
//     is the report: a path through t.Fatal, in a range body or a timeout
//     case, is no leak to chase.
//   - In a goroutine the test started, it ends that goroutine only: a
//     wg.Done that is not deferred is skipped, and the test's wg.Wait
//     hangs until the test binary times out. checkSkippedDone reports it.

// stopFuncs are the standard-library functions that never return, for
// drivers that give no facts about the standard library.
var stopFuncs = map[string]stopKind{
	"os.Exit": endsProcess, "runtime.Goexit": endsGoroutine,
	"log.Fatal": endsProcess, "log.Fatalf": endsProcess, "log.Fatalln": endsProcess,
	"log.Panic": endsProcess, "log.Panicf": endsProcess, "log.Panicln": endsProcess,
	"(*log.Logger).Fatal": endsProcess, "(*log.Logger).Fatalf": endsProcess, "(*log.Logger).Fatalln": endsProcess,
	"(*log.Logger).Panic": endsProcess, "(*log.Logger).Panicf": endsProcess, "(*log.Logger).Panicln": endsProcess,
}

// stopNames are the names that, on a function or method that returns
// nothing, mean "does not return" by a convention every test helper
// library and logger follows: testing's T, B and F, testify's require
// and suite, gocheck's C, logrus and zap loggers. (zerolog's Fatal
// returns an event and is not one.)
var stopNames = map[string]bool{
	"Fatal": true, "Fatalf": true, "Fatalln": true, "FailNow": true,
	"Skip": true, "Skipf": true, "SkipNow": true,
}

// stops reports what the call ends, if it never returns: a function of
// the tables above, a call named like one that returns nothing (FailNow,
// or any of the names on a receiver or first argument that can FailNow,
// ends the goroutine; a logger's Fatal ends the process; a Skip on
// anything else, a parser say, returns), or a function of this package
// whose every path ends in such a call.
func (c *checker) stops(common *ssa.CallCommon) stopKind {
	if common.IsInvoke() {
		return stopByName(common.Method, common.Value.Type())
	}
	fn := common.StaticCallee()
	if fn == nil {
		return returns
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		if k, ok := stopFuncs[unvendor(obj.Origin().FullName())]; ok {
			return k
		}
		var subject types.Type
		if len(common.Args) > 0 {
			subject = common.Args[0].Type() // the receiver, or t in require.FailNow(t, ...)
		}
		if k := stopByName(obj, subject); k != returns {
			return k
		}
	}
	if fn.Pkg == c.pkg && fn.Blocks != nil {
		return c.helperStops(fn)
	}
	return returns
}

// stopByName applies the naming convention to fn, whose receiver or
// first argument has type subject.
func stopByName(fn *types.Func, subject types.Type) stopKind {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || !stopNames[fn.Name()] || sig.Results().Len() != 0 {
		return returns
	}
	switch {
	case fn.Name() == "FailNow", subject != nil && hasMethod(subject, "FailNow"):
		return endsGoroutine // t.Fatal, t.Skip, require.FailNow(t, ...), suite.FailNow
	case strings.HasPrefix(fn.Name(), "Fatal"):
		return endsProcess // a logger's Fatal
	}
	return returns // a parser's or an iterator's Skip
}

// hasMethod reports whether t (or *t) has the exported method name.
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// helperStops reports what fn, a function of this package, ends when
// every path through it ends in a call that does not return:
// func fatalf(t *testing.T, ...) { t.Helper(); t.Fatalf(...) }.
func (c *checker) helperStops(fn *ssa.Function) stopKind {
	if k, ok := c.helpers[fn]; ok {
		return k
	}
	c.helpers[fn] = returns // recursion: assume it returns.
	kind := endsProcess
	seen := map[*ssa.BasicBlock]bool{fn.Blocks[0]: true}
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(stack) > 0 && kind != returns {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		succs := b.Succs
	instrs:
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Return:
				kind = returns
				break instrs
			case *ssa.Panic:
				succs = nil
				break instrs
			case *ssa.Call:
				if k := c.stops(instr.Common()); k != returns {
					kind = min(kind, k) // ends the goroutine on some path: the weaker
					succs = nil
					break instrs
				}
			}
		}
		for _, s := range succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	c.helpers[fn] = kind
	return kind
}
