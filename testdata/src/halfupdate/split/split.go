package split

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

type Ledger struct{}

func (*Ledger) Debit(ctx context.Context, acct string, amount int) error  { return ctx.Err() }
func (*Ledger) Credit(ctx context.Context, acct string, amount int) error { return ctx.Err() }
func (*Ledger) Refund(ctx context.Context, acct string, amount int) error { return ctx.Err() }
func (*Ledger) Balance(ctx context.Context, acct string) (int, error)     { return 0, ctx.Err() }

type Bus struct{}

func (*Bus) Publish(ctx context.Context, topic string, msg []byte) error { return ctx.Err() }

type Metrics struct{}

func (*Metrics) Add(ctx context.Context, n int) error { return ctx.Err() }

type Service struct {
	ledger *Ledger
	bus    *Bus
	db     *sql.DB
	met    *Metrics
}

// transfer debits then credits with the caller's context: a cancel in
// between loses the money.
func (s *Service) transfer(ctx context.Context, from, to string, n int) error {
	if err := s.ledger.Debit(ctx, from, n); err != nil {
		return err
	}
	if err := s.ledger.Credit(ctx, to, n); err != nil { // want `s.ledger.Credit can be cancelled after s.ledger.Debit succeeded: the update is half applied`
		return err
	}
	return nil
}

// createOrder writes a row, then publishes the event: the dual write an
// outbox exists for.
func (s *Service) createOrder(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO orders(id) VALUES($1)", id)
	if err != nil {
		return err
	}
	return s.bus.Publish(ctx, "orders", []byte(id)) // want `s.bus.Publish can be cancelled after s.db.ExecContext succeeded`
}

// twoInserts runs two statements on the pool outside a transaction.
func (s *Service) twoInserts(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, "INSERT INTO a VALUES($1)", id); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, "INSERT INTO b VALUES($1)", id) // want `s.db.ExecContext can be cancelled after the earlier s.db.ExecContext succeeded`
	return err
}

// handler derives its context from the request: the client can go away.
func (s *Service) handler(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return
	}
	if err := s.ledger.Credit(ctx, "b", 1); err != nil { // want `s.ledger.Credit can be cancelled after s.ledger.Debit succeeded`
		http.Error(w, err.Error(), 500)
	}
}

// ok: both statements run in one sql.Tx.
func (s *Service) inTx(ctx context.Context, id string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "INSERT INTO a VALUES($1)", id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO b VALUES($1)", id); err != nil {
		return err
	}
	return tx.Commit()
}

func withTx(ctx context.Context, db *sql.DB, f func(tx *sql.Tx) error) error { return ctx.Err() }

type Store struct{ ledger *Ledger }

func RunInTransaction(ctx context.Context, f func(ctx context.Context) error) error { return f(ctx) }

// ok: a callback-style transaction helper holds both updates.
func (s *Service) viaHelper(ctx context.Context) error {
	return RunInTransaction(ctx, func(ctx context.Context) error {
		if err := s.ledger.Debit(ctx, "a", 1); err != nil {
			return err
		}
		return s.ledger.Credit(ctx, "b", 1)
	})
}

// ok: the completing step is detached on purpose.
func (s *Service) detached(ctx context.Context) error {
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	return s.ledger.Credit(context.WithoutCancel(ctx), "b", 1)
}

// ok: the completing step uses a detached context variable.
func (s *Service) detachedVar(ctx context.Context) error {
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	done := context.WithoutCancel(ctx)
	return s.ledger.Credit(done, "b", 1)
}

// ok: context.Background is not the caller going away.
func (s *Service) background() error {
	ctx := context.Background()
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	return s.ledger.Credit(ctx, "b", 1)
}

// ok: an idempotent retry of the same call is not a second update.
func (s *Service) retry(ctx context.Context) error {
	if err := s.bus.Publish(ctx, "t", nil); err != nil {
		return err
	}
	return s.bus.Publish(ctx, "t", nil)
}

// ok: a read followed by a write; reads are not updates.
func (s *Service) readThenWrite(ctx context.Context) error {
	bal, err := s.ledger.Balance(ctx, "a")
	if err != nil {
		return err
	}
	return s.ledger.Debit(ctx, "a", bal)
}

// ok: a metric after the write is independent (its type is a metrics sink).
func (s *Service) metricAfter(ctx context.Context) error {
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	slog.InfoContext(ctx, "debited")
	return s.met.Add(ctx, 1)
}

// ok: the publish is best effort, its error dropped: nothing depends on it.
func (s *Service) bestEffort(ctx context.Context) error {
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	_ = s.bus.Publish(ctx, "debits", nil)
	return nil
}

