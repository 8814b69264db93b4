// Package unjoined defines an Analyzer that reports goroutines nobody
// joins, and goroutines that block forever after their parent gave up.
//
// # Analyzer unjoined
//
// unjoined: goroutines should be joined or given a way to stop
//
// See Doc for the full text; asynclint -explain unjoined prints it.
package unjoined

import (
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Doc is unjoined's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title: "Goroutines should be joined or given a way to stop",
	Text: `A goroutine that blocks forever is a leak: its stack, everything it
references and often a connection or a file stay alive until the process
exits. Leaks are the most common blocking bug in large Go systems (most
of GoBench's GoKer kernels from Kubernetes, etcd, gRPC and CockroachDB
are leaks), and today they are found at run time, by goleak or by a
goroutine profile that keeps growing. unjoined finds the common shapes
statically.

It reports:

- An abandoned send: a goroutine sends on a channel whose only receiver
  is the function that made it, and that function can stop receiving:
  it returns on ctx.Done(), a timeout or another select case, returns
  early before the receive, leaves its receive loop early, receives once
  for many senders, or waits for the goroutine (wg.Wait, g.Wait) before
  receiving. The channel is unbuffered or its buffer is smaller than the
  sends one run can make. The report is on the send and names the
  parent's way out (in Related). Cure: capacity 1 when the goroutine
  sends once, a buffer for every send, or a select on ctx.Done() around
  the send. Two suggested fixes are offered: "Give the channel capacity
  1" when the goroutine sends once on an unbuffered channel, and "Send in
  a select with ctx.Done()" when the parent leaves on ctx.Done() and the
  goroutine can see that ctx.

- An abandoned receive: a goroutine ranges over (or receives until close
  from) a channel that the function that made it can return without
  closing, or receives once from a channel that function can return
  without sending on or closing (a worker pool whose input is not closed
  on an error path, a stop channel that one path forgets). Cure: defer
  close(ch).

- A goroutine with no way to stop, started by a method or a New...
  constructor: its body has no path to a return (an unbounded for loop,
  a range over a time.Ticker's channel), or it can only return on an
  unexported channel field that nothing in the package closes or sends
  on, or only on ctx.Done() of context.Background()/TODO(). The message
  names the type's Close, Stop or Shutdown when it has one, since that
  method then does not stop the goroutine. Cure: a done channel closed
  (or a context cancelled) by Close, and a WaitGroup to wait for it.

- WaitGroup and errgroup misuse that go vet misses: a goroutine that
  calls wg.Done without defer and can return without calling it (Wait
  then hangs; only when the parent calls wg.Add on that WaitGroup, so
  that the Done counts the goroutine and not, say, a resource), or can
  end without it through t.Fatal or t.FailNow (runtime.Goexit runs
  only the goroutine's deferred calls, so the test hangs in Wait), and a
  function that starts goroutines of a local
  sync.WaitGroup or errgroup.Group and can return without calling Wait
  (the goroutines outlive it and their errors are lost). go vet's
  waitgroup pass (and staticcheck's SA2000) report wg.Add inside the
  goroutine; unjoined leaves that to them.

- Waits nothing can end (no-partner, wait-in-loop, stale-cond): a receive from an
  unexported channel field that no code of the package sends on, closes
  or hands out; a receive from a local channel whose only close is
  deferred; a sync.Cond.Wait on a Cond the package never signals; and a
  WaitGroup.Wait inside the loop that starts the goroutines that an Add
  before the loop counted (the first turn waits for goroutines not yet
  started). Also a goroutine per turn of a loop that makes its channel in
  the loop body, when the turn can leave on another case, and a loop
  that sends more values than a constant buffer holds while its maker
  receives a fixed number of times. And a Cond waited on in a loop whose
  condition reads only local variables of basic type that the loop does
  not assign, no closure captures and no pointer reaches (n := q.len;
  for n == 0 { c.Wait() }): a wake-up finds the condition unchanged.

- A request to a loop that may be gone (send-after-exit): a plain send
  on an unexported channel field that only one goroutine's for-select
  loop receives, when another case of that select leaves the loop
  (case <-s.quit: return). After the loop returns nothing receives: the
  sender blocks forever. Select on the loop's exit signal as well.

- A subscriber dropped without its close (delete-unclosed): delete(m,
  k) on an unexported map field of channels whose elements the package
  closes elsewhere (Close ends every subscriber by closing its channel,
  the protocol its readers rely on), in a function that neither closes a
  channel nor reads the element it deletes (and so cannot hand it to
  whoever closes it). The reader ranging over that channel blocks
  forever.

- A stop that is lost (lost-cancel): the cancel func of a context kept
  in an unexported field that no code reads, go vet's lostcancel for
  fields.

It does not report: goroutines that finish on their own (no loop, no
blocking channel operation, or a buffer big enough for every send);
sends and receives in a select with ctx.Done(), another case or a
default; a parent that leaves on a channel closed (or sent on) only
after a Wait on a group that joins every sender, once each sender's
Done follows its send (go func() { wg.Wait(); close(done) }(): when
done fires, no send is pending); goroutines whose loop ends on a context or channel the parent
cancels or closes; a return, before Wait, that is taken only once a
context is cancelled (if ctx.Err() != nil, case <-ctx.Done()) when every
goroutine of the group was handed that context (they wind down with it:
the return is the cancellation propagating); http.Server.ListenAndServe in a goroutine with
Shutdown on the parent path (but an unbuffered error channel that the
parent stops reading is reported: after Shutdown the goroutine's send
of http.ErrServerClosed blocks forever); a Close that cancels and
waits; goroutines started in main, init or TestMain (they end with the
process; other tests are checked, a leak there slows or hangs the
suite), or in package main by a function that only those call, once
(not in a loop, never as a value or through an interface: it runs once
per process, so its goroutines live with the process); paths on which the parent panics, calls
os.Exit, log.Fatal or t.Fatal (the process or test ends anyway, and
FailNow runs the test's deferred cleanups: the failure is the report),
including helpers whose every path does, and any function or method
named Fatal, Fatalf, FailNow or Skip... that returns nothing (testify's
require and suites, gocheck: they end the test through an interface
call no control-flow fact follows);
channels with a computed capacity (make(chan T, len(xs)) is assumed to be
sized for the job); a buffered channel shared by goroutines started in a
loop (semaphores, pools); plain functions that start an endless
goroutine (their caller owns its lifetime); an endless goroutine started
in the function given to a package-level sync.Once's Do (the one
janitor of package-level state the process runs; a Once per value still
counts).

How it works, and what is out of reach: unjoined reads the SSA form of
each function (buildssa). It follows every channel made by make(chan)
in a function through local variables, closures, goroutines and calls
into functions of the same package, and through other packages'
functions by facts recorded by the chanflow helper analyzer ("sends on /
receives from / drains / closes its channel parameter"). A channel
passed to a call of a func-typed field, or of an interface method, is
followed into every function of the package the call may reach: the
functions and closures the package stores into that field, the methods
of the package's types that implement the interface (what a
type-propagation call graph, x/tools' VTA, finds within one package, at
the cost of one scan). When the channel goes anywhere it cannot follow
- into a struct field, a map, a slice, an interface value, a function
value the package never stores, a returned value, or a function with no
fact - unjoined assumes someone else is a partner and says nothing;
channels stored in maps and exported fields are therefore out of
reach. Paths are
intraprocedural: a helper called by the parent that may return early is
taken to return normally. The endless-goroutine rule reads the body of
goroutines of the same package only, and the silent-field rule relies
on the field being unexported, so that the package is the whole story.
Loop counts are not tracked: a receive loop that runs to its natural
end is assumed to receive every send, a loop that holds the parent's
send, receive or close is assumed to reach it before it ends, a range
over a time.Ticker's channel never ends, and a receive from a channel
that the goroutine itself closes or sends on is taken to mean that the
goroutine is done; a loop that leaves right after stepping a counter
("n--; if n == 0") has counted its receives; a select case that sends
on a channel nothing receives from never fires. Causality between
channels is out of reach: a parent that leaves on a case that can only
fire after the goroutine got its value is still reported (suppress it
with //asynclint:ignore unjoined and the reason). A goroutine's wg.Done
inside a loop is taken to count
items, not goroutines, and is not checked. A wg.Add count that does not
match the number of goroutines started (a Wait no Done can release) is
not checked.`,
	Before: `func Fetch(ctx context.Context) (Result, error) {
	ch := make(chan Result)
	go func() {
		ch <- fetch() // blocks forever once Fetch has returned
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}`,
	After: `func Fetch(ctx context.Context) (Result, error) {
	ch := make(chan Result, 1) // the late send completes into the buffer
	go func() {
		ch <- fetch()
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}`,
	Since:    lintdoc.FirstRelease,
	Severity: lintdoc.SeverityWarning,
}

