// Package flowtx holds look-alikes of database handles that a
// transaction or a context releases: rows of a rolled-back transaction
// (lib/pq rows_test.go:281, encode_test.go:348) and a transaction whose
// context is cancelled (lib/pq conn_test.go:1403).
package flowtx

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"testing"
	"time"
)

// ok: tx.Rollback, deferred before the query, closes the rows of the
// transaction on every path (rows_test.go:281).
func rowsOfRolledBackTx(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.Query("SELECT id FROM t")
	if err != nil {
		return err
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return err
		}
	}
	return nil
}

// ok: every path that leaves the rows open ends the transaction.
func rowsOfEndedTx(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	rows, err := tx.Query("SELECT id FROM t")
	if err != nil {
		tx.Rollback()
		return err
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// The transaction is committed only on the success path: the early
// returns leave both it and its rows open. It is reported once, on the
// transaction, with every return that leaks it: its missing deferred
// Rollback would close the rows on them too.
func rowsOfLeakedTx(db *sql.DB) error {
	tx, err := db.Begin() // want `transaction from db.Begin is not committed or rolled back when tx.Query fails`
	if err != nil {
		return err
	}
	rows, err := tx.Query("SELECT id FROM t") // ok: the transaction's finding covers it
	if err != nil {
		return err
	}
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// The statement's finding, too, goes with the transaction's.
func stmtOfLeakedTx(db *sql.DB, ids []int) error {
	tx, err := db.Begin() // want `transaction from db.Begin is not committed or rolled back when tx.Prepare fails`
	if err != nil {
		return err
	}
	stmt, err := tx.Prepare("DELETE FROM t WHERE id = $1") // ok: the transaction's finding covers it
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := stmt.Exec(id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Rows left open when the loop queries again are not ended by the
// transaction's Rollback, which comes later: both are reported.
func rowsPerQueryOfLeakedTx(db *sql.DB, qs []string) error {
	tx, err := db.Begin() // want `transaction from db.Begin is not committed or rolled back when tx.Query fails`
	if err != nil {
		return err
	}
	for _, q := range qs {
		rows, err := tx.Query(q) // want `rows from tx.Query is not closed before the loop acquires the next one`
		if err != nil {
			return err
		}
		if !rows.Next() {
			continue
		}
		var n int
		if err := rows.Scan(&n); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// begin starts a transaction that the test's cleanup rolls back, like
// lib/pq's pqtest.Begin.
func begin(t testing.TB, db *sql.DB) *sql.Tx {
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	return tx
}

type Stmt struct{ *sql.Stmt }

// prepare prepares q on tx, like pqtest.Prepare.
func prepare(t testing.TB, db interface {
	Prepare(string) (*sql.Stmt, error)
}, q string) *Stmt {
	stmt, err := db.Prepare(q)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stmt.Close() })
	return &Stmt{stmt}
}

// ok: the rows come from a statement of a transaction that the function
// does not own: its owner ends it, and that closes them (encode_test.go:348).
func rowsOfBorrowedTx(t *testing.T, db *sql.DB) {
	tx := begin(t, db)
	stmt := prepare(t, tx, "SELECT 1")
	rows, err := stmt.Query()
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
}

// ok: rows of the caller's transaction pin no connection of their own.
func rowsOfParamTx(tx *sql.Tx) (int, error) {
	rows, err := tx.Query("SELECT id FROM t")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
		if n < 0 {
			return 0, errors.New("negative")
		}
	}
	return n, nil
}

// The statement is prepared on the database, not the transaction: its
// rows pin a connection of the pool.
func rowsOfDBStmt(db *sql.DB) (int, error) {
	stmt, err := db.Prepare("SELECT id FROM t")
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	rows, err := stmt.Query() // want `rows from stmt.Query is not closed when n < 0`
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return 0, err
		}
		if n < 0 {
			return 0, errors.New("negative")
		}
	}
	return n, nil
}

// ok: the context's cancel is handed to time.AfterFunc, and database/sql
// rolls back a transaction whose context is done (conn_test.go:1403).
func txCancelledByTimer(db *sql.DB) {
	ctx, cancel := context.WithCancel(context.Background())
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer time.AfterFunc(10*time.Millisecond, cancel).Stop()
	if _, err := tx.Exec("SELECT pg_sleep(1)"); err == nil {
		log.Fatal("expected error")
	}
}

// ok: the deferred cancel ends the context, and with it the transaction
// and the rows, when the function returns.
func txDeferredCancel(db *sql.DB) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return err
	}
	for rows.Next() {
		if err := rows.Scan(); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ok: rows of a query whose context is cancelled on return.
func rowsDeferredCancel(db *sql.DB) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := db.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return err
	}
	for rows.Next() {
		if err := rows.Scan(); err != nil {
			return err
		}
	}
	return nil
}

// The cancel is called only on the error path: when Exec fails, the
// transaction stays open with its context alive.
func txCancelOnOnePath(db *sql.DB) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	tx, err := db.BeginTx(ctx, nil) // want `transaction from db.BeginTx is not committed or rolled back when tx.Exec fails`
	if err != nil {
		cancel()
		return err
	}
	if _, err := tx.Exec("DELETE FROM t"); err != nil {
		return err
	}
	err = tx.Commit()
	cancel()
	return err
}

// The deferred cancel runs only when the function returns: every
// iteration's transaction stays open until then.
func txPerIteration(db *sql.DB, ids []int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, id := range ids {
		tx, err := db.BeginTx(ctx, nil) // want `transaction from db.BeginTx is not committed or rolled back before the loop acquires the next one`
		if err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM t WHERE id = ?", id); err != nil {
			continue
		}
		tx.Commit()
	}
	return nil
}

// A context passed in is not cancelled here: the transaction leaks.
func txCallerContext(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction from db.BeginTx is not committed or rolled back when tx.Exec fails`
	if err != nil {
		return err
	}
	if _, err := tx.Exec("DELETE FROM t"); err != nil {
		return err
	}
	return tx.Commit()
}

// ok: a deferred closure that ends the transaction, registered before
// the query, closes its rows at every return.
func rowsOfTxEndedByClosure(db *sql.DB) (err error) {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	rows, err := tx.Query("SELECT id FROM t")
	if err != nil {
		return err
	}
	for rows.Next() {
		if err := rows.Scan(); err != nil {
			return err
		}
	}
	return nil
}

// The cancel function is only compared, never called: the context, and
// the transaction, live on when Exec fails.
func txCancelCompared(db *sql.DB) error {
	ctx, cancel := context.WithCancel(context.Background())
	tx, err := db.BeginTx(ctx, nil) // want `transaction from db.BeginTx is not committed or rolled back when cancel == nil`
	if err != nil {
		return err
	}
	if cancel == nil {
		return errors.New("no cancel")
	}
	if _, err := tx.Exec("DELETE FROM t"); err != nil {
		return err
	}
	err = tx.Commit()
	cancel()
	return err
}

// ok: the cancel, registered with t.Cleanup before the transaction
// begins, ends its context, and so rolls it back, when the test ends.
func TestTxCleanupCancel(t *testing.T, db *sql.DB) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("SELECT 1"); err != nil {
		t.Error(err)
		return
	}
}

// ok: context.AfterFunc hands the cancel on: the rows end with the
// parent context, as the rest of a request's resources do.
func rowsAfterParent(parent context.Context, db *sql.DB) error {
	ctx, cancel := context.WithCancel(context.Background())
	context.AfterFunc(parent, cancel)
	rows, err := db.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return err
	}
	if !rows.Next() {
		return errors.New("no rows")
	}
	return nil
}
