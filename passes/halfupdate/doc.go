// Package halfupdate defines an Analyzer that reports cancellation
// points that split two dependent updates, leaving state half written.
//
// # Analyzer halfupdate
//
// halfupdate: a cancellation point should not split two dependent updates
//
// See Doc for the full text; asynclint -explain halfupdate prints it.
package halfupdate

import (
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Doc is halfupdate's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title: "A cancellation point should not split two dependent updates",
	Text: `In Go, cancellation arrives through a context.Context: every call that
takes the caller's context, and every ctx.Err() or <-ctx.Done() check,
is a point where the function can stop. A function that makes one
durable or shared change and then passes a cancellation point before the
change that completes it leaves the system half updated when the caller
goes away: a client disconnects, a deadline passes, the server shuts
down. The money is debited but not credited; the row is written but the
event never published.

halfupdate reports four shapes of this:

- Split write across a cancellable call: two updates in sequence that
  take the same cancellable context, where the first one's failure makes
  the function return (so the second depends on it) and the second one's
  error is kept (so it matters). The second can fail with
  context.Canceled after the first succeeded. Put both in one
  transaction, pass context.WithoutCancel(ctx) to the completing step
  (with its own timeout), or record the second step in an outbox written
  in the first step's transaction.

- Cleanup with the cancelled context: a compensation (a rollback, undo,
  refund, release, unlock, delete of what was just created) on the error
  path of a call that took ctx, or in a deferred cleanup, that reuses ctx.
  If ctx is why the call failed, the compensation fails the same way,
  exactly when it is needed. The suggested fix passes
  context.WithoutCancel(ctx) (Go 1.21+); add a timeout if the
  compensation may block. This is flake8-async's ASYNC102 for Go. A
  stretch of the error path that runs only for one sentinel error other
  than a context's (after if !errors.Is(err, errSkip) { return err }, or
  inside if err == errX) is left alone: no cancellation failed the call
  there.

- In-memory half update: a write to one field or map of shared state (a
  pointer receiver or parameter, or a package variable), then a return on
  ctx.Err(), <-ctx.Done() or the error of a call taking ctx (also when
  compared with errors.Is(err, context.Canceled)), then a write to
  another field of the same state that the type keeps in step with the
  first: the function holds a lock around them, or another function of
  the package writes both too. The invariant tying the two (two indexes,
  a map and a counter) is left broken for every later reader. A field
  set to one constant and set back to another after the return (a state
  flag flipped and flipped back) stays in its transient state. Check for
  cancellation before the first write, or undo it on the early path (a
  defer does it on every path).

- A database/sql transaction begun without a deferred Rollback, with an
  early return after it wrote: the half-done update keeps its row locks
  until the transaction's context is cancelled, or until the connection
  is closed with Begin, which has no context. Defer tx.Rollback() right
  after BeginTx; it is a no-op after Commit. The unclosed check also
  looks at transactions, from the resource angle: a Tx neither committed
  nor rolled back on some path pins a pool connection, written or not.
  halfupdate reports only returns after a successful write, where the
  pending half update and its row locks are the harm, and says so; the
  two can both fire on the same return.

What counts as an update is one documented list, in
passes/internal/mutation: database/sql's Exec and ExecContext, and
outside the standard library a call whose name starts with a mutating
verb (insert, update, delete, put, set, create, publish, send, charge,
credit, debit, save, enqueue, ...) or ends in Exec/ExecContext, and
Redis-style commands (SAdd, HSet). Reads (get, list, query, find, load)
are not updates; releases (unlock, release, free) compensate in a
cleanup but are not updates of data. Calls on loggers, tracers, metric
instruments, caches and audit sinks are never updates: losing one does
not leave a half update. A context is cancellable when it is a
parameter, comes from r.Context(), or is derived from one
(context.WithTimeout(ctx, ...), tracer.Start(ctx, ...)); a call is a
cancellation point only if its callee may observe that context (see
below).

Not reported, on purpose:

- updates in one transaction: calls on a Tx, Txn, Transaction, Batch or
  Pipeline value (go-redis's Pipeliner queues commands until Exec),
  functions that take one, begin one or pass their work to a
  transaction helper (db.Transaction(func(tx) error), pgx.BeginFunc,
  RunInTx), and calls whose receiver is fetched with the context
  (r.db(ctx).Exec), which usually means a transaction carried in ctx;
- a second step that uses context.WithoutCancel, context.Background or
  context.TODO, or a context the check cannot trace to the caller (a
  struct field, a timeout rooted at context.Background);
- calls of functions that do not observe the cancellation of the
  context they are given, so a cancelled context cannot make them fail:
  they call context.WithoutCancel on it (certmagic's releaseLock), name
  it _ or never read it (step-ca's nosql save), or hand it only to
  loggers, hooks, callbacks that return nothing and other functions
  that do not observe it (go-redis's ConnPool.Remove and Put,
  releaseConn).
  A function observes its context when it calls ctx.Done, ctx.Err or
  ctx.Deadline, or passes it (or a context derived from it) to a
  standard-library call that honours it (database/sql's *Context
  methods, net.Dialer.DialContext, http.NewRequestWithContext,
  exec.CommandContext, ...), to a function that observes it, or to a
  function value that returns an error (go-redis runs every command
  through one). Facts carry this across packages;
- calls through a closed interface (unexported, or in an internal
  package) whose implementations in its own package all ignore the
  context (go-redis's internal pool.Pooler.Remove);
- a retry: the same call with the same arguments again;
- a first update that is idempotent by construction, a query built
  with IfNotExists or IfExists (bun, go-pg) or SQL that says IF [NOT]
  EXISTS or upserts (ON CONFLICT, INSERT IGNORE, ON DUPLICATE KEY
  UPDATE): running the function again after a cancellation completes
  the work (bun's Migrator.Init and Reset, DB.ResetModel; centrifugo's
  reconcileShardLock);
- building a request (createStartWorkflowRequest returning a
  StartWorkflowExecutionRequest): sending it is the update;
- a read followed by a write, and an update whose error is dropped
  (best effort, nothing depends on it);
- two steps of one protocol exchange on the same connection or stream
  (a value that writes or sends, and reads or receives whatever comes
  next: net.Conn, a gRPC or websocket stream): a request and its flow
  control, PUBLISH then PUBREL, a handshake. They are messages of one
  session, which a cancellation tears down, not durable state; a write
  to a database and then to a connection is still reported;
- two deletes in a row: cleanup, each idempotent; one left undone is
  garbage, not a broken invariant;
- a copy and then the delete of its source, both computed from one read
  of that source earlier in the function (items from a List, an item
  from a Get): a cancellation between them leaves the source in place,
  and the next run reads it again and redoes the pair (a sweep, a
  compaction pass). A delete of a key the caller passed is reported;
- a cancellation point before the first update;
- a function that may itself return success between the two updates
  (return nil after the first): the first update alone is then a state
  the code already produces on purpose;
- a function with a deferred compensation, or whose second step's error
  path compensates: the author handled the half update (if that
  compensation reuses the cancelled context, the cleanup case reports it);
- a cleanup on the error path of a call when nothing was updated before
  it (housekeeping before a retry is not a compensation);
- a deferred cleanup in a goroutine or callback guarded by a named
  result of the function that started it (if err != nil, err being the
  outer function's): the goroutine does not set it and is started while
  it is unset, so the guard says nothing about what the goroutine did;
- a transaction's own Rollback with the cancelled context, called on the
  transaction or through a helper given it: database/sql and pgx abort
  the transaction when its context ends;
- Kubernetes clients (controller-runtime, client-go): a reconciler that
  stops half way is run again and converges, an idempotent retry by
  design;
- test files, which set up state on purpose.

What halfupdate cannot know: whether two updates really depend on each
other (it takes "the first one's failure aborts" as the sign); whether
a callee is idempotent, or already runs inside a transaction its caller
began and carries in the context; whether the implementation behind an
open interface observes the context (a call through an exported
interface of a public package, a Storage or a DB, or through one with
no implementation beside it, is judged by its method name: it is a
cancellation point when the name says it changes state, as Delete,
Put, Unlock and Exec do, runs a command, as Do, EvalSha and QueryRow
do, or ends in "Context"; a Storage whose bundled backend ignores ctx
is still reported, as its contract allows others to honour it);
implementations of a closed interface elsewhere in its module; the
callee of a cleanup called through a function value (not checked);
whether a name that sounds like an update is one (the verb list errs
towards reads); and most things across function boundaries: an update
hidden in a helper without a mutating name, or a compensation done by
the caller. It looks at one statement list at a time, so updates in different branches or loop iterations are
not paired. It errs on the side of false negatives.`,
	Before: `func (s *Service) Transfer(ctx context.Context, from, to string, n int) error {
	if err := s.ledger.Debit(ctx, from, n); err != nil {
		return err
	}
	return s.ledger.Credit(ctx, to, n) // cancelled here: the money is gone
}`,
	After: `func (s *Service) Transfer(ctx context.Context, from, to string, n int) error {
	if err := s.ledger.Debit(ctx, from, n); err != nil {
		return err
	}
	// The debit happened: finish the transfer even if the caller left.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return s.ledger.Credit(ctx, to, n)
}`,
	Since:    lintdoc.FirstRelease,
	Severity: lintdoc.SeverityWarning,
}

// Rules are halfupdate's named findings: which kind of update a
// cancellation can split.
var Rules = report.NewRules(
	lintdoc.Rule{Name: "split", Title: "two dependent calls with one context, the second cancellable after the first succeeded", Precision: "19 of 36 true on untouched pools (0 of 2 on 2026-12-07f; 0 of 3 on 2026-12-06e; 17 of 22 on 2026-12-06d; 0 of 2 on 2026-12-06c; 2 of 7 on 2026-12-06)"},
	lintdoc.Rule{Name: "tx", Title: "a return that leaves a transaction open after it was written to", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "memory", Title: "a return on cancellation between two writes to state kept in step", Precision: "4 of 8 true on untouched pools (0 of 1 on 2026-12-07f; 2 of 2 on 2026-12-06e; 1 of 4 on 2026-12-06d; 1 of 1 on 2026-12-06c)"},
	lintdoc.Rule{Name: "cleanup", Title: "a compensating call given the context whose cancellation it must survive", Precision: "4 of 5 true on untouched pools (0 of 1 on 2026-12-06e; 3 of 3 on 2026-12-06d; 1 of 1 on 2026-12-06c)"},
)
