// Package loopblock defines an Analyzer that reports calls and channel
// operations that can block without bound inside an event goroutine (an
// HTTP handler, a for-select event loop, a dispatch loop) or while a
// mutex is held.
//
// # Analyzer loopblock
//
// loopblock: calls that can block without bound should not run in an event goroutine
//
// See Doc for the full text; asynclint -explain loopblock prints it.
package loopblock

import (
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Doc is loopblock's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title: "Calls that can block without bound should not run in an event goroutine",
	Text: `An event goroutine serves many events: a for-select loop that
multiplexes channels and timers, a for-range loop that dispatches what a
channel delivers, an HTTP handler that holds a request and its
goroutine. One call there that can wait forever (a backend that never
answers, a channel nobody drains) stalls every event behind it, or hangs
the request and leaks its goroutine. A mutex held across such a call
stalls every other user of the lock too.

loopblock reports, inside an event context, an operation that can block
without bound:

- http.Get, Post, Head and PostForm, and the methods of
  http.DefaultClient or of an http.Client literal with no Timeout
  (Client.Do only when the request is made by http.NewRequest, without a
  context);
- net.Dial on a stream network and net.DialTCP (not DialTimeout or
  DialContext);
- database/sql calls without a context (Query, QueryRow, Exec, Prepare,
  Ping, Begin on DB, Tx and Stmt);
- Run, Output, CombinedOutput and Wait of a command made by
  exec.Command;
- time.Sleep (and a receive from time.After) whose duration has no
  bound in the source, sync.WaitGroup.Wait, sync.Cond.Wait;
- a channel send or receive outside a select, and a select with no
  default, ctx.Done() or timer case;
- in a for-select loop, Read or Write on a connection when the function
  sets no deadline;
- a call of a function that does one of these, in this package or
  another (the message names the operation at the end of the chain). I/O
  without a deadline is followed through any number of calls; sleeps,
  waits and channel operations only one call deep, since whether they
  are bounded depends on a protocol that the function doing them knows.

The event contexts are: functions shaped like an HTTP handler (they take
an http.ResponseWriter and an *http.Request: ServeHTTP methods, literals
passed to HandleFunc or Handle, handlers registered on a mux, the
helpers a handler hands its request to); the case bodies of a for-select
loop whose select waits for at least two kinds of event (work channels
or timers, not counting ctx.Done() and cases that leave the loop, whose
bodies are the loop's shutdown and are not checked); and the body of a
for-range loop over a channel that switches on the received value. A
loop with one work case is a worker, whose blocking is its own
business, unless it declares that it stops on a context (a case
<-ctx.Done() that leaves the loop): then a network, database or process
call in its work case that cannot see that context (worker-io) holds up
the shutdown the context was meant to give. Callbacks run on a loop too:
a function stored in a func field (or a slice or map of them) of the
package, directly or through a registering method's parameter
(AddEventHandler(kind, fn)), that an event loop calls (d.onEvent(ev),
for _, h := range d.handlers { h(ev) }) is an event context of that
loop (callback-io). A registering function records that as a fact
(runsOnLoop), so a literal, function or method value that another
package passes to it is checked as a callback of that loop too.
Independently of event contexts, an operation from the list above made
while a sync.Mutex or sync.RWMutex is held is reported in any function
(the lock is held from Lock to a call of Unlock, or of a func value that
calls it, such as unlock := func() { once.Do(mu.Unlock) } or a func a
function of the package returns for the mutex it is given), and so is a
shutdown join (see below) made under a lock that a goroutine it waits
for takes too (a go statement, WaitGroup.Go or AfterFunc callback of the
package, followed two calls deep): if that goroutine is waiting for the
lock when it is told to stop, neither side ever proceeds.

A lock that is never released blocks every later Lock the same way. The
lock rules follow each Lock along the function's control flow with the
mutex held: an early return that still holds it while the function's
other paths release it (lock-leak: an error path that forgot the
Unlock); a path that reaches a Lock of the same mutex again, such as a
continue before the Unlock in a loop, or an Unlock deferred inside a
loop body (lock-again); a method that holds its receiver's mutex and
calls another method of the package, on the same receiver, that locks
it on entry (lock-reentry; a read lock taken again under a read lock is
not reported: it deadlocks only if a writer comes between, which on
real code the package's own protocol kept out); and two mutexes of one
object that one function locks in one order and another in the other
(lock-order; only mutexes reached from the same variable are compared,
so two instances locked in an order of their own are left alone). A
mutex reached through a variable declared in the loop is another mutex
on each turn. Locks released by a deferred call, by a func literal, or
by a function they are handed to, and branches on a local bool flag
that may track the lock, are not followed; a function that still holds
the lock at its final return holds it on purpose.

A goroutine that waits for its own end deadlocks without any lock
(self-join): it signals its end in a deferred call (close(s.done),
s.wg.Done(), or it is a WaitGroup.Go body), and some path of its body,
of the package's functions it calls (three calls deep) or of a callback
its loop runs calls a function that waits for that signal (Close:
close(s.quit); s.wg.Wait()). Waits in a select, in another goroutine or
in a deferred call are not counted.

The cure is to bound the wait or to move it out: pass the request's or
the loop's context (http.NewRequestWithContext with r.Context(),
QueryContext, exec.CommandContext, a Dialer's DialContext), use a client
with a Timeout, wait in a select that also has a ctx.Done() or timer
case, release the lock before the call, or hand the work to a worker
goroutine. Where the fix is mechanical and a context is in scope,
loopblock suggests it (exec.Command becomes exec.CommandContext, Query
becomes QueryContext, Begin becomes BeginTx, net.Dial becomes a
net.Dialer's DialContext); the context is a context.Context variable in
scope or the handler's r.Context().

A sleep is bounded when the source bounds its duration (a constant, min
with a bounded argument, a jitter drawn by rand.Intn(n) and the like, a
variable clamped by an if before the call, as in if d > max { d = max },
or guarded by the condition of an if or for around it, as in
if d < max { time.Sleep(d) }) and the number of times it runs (no loop
around it, or loops with a constant count, as a retry loop has); a call
of a function whose only blocking is such sleeps is bounded too. An
unexported package variable assigned only where it is declared counts as
a constant; a duration read from a parameter, a field, an exported
package variable or one assigned elsewhere (configuration) has no bound,
nor does a sleep in a loop that polls until a condition holds. In an
event context a bounded sleep is a pause, not a block without bound, and
is not reported. Under a lock it is: every other user of the lock stalls
for as long, and the message gives the bound.

Some waits are bounded by the protocol around them and are not reported.
Under a lock, a send on a channel of the package that a serving loop
receives from, or a call of a function whose only wait is such a send: a
loop in a goroutine (started directly or through a wrapper that calls
the function it is given, as sarama's withRecover) that receives the
channel (by range, in a select or outside one), waits nowhere else
except in a select with a default or timer case or that receives the
channel too (its own waits under a lock are reported there), leaves only
when the channel is closed or delivers (a branch on the value received
counts) or on a stop signal closed or sent under the sender's lock (or
under a lock the called function holds itself, as robfig/cron's
Cron.Remove), and takes none of the locks the sender holds (that would
deadlock). In an event context, such a send or call is not reported
either when the loop leaves only when its channel is closed or delivers.
In a for-select loop, a select that also receives one of the loop's own
work channels, or a call of a function of the package whose only waits
are such selects: the loop's events are served while it waits. In a case
body of a for-select loop, an operation from which every path leaves the
loop without coming back to the select (a return, a break or goto out of
the loop, a call that never returns, such as log.Fatal): it is the
loop's shutdown, and no event waits behind it (a drain of what is left
before the return). A request/reply exchange with a server goroutine of
the package, under a lock or in an event context: the receive of the
reply (<-r.reply after reqs <- r, a plain send or a select case) when
every receiver of the request channel replies on that field and waits
for nothing else in its function than requests (its other waits carry a
context or a deadline), and takes no lock the requester holds; and the
server's reply send r.reply <- v, when every sender of a request on that
channel waits for the reply after it. The request's own send is judged
as any send (a select with the server's done channel bounds it). In an
event context, a request/reply exchange with a server the caller wires
in: a send of a reply channel that the function makes, on a channel it
is given (a parameter of it or of a function around it), and the receive
of the reply after that send; the call goes to code out of reach, like a
call through a func value (a request on a channel of the package is
judged as any send). Test helpers outside _test.go files have no event
context: a function that takes a *testing.T, *testing.B, *testing.F or
testing.TB (and the literals inside it), and a handler literal given to
httptest.NewServer, NewTLSServer or NewUnstartedServer; a package is not
taken for test code because it imports "testing", since production
packages do so for their test helpers (raft's test cluster). A channel
served only by a loop in a package that imports this one is not seen,
nor whether a serving loop has been started yet, nor the locks a serving
loop takes through other packages or func values; a request/reply
exchange is not followed into the server.

Not reported: context-aware calls, clients configured elsewhere (they
are assumed to have a timeout), conns with a deadline set in the same
function, selects with a way out, sends on a channel made with a buffer
(wherever in the package it is made, its tests aside: a send counts
only when the channel is known to have no buffer, or when nothing shows
its capacity and no channel made with a buffer is stored into it; a
channel taken out of a slice, array or map, or received from a channel
of channels, is judged by every channel put into it or sent on it, the
result of a call by the callee's returns, and another package's
function results and exported fields by its facts), sends on and
receives from a channel the caller hands over (a parameter, not the
receiver, or an exported field of one that the package does not fill
with an unbuffered channel itself: a collector's Collect(ch), a
request's r.Done; the call is judged instead, and blocks when the
channel handed over is neither made with a buffer nor the caller's own
parameter; a range over a parameter still counts, as it waits for the
producer's whole run), a send on an exported channel field behind an
exported bool switch (if cfg.NotifyX { c.XChan <- ev }) that the
package never reads (the user who turned the switch on reads it by
contract; a nil check alone is no switch), channels used as a
semaphore (a chan struct{} both sent on and received from),
receives guarded by len, channels from a producer given a context, waits
on a group made with a context (errgroup.WithContext(r.Context()));
shutdown joins: a WaitGroup.Wait, a receive from a done channel (a chan
struct{}, or a channel the package closes and never sends on), or a call
of a function that only does these, after close(quit), cancel(), a call
of context.AfterFunc's stop function, the Close of a connection,
listener or other reader (its reading goroutine fails at once), or a
call of a function that does one of these (in sync.Once.Do included) to
a channel, context or reader it did not make; a WaitGroup.Wait for
goroutines started on the spot (by go, WaitGroup.Go or the Go method of
a group such as errgroup.Group) that do not block themselves (their
calls carry a context or a timeout; a channel the starter sends on and
they receive from is a semaphore; in an event context, sleeps with a
bound do not count, and under a lock the message gives how long the join
can take); a receive from or range over a channel closed before on every
path, or made here and fed only by goroutines started just before that
deliver (a send or close at their top level; a close for a range) and
block nowhere else (a drain until the sentinel a producer sends last),
or returned by a generator (a function that closes the channel it makes
and returns after sending a bounded number of values); dials of datagram
or local sockets; a select {} right after a go statement whose goroutine
ends the process (go panic(err), a literal whose last statement calls
os.Exit or log.Fatal: a deliberate crash); handlers from the point where
they hijack or upgrade their connection (they are the connection's
goroutine then); blocking inside a goroutine that the handler or loop
starts; worker goroutines (a for-select loop with one work channel and a
quit case, a for-range loop that treats every value alike) and poll
loops (for { work(); time.Sleep(d) }); sync.Cond.Wait and conn writes
under a lock (Wait releases it, and serialising writes is what the lock
is for); main, init and tests.

Out of reach: calls through interfaces and func values (a snapshot
iterator and a subscription returned by an interface method look alike),
func literals stored and called later, and unbounded work in the
standard library beyond the calls listed above; blocking that happens
only on some paths is reported as if it happened on all.`,
	Before: `func (s *Server) handleThumb(w http.ResponseWriter, r *http.Request) {
	out, err := exec.Command("convert", r.URL.Path, "png:-").Output()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	resp, err := http.Get(s.notifyURL) // blocks every user of s.mu
	...
}`,
	After: `func (s *Server) handleThumb(w http.ResponseWriter, r *http.Request) {
	out, err := exec.CommandContext(r.Context(), "convert", r.URL.Path, "png:-").Output()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	url := s.notifyURL
	s.mu.Unlock()
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, url, nil)
	resp, err := s.client.Do(req) // s.client has a Timeout
	...
}`,
	Since:    lintdoc.FirstRelease,
	Severity: lintdoc.SeverityWarning,
}

