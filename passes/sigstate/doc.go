// Package sigstate defines an Analyzer that reports signal handlers
// whose effect never reaches the state the workers read.
//
// # Analyzer sigstate
//
// sigstate: signal handling should reach the goroutines that must stop
//
// A handler is the code that runs after a receive from the channel given
// to signal.Notify (<-sigs, a select case, a range over sigs, or a call
// of a function of the package that receives from it), or after
// <-ctx.Done() for a context made by signal.NotifyContext. sigstate
// reports a handler that declares a new variable shadowing the flag the
// workers read, writes to a copy, sets an unsynchronized flag a worker
// loop polls, cancels or closes something no worker watches, only logs a
// termination signal, or exits past deferred cleanup; and registrations
// whose signals nobody receives or handles, an unbuffered channel, or an
// untrappable signal.
//
// See Doc for the full text; asynclint -explain sigstate prints it.
package sigstate

import (
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Doc is sigstate's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title: "Signal handling should reach the goroutines that must stop",
	Text: `A SIGTERM handler is how a service learns that it must shut down: stop
accepting work, finish what is in flight, close its pools. A handler whose
effect never reaches the goroutines that do the work leaves the process
running until it is killed, losing the in-flight work it meant to save.

A handler, for sigstate, is the code that runs after a receive from the
channel given to signal.Notify: the rest of the block after <-sigs or
sig := <-sigs, the body of a select case <-sigs or of a range over sigs.
The channel is followed into a function of the same package it is passed
to, one call deep. For signal.NotifyContext, the handler is the code after
<-ctx.Done().

sigstate reports:

- A handler that declares, with := or var, a new variable of the same type
  and name as one another goroutine reads (running := false;
  cfg, err := load()), when the new variable goes nowhere: it is only
  logged, tested, checked by a method that returns just an error or a
  bool (cfg.Validate()), or discarded. The handler meant to update the
  outer variable. When the handler holds a lock (which the readers are
  trusted to take too), the suggested fix replaces := with = (declaring
  the statement's other new variables, such as err, just before it);
  without one, = alone would be a data race, so there is no fix: make the
  variable an atomic.Bool or close a channel. A fresh context,
  cancel function or error is not reported: declaring those anew is the
  shutdown idiom.

- A handler that sets a field of, or assigns to, a copy that nothing reads
  afterwards (a read that is only logged, or only tested to log, does not
  count): a value receiver, a struct parameter or a flag passed by value
  (go onSignal(sigs, stopping)), a range variable, or a local copy of a
  package-level variable or of a value behind a pointer (st := *d.state).
  The same when the handler passes the flag by value to a function of the
  package (or calls a value-receiver method of it) that sets its copy:
  stop(running) with func stop(flag bool) { flag = false }.
  Use a pointer receiver, pass a pointer, index the element, or assign to
  the shared variable itself.

- A handler that sets a plain variable of basic type (bool, integer,
  string) without holding a lock while a loop in another function polls it
  (directly, or through a one-line getter called in the loop).
  This is a data race, and the compiler may hoist the read out of the loop
  so that it never sees the change. Use an atomic.Bool, close a channel the
  workers select on, or cancel the context they watch. In the simplest
  shape (a local channel and a local flag in one block, a goroutine that
  only receives and sets the flag, reads of the flag or its negation) the
  suggested fix replaces all of it with signal.NotifyContext and
  ctx.Err(). The check stays quiet when the handler or the reader takes a
  lock, or when the variable's address is taken (it may be used with
  sync/atomic).

- The mirror: a handler that reads a plain variable of basic type
  (if !ready { continue }) without holding a lock while another goroutine
  writes it without one: a function started with go, or the function that
  started the handler's goroutine, after the go statement. A write in
  init, before the handler starts, or by the handler's own goroutine is
  fine; so is a variable whose address is taken. Fields are left out:
  their writes cannot be told apart by instance.

- A handler that cancels a context that is discarded wherever it is made
  (_, cancel := context.WithCancel(...)), or closes a channel that is only
  ever made, sent on and closed: the shutdown reaches no goroutine.

- A handler of SIGINT or SIGTERM that runs in an endless loop and only
  logs: the signal is caught and dropped, and the process can no longer be
  stopped politely. A case for SIGINT or SIGTERM in the handler's closing
  switch that only logs is reported the same way. If ignoring is intended,
  signal.Ignore says so. When the channel has another receive (the first
  signal starts the shutdown, later ones print "already shutting down"),
  or another registration in the function handles the same signal, the
  logging loop is fine.

- A handler that calls os.Exit or log.Fatal while a deferred Close,
  Shutdown, Flush, Sync, Stop or Remove may be pending: in the handler's
  function before the receive, in the functions around the handler's
  goroutine, in the function that registered the signals, or in the
  callers of the function that holds the handler (one level, called or
  started with go). The deferred cleanup never runs. Stopping a server or
  cancelling a context first does not run it; the handler is left alone
  when, before exiting, it calls the deferred function, uses what the
  deferred call uses (db.Close(), closeAll(db)), or calls a function of
  the package, which may do either.
  Closing a file, a connection or a listener does not count: the kernel
  does that at exit.
  Return (or cancel a context) so the defers run, or run the cleanup in
  the handler before exiting.

- signal.Notify of SIGINT or SIGTERM (or of every signal) on a local or
  unexported channel (a variable, or a field the package makes) that
  nobody in the package receives from and that is not handed on, or on a
  channel made in the call itself,
  unless another registration in the same function handles those signals;
  and signal.NotifyContext whose context is discarded. Notify turns off the
  signals' default action, so they are caught and dropped. Registering
  SIGQUIT or SIGUSR1 this way is left alone: it is how programs swallow
  them on purpose.

- A signal registered with signal.Notify that the only handler's closing
  switch on the received signal has no case for (and no default).

- signal.Notify with an unbuffered channel: the signal package does not
  block when it delivers a signal, so a signal that arrives while nobody
  is receiving is dropped. The suggested fix gives the channel capacity 1.

- signal.Notify or signal.NotifyContext with os.Kill or
  syscall.SIGKILL/SIGSTOP: these signals cannot be caught, so the
  registration has no effect for them.

Overlap with other tools: the unbuffered channel is also reported by go
vet's sigchanyzer and by staticcheck's SA1017, and the untrappable signals
by staticcheck's SA1016; asynclint reports them too so that it alone is
complete, and findings on the same line are duplicates, not two problems.
go vet's optional shadow pass reports := shadows in general, with many
unrelated findings; sigstate reports only a handler's shadow of a variable
another goroutine reads. The race detector finds the unsynchronized flag
only when a test sends the signal.

Not reported: a handler that cancels the context the workers use, closes a
channel they select on, stores to an atomic they load, calls srv.Shutdown,
or takes the lock the readers take; a handler that re-raises the signal or
exits after running the cleanup itself; a := that declares a genuinely
new variable (no outer variable of that name and type is read by another
goroutine after the handler starts, or the new variable is handed on).

Out of reach: handlers in other packages than the registration, channels
stored in fields and received through another variable, workers that read
the state through interfaces or function values, flags polled only once
per request rather than in a loop, and deferred cleanup more than one
call away from the handler.`,
	Before: `var running = true

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		running := false // a new variable: the workers never stop
		log.Println("stopping", running)
	}()
	for running {
		work()
	}
}`,
	After: `func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	for ctx.Err() == nil {
		work(ctx)
	}
}`,
	Since:    lintdoc.FirstRelease,
	Severity: lintdoc.SeverityWarning,
}