// ok: the first update's failure is ignored, so the two are independent.
func (s *Service) independent(ctx context.Context) error {
	_ = s.ledger.Debit(ctx, "a", 1)
	return s.ledger.Credit(ctx, "b", 1)
}

// ok: the cancellation point comes before the first update.
func (s *Service) checkFirst(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.ledger.Debit(ctx, "a", 1)
}

// ok: a deferred compensation restores the first update on every early
// path, with a context that is still live.
func (s *Service) compensated(ctx context.Context) (err error) {
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = s.ledger.Refund(context.WithoutCancel(ctx), "a", 1)
		}
	}()
	return s.ledger.Credit(ctx, "b", 1)
}

// ok: the second step's error path compensates the first.
func (s *Service) compensatedInline(ctx context.Context) error {
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	if err := s.ledger.Credit(ctx, "b", 1); err != nil {
		_ = s.ledger.Refund(context.WithoutCancel(ctx), "a", 1)
		return err
	}
	return nil
}

// ok: the two updates are in different branches, never in sequence.
func (s *Service) branches(ctx context.Context, debit bool) error {
	if debit {
		return s.ledger.Debit(ctx, "a", 1)
	}
	return s.ledger.Credit(ctx, "a", 1)
}

// ok: the updates take different contexts (the second one a field, not
// the caller's).
type worker struct {
	ledger *Ledger
	ctx    context.Context
}

func (w *worker) run(ctx context.Context) error {
	if err := w.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	return w.ledger.Credit(w.ctx, "b", 1)
}

// ok: a timeout rooted at context.Background is out of scope (no caller
// to go away).
func (s *Service) ownTimeout() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	return s.ledger.Credit(ctx, "b", 1)
}

var errStop = errors.New("stop")

// ok: a loop of one update per item is one syntactic update (a batch,
// not a dependent pair).
func (s *Service) each(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if err := s.ledger.Debit(ctx, id, 1); err != nil {
			return errStop
		}
	}
	return nil
}

// ok: the documented cure: the context is detached, with its own
// timeout, once the first update has happened.
func (s *Service) cured(ctx context.Context, from, to string, n int) error {
	if err := s.ledger.Debit(ctx, from, n); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return s.ledger.Credit(ctx, to, n)
}

// traced rebinds ctx to a span's context: still the caller's context.
func (s *Service) traced(ctx context.Context) error {
	ctx, end := startSpan(ctx)
	defer end()
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	return s.ledger.Credit(ctx, "b", 1) // want `s.ledger.Credit can be cancelled after s.ledger.Debit succeeded`
}

func startSpan(ctx context.Context) (context.Context, func()) { return ctx, func() {} }

type Docker struct{}

func (*Docker) ExecCreate(ctx context.Context, id string) (string, error) { return "", ctx.Err() }
func (*Docker) ExecAttach(ctx context.Context, id string) (string, error) { return "", ctx.Err() }

// ok: "exec" is not a verb of its own: creating a process and attaching
// to it writes nothing (goose v3.29.0, pkg/dockermanage/manager.go).
func dockerExec(ctx context.Context, d *Docker) (string, error) {
	id, err := d.ExecCreate(ctx, "c")
	if err != nil {
		return "", err
	}
	out, err := d.ExecAttach(ctx, id)
	if err != nil {
		return "", err
	}
	return out, nil
}

type Cmd struct{}

func (*Cmd) Err() error { return nil }

type Redis struct{}

func (*Redis) Set(ctx context.Context, k, v string) *Cmd  { return cmdOf(ctx) }
func (*Redis) SAdd(ctx context.Context, k, v string) *Cmd { return cmdOf(ctx) }

// index writes a key, then adds it to a set: go-redis style, errors
// through .Err().
func index(ctx context.Context, rdb *Redis, k, v string) error {
	if err := rdb.Set(ctx, k, v).Err(); err != nil {
		return err
	}
	return rdb.SAdd(ctx, "keys", k).Err() // want `rdb.SAdd can be cancelled after rdb.Set succeeded`
}

// ok: the second command's error is dropped: best effort.
func indexBestEffort(ctx context.Context, rdb *Redis, k, v string) error {
	if err := rdb.Set(ctx, k, v).Err(); err != nil {
		return err
	}
	rdb.SAdd(ctx, "keys", k).Err()
	return nil
}