// Rules are loopblock's named findings: where the operation runs (an HTTP
// handler, an event loop, under a lock) and what kind of wait it is
// (network, database or process I/O; a sleep or WaitGroup/Cond wait; a
// channel operation or select). A call that blocks through its callee
// belongs to the rule of the operation it reaches.
var Rules = report.NewRules(
	lintdoc.Rule{Name: "handler-io", Title: "an HTTP handler makes a network, database or process call with no timeout or context", Precision: "26 of 46 true on untouched pools (1 of 1 on 2026-12-07f; 20 of 20 on 2026-12-06d; 2 of 2 on 2026-12-06c; 1 of 2 on 2026-12-06b; 2 of 21 on 2026-12-06)"},
	lintdoc.Rule{Name: "handler-wait", Title: "an HTTP handler sleeps or waits on a WaitGroup or Cond", Precision: "0 of 6 true on untouched pools (0 of 5 on 2026-12-06b; 0 of 1 on 2026-12-06)"},
	lintdoc.Rule{Name: "handler-chan", Title: "an HTTP handler blocks on a channel operation or a select with no way out", Precision: "8 of 14 true on untouched pools (0 of 2 on 2026-12-07g; 0 of 1 on 2026-12-06e; 5 of 5 on 2026-12-06d; 2 of 3 on 2026-12-06c; 1 of 3 on 2026-12-06b)"},
	lintdoc.Rule{Name: "loop-io", Title: "an event loop makes a network, database or process call with no timeout or context", Default: true, Precision: "2 of 2 true on untouched pools (2 of 2 on 2026-12-06)"},
	lintdoc.Rule{Name: "loop-wait", Title: "an event loop sleeps or waits on a WaitGroup or Cond", Precision: "1 of 7 true on untouched pools (0 of 1 on 2026-12-07g; 0 of 1 on 2026-12-06e; 1 of 1 on 2026-12-06c; 0 of 3 on 2026-12-06b; 0 of 1 on 2026-12-06)"},
	lintdoc.Rule{Name: "loop-chan", Title: "an event loop blocks on a channel operation or a select with no way out", Precision: "1 of 40 true on untouched pools (0 of 2 on 2026-12-07g; 0 of 8 on 2026-12-07f; 0 of 8 on 2026-12-06e; 1 of 2 on 2026-12-06d; 0 of 2 on 2026-12-06c; 0 of 10 on 2026-12-06b; 0 of 8 on 2026-12-06)"},
	lintdoc.Rule{Name: "worker-io", Title: "a worker loop that stops on ctx.Done() makes a network, database or process call that cannot see ctx", Precision: "0 of 1 true on untouched pools (0 of 1 on 2026-12-06c)"},
	lintdoc.Rule{Name: "callback-io", Title: "a callback that an event loop runs (registered in a func field, in the package or through another package's registering function) makes a network, database or process call with no timeout or context", Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "lock-io", Title: "a network, database or process call with no timeout or context while a mutex is held", Precision: "16 of 28 true on untouched pools (1 of 1 on 2026-12-06e; 8 of 12 on 2026-12-06d; 0 of 2 on 2026-12-06c; 6 of 11 on 2026-12-06b; 1 of 2 on 2026-12-06)"},
	lintdoc.Rule{Name: "lock-wait", Title: "a sleep or a WaitGroup wait while a mutex is held", Precision: "13 of 33 true on untouched pools (1 of 1 on 2026-12-07g; 2 of 5 on 2026-12-06e; 0 of 7 on 2026-12-06d; 3 of 6 on 2026-12-06c; 4 of 5 on 2026-12-06b; 3 of 9 on 2026-12-06)"},
	lintdoc.Rule{Name: "lock-chan", Title: "a channel operation or a select with no way out while a mutex is held", Precision: "23 of 97 true on untouched pools (0 of 2 on 2026-12-07g; 2 of 3 on 2026-12-07f; 2 of 21 on 2026-12-06e; 5 of 19 on 2026-12-06d; 1 of 2 on 2026-12-06c; 13 of 37 on 2026-12-06b; 0 of 13 on 2026-12-06)"},
	lintdoc.Rule{Name: "lock-leak", Title: "an early return leaves a mutex locked that the function's other paths unlock", Precision: "5 of 10 true on untouched pools (1 of 1 on 2026-12-06e; 1 of 1 on 2026-12-06d; 2 of 7 on 2026-12-06c; 1 of 1 on 2026-12-06b)"},
	lintdoc.Rule{Name: "lock-again", Title: "a mutex locked again on a path that still holds it (a continue before the Unlock, an Unlock deferred in a loop)", Precision: "0 of 11 true on untouched pools (0 of 1 on 2026-12-07g; 0 of 9 on 2026-12-06c; 0 of 1 on 2026-12-06b)"},
	lintdoc.Rule{Name: "lock-reentry", Title: "a method holding its receiver's mutex calls a method that locks it again", Precision: "2 of 9 true on untouched pools (1 of 2 on 2026-12-06d; 0 of 3 on 2026-12-06c; 1 of 4 on 2026-12-06b)"},
	lintdoc.Rule{Name: "lock-order", Title: "two mutexes of one object locked in both orders by two functions (a deadlock)", Precision: "1 of 2 true on untouched pools (0 of 1 on 2026-12-06d; 1 of 1 on 2026-12-06c)"},
	lintdoc.Rule{Name: "self-join", Title: "a goroutine that calls, directly, through its package's functions or through a callback its loop runs, a wait for its own end (Close waiting on the done channel it closes when it returns)", Precision: "no finding on 2026-12-07f and 2026-12-07g (66 modules), the untouched pools run since it was written: unmeasured"},
	lintdoc.Rule{Name: "lock-join", Title: "a join under a lock that the joined goroutine takes too (a deadlock)", Default: true, Precision: "1 of 1 true on untouched pools (1 of 1 on 2026-12-06)"},
)