// Rules are sigstate's named findings: how a signal's effect is lost.
var Rules = report.NewRules(
	lintdoc.Rule{Name: "untrappable", Title: "signal.Notify for SIGKILL or SIGSTOP, which cannot be caught", Default: true, Precision: "2 of 2 true on untouched pools (1 of 1 on 2026-12-06b; 1 of 1 on 2026-12-06)"},
	lintdoc.Rule{Name: "unbuffered", Title: "signal.Notify on an unbuffered channel, which drops signals", Default: true, Precision: "2 of 2 true on untouched pools (1 of 1 on 2026-12-06e; 1 of 1 on 2026-12-06b)"},
	lintdoc.Rule{Name: "dropped", Title: "a registered signal that is caught and then ignored", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "unwatched", Title: "a handler that closes a channel or cancels a context that no goroutine watches", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "copy", Title: "a handler that sets a flag on a copy nothing reads", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "shadow", Title: "a handler that declares a new variable shadowing the one the workers read", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "race", Title: "a handler that sets a plain flag a loop polls without synchronization", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "race-read", Title: "a handler that reads a plain flag another goroutine writes without synchronization", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "exit-skips-defer", Title: "os.Exit or log.Fatal in a handler skipping deferred cleanup", Precision: "1 of 4 true on untouched pools (0 of 3 on 2026-12-07f; 1 of 1 on 2026-12-06)"},
)