// chain reports each step that can be cancelled after the one before.
func (s *Service) chain(ctx context.Context) error {
	if err := s.ledger.Debit(ctx, "a", 1); err != nil {
		return err
	}
	if err := s.ledger.Credit(ctx, "b", 1); err != nil { // want `s.ledger.Credit can be cancelled after s.ledger.Debit succeeded`
		return err
	}
	return s.bus.Publish(ctx, "transfers", nil) // want `s.bus.Publish can be cancelled after s.ledger.Credit succeeded`
}

type Conn struct{}

func (*Conn) deallocateInvalidated(ctx context.Context) error { return ctx.Err() }
func (*Conn) exec(ctx context.Context, sql string) error      { return ctx.Err() }

// ok: releasing cached statements before a statement is housekeeping,
// not the first half of an update (pgx v5.12.0, (*Conn).Exec).
func (c *Conn) Exec(ctx context.Context, sql string) error {
	if err := c.deallocateInvalidated(ctx); err != nil {
		return err
	}
	return c.exec(ctx, sql)
}

type Files struct{}

func (*Files) Delete(ctx context.Context, key string) error { return ctx.Err() }

// ok: a run of deletes is cleanup; one left undone is garbage, not a
// broken invariant (certmagic v0.25.6, deleteSiteAssets).
func deleteAssets(ctx context.Context, f *Files, name string) error {
	if err := f.Delete(ctx, name+".crt"); err != nil {
		return err
	}
	return f.Delete(ctx, name+".key")
}

func cmdOf(ctx context.Context) *Cmd {
	if ctx.Err() != nil {
		return &Cmd{}
	}
	return nil
}

type NoSQL struct{}

func (*NoSQL) save(_ context.Context, key string) error { return nil }

// ok: the callee ignores its context, so it is no cancellation point
// (step-ca v0.30.2, acme/db/nosql: (*DB).save(_ context.Context, ...)).
func (db *NoSQL) createCert(ctx context.Context, id, serial string) error {
	if err := db.save(ctx, id); err != nil {
		return err
	}
	return db.save(ctx, serial)
}

type KeyStore interface {
	Store(ctx context.Context, key string, value []byte) error
	Delete(ctx context.Context, key string) error
}

// moveKey copies then deletes: cancelled in between, the compromised key
// stays in use (certmagic v0.25.6, moveCompromisedPrivateKey).
func moveKey(ctx context.Context, s KeyStore, key string, pem []byte) error {
	if err := s.Store(ctx, key+".compromised", pem); err != nil {
		return err
	}
	return s.Delete(ctx, key) // want `s.Delete can be cancelled after s.Store succeeded`
}

type Order struct{ Status string }

func (o *Order) UpdateStatus(ctx context.Context, l *Ledger) error { return ctx.Err() }

// ok: the function itself may succeed after the first update alone
// (`return nil` between the two), so that state is a valid one (step-ca
// v0.30.2, (*Order).Finalize).
func (s *Service) finalize(ctx context.Context, o *Order) error {
	if err := o.UpdateStatus(ctx, s.ledger); err != nil {
		return err
	}
	switch o.Status {
	case "valid":
		return nil
	case "invalid":
		return errStop
	}
	return s.ledger.Credit(ctx, "a", 1)
}

// Query is a look-alike of bun's query builders.
type Query struct{}

type BunDB struct{ sql *sql.DB }

func (*BunDB) NewCreateTable() *Query                         { return &Query{} }
func (*BunDB) NewDropTable() *Query                           { return &Query{} }
func (*BunDB) NewCreateIndex() *Query                         { return &Query{} }
func (q *Query) Model(m any) *Query                           { return q }
func (q *Query) IfNotExists() *Query                          { return q }
func (q *Query) IfExists() *Query                             { return q }
func (q *Query) Exec(ctx context.Context) (sql.Result, error) { return nil, ctx.Err() }

// ok: each step is idempotent (IfNotExists): running Init again after
// a cancellation completes it (bun v1.3.0, migrate/migrator.go:162).
func (db *BunDB) Init(ctx context.Context) error {
	if _, err := db.NewCreateTable().Model("migrations").IfNotExists().Exec(ctx); err != nil {
		return err
	}
	if _, err := db.NewCreateIndex().Model("name").IfNotExists().Exec(ctx); err != nil {
		return err
	}
	return nil
}

// ok: the drop is idempotent (IfExists): running ResetModel again after
// a cancellation recreates the table (bun v1.3.0, db.go:213).
func (db *BunDB) ResetModel(ctx context.Context, model any) error {
	if _, err := db.NewDropTable().Model(model).IfExists().Exec(ctx); err != nil {
		return err
	}
	if _, err := db.NewCreateTable().Model(model).Exec(ctx); err != nil {
		return err
	}
	return nil
}