// Rules are unjoined's named findings: how the goroutine outlives the
// function that started it.
var Rules = report.NewRules(
	lintdoc.Rule{Name: "blocked-send", Title: "a goroutine's send blocks forever because its parent can stop receiving", Precision: "51 of 92 true on untouched pools (5 of 12 on 2026-12-07f; 12 of 15 on 2026-12-06e; 9 of 17 on 2026-12-06d; 2 of 5 on 2026-12-06c; 14 of 27 on 2026-12-06b; 9 of 16 on 2026-12-06)"},
	lintdoc.Rule{Name: "blocked-recv", Title: "a goroutine's receive blocks forever because its parent can return without sending or closing", Precision: "3 of 4 true on untouched pools (0 of 1 on 2026-12-06e; 1 of 1 on 2026-12-06d; 2 of 2 on 2026-12-06c)"},
	lintdoc.Rule{Name: "no-partner", Title: "a wait nothing can end: a receive from an unexported channel field nothing sends on or closes, from a local channel closed only by a defer, a sync.Cond nothing signals", Precision: "0 of 7 true on untouched pools (0 of 2 on 2026-12-07f; 0 of 2 on 2026-12-06e; 0 of 3 on 2026-12-06d)"},
	lintdoc.Rule{Name: "send-after-exit", Title: "a plain send on a channel field that only a serving loop receives, when the loop can leave on another case", Precision: "0 of 6 true on untouched pools (0 of 2 on 2026-12-07f; 0 of 4 on 2026-12-06e)"},
	lintdoc.Rule{Name: "delete-unclosed", Title: "a channel deleted from a map field of channels that the package elsewhere ends by closing, without its close", Precision: "0 of 1 true on untouched pools (0 of 1 on 2026-12-07f)"},
	lintdoc.Rule{Name: "stale-cond", Title: "a sync.Cond waited on in a loop whose condition reads only local copies nothing can change", Precision: "no finding on 2026-12-06e, 2026-12-07f and 2026-12-07g (100 modules), the untouched pools run since it was written: unmeasured"},
	lintdoc.Rule{Name: "wait-in-loop", Title: "WaitGroup.Wait inside the loop that starts the goroutines an Add before the loop counted", Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "lost-cancel", Title: "the cancel func of a context kept in a field nothing calls", Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "missing-wait", Title: "goroutines of a WaitGroup or group that their starter does not wait for on some path", Precision: "26 of 36 true on untouched pools (6 of 7 on 2026-12-07f; 3 of 4 on 2026-12-06e; 8 of 13 on 2026-12-06d; 6 of 6 on 2026-12-06c; 1 of 2 on 2026-12-06b; 2 of 4 on 2026-12-06)"},
	lintdoc.Rule{Name: "missing-done", Title: "a goroutine that can return without calling WaitGroup.Done", Precision: "0 of 9 true on untouched pools (0 of 5 on 2026-12-06d; 0 of 2 on 2026-12-06b; 0 of 2 on 2026-12-06)"},
	lintdoc.Rule{Name: "unstoppable", Title: "a goroutine that loops forever with nothing that can stop it", Precision: "14 of 16 true on untouched pools (1 of 2 on 2026-12-06e; 2 of 2 on 2026-12-06d; 1 of 2 on 2026-12-06c; 8 of 8 on 2026-12-06b; 2 of 2 on 2026-12-06)"},
)