// ok: the same with SQL that says IF EXISTS.
func (db *BunDB) resetSQL(ctx context.Context) error {
	if _, err := db.sql.ExecContext(ctx, "DROP TABLE IF EXISTS locks"); err != nil {
		return err
	}
	_, err := db.sql.ExecContext(ctx, "CREATE TABLE locks (id int)")
	return err
}

// recreate drops without IF EXISTS: a cancellation in between leaves
// the table gone, and running it again fails on the drop.
func (db *BunDB) recreate(ctx context.Context, model any) error {
	if _, err := db.NewDropTable().Model(model).Exec(ctx); err != nil {
		return err
	}
	if _, err := db.NewCreateTable().Model(model).Exec(ctx); err != nil { // want `Model\(model\).Exec can be cancelled after db.NewDropTable\(\).Model\(model\).Exec succeeded`
		return err
	}
	return nil
}

// Pipeliner is a look-alike of go-redis's: commands are queued and run
// together at Exec.
type Pipeliner interface {
	XAdd(ctx context.Context, stream, value string) error
	SAdd(ctx context.Context, key, member string) error
	Exec(ctx context.Context) error
}

// ok: both commands are queued on a pipeline: nothing runs before Exec,
// so no cancellation falls between them (go-workflows v1.2.0,
// backend/redis/workflow.go:353).
func addEventP(ctx context.Context, p Pipeliner, id string) error {
	if err := p.XAdd(ctx, "events", id); err != nil {
		return err
	}
	if err := p.SAdd(ctx, "instances", id); err != nil {
		return err
	}
	return nil
}

type PgPool struct{}

func (*PgPool) Exec(ctx context.Context, sql string, args ...any) (int64, error) { return 0, ctx.Err() }

// ok: the insert is an upsert (ON CONFLICT DO NOTHING) run on every
// start: a cancellation before the trim is completed by the next run
// (centrifugo v6.9.1, internal/controllers/controller_postgres.go:241).
func reconcileShardLock(ctx context.Context, pool *PgPool, table string, n int) error {
	if _, err := pool.Exec(ctx, fmt.Sprintf(
		`INSERT INTO %s (shard_id) SELECT generate_series(0, $1 - 1) ON CONFLICT DO NOTHING`, table), n); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE shard_id >= $1`, table), n); err != nil {
		return err
	}
	return nil
}

// moveShards inserts without an upsert: running it again fails on the
// rows the first statement already wrote.
func moveShards(ctx context.Context, pool *PgPool, table string, n int) error {
	if _, err := pool.Exec(ctx, fmt.Sprintf(`INSERT INTO %s_new SELECT * FROM %s`, table, table)); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, fmt.Sprintf(`DELETE FROM %s`, table)); err != nil { // want `pool.Exec can be cancelled after the earlier pool.Exec succeeded`
		return err
	}
	return nil
}

type StartRequest struct{ ID string }
type UpdateRequest struct{ ID string }

type WorkflowClient struct{}

func (*WorkflowClient) createStartRequest(ctx context.Context, id string) (*StartRequest, error) {
	return &StartRequest{id}, ctx.Err()
}
func (*WorkflowClient) createUpdateRequest(ctx context.Context, id string) (*UpdateRequest, error) {
	return &UpdateRequest{id}, ctx.Err()
}
func (*WorkflowClient) UpdateWithStart(ctx context.Context, s *StartRequest, u *UpdateRequest) error {
	return ctx.Err()
}
func (*WorkflowClient) CreateSchedule(ctx context.Context, id string) error { return ctx.Err() }

// ok: building the two requests changes nothing; only sending them is
// an update (go.temporal.io/sdk v1.50.0, internal_workflow_client.go:2303, 2338).
func (w *WorkflowClient) updateWithStart(ctx context.Context, id string) error {
	start, err := w.createStartRequest(ctx, id)
	if err != nil {
		return err
	}
	update, err := w.createUpdateRequest(ctx, id)
	if err != nil {
		return err
	}
	return w.UpdateWithStart(ctx, start, update)
}

// scheduleAndStart sends two requests: a cancellation between them
// leaves the schedule without its first run.
func (w *WorkflowClient) scheduleAndStart(ctx context.Context, id string) error {
	if err := w.CreateSchedule(ctx, id); err != nil {
		return err
	}
	start, err := w.createStartRequest(ctx, id)
	if err != nil {
		return err
	}
	return w.UpdateWithStart(ctx, start, nil) // want `w.UpdateWithStart can be cancelled after w.CreateSchedule succeeded`
}
