package tx

import (
	"context"
	"database/sql"
	"errors"
)

var errBad = errors.New("bad")

// transfer has no deferred Rollback: the early return after the first
// UPDATE leaves the transaction open, holding its row locks.
func transfer(ctx context.Context, db *sql.DB, from, to string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET n = n - 1 WHERE id = $1", from); err != nil {
		return err // ok: nothing written yet when the first write fails... but the tx is still open; unclosed reports that leak
	}
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET n = n + 1 WHERE id = $1", to); err != nil {
		return err // want `return leaves tx open after tx.ExecContext wrote in it: the half-done update holds its locks until its context is cancelled`
	}
	return tx.Commit()
}

// legacy uses Begin, whose transaction has no context at all.
func legacy(db *sql.DB, id string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("DELETE FROM a WHERE id = $1", id); err != nil {
		tx.Rollback()
		return err
	}
	if id == "" {
		return errBad // want `return leaves tx open after tx.Exec wrote in it: the half-done update holds its locks until the connection closes, since Begin has no context`
	}
	return tx.Commit()
}

// ok: a deferred Rollback ends the transaction on every early path.
func deferred(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM a"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM b"); err != nil {
		return err
	}
	return tx.Commit()
}

// ok: every early return rolls back first.
func explicit(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM a"); err != nil {
		_ = tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM b"); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ok: the transaction is handed to the caller, who ends it.
func handOff(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM a"); err != nil {
		return tx, err
	}
	return tx, nil
}

// ok: the return after a failed Commit: the transaction is over.
func commitFails(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if _, err = tx.ExecContext(ctx, "DELETE FROM a"); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return err
	}
	return nil
}

// ok: reads only; nothing is half written.
func readOnly(ctx context.Context, db *sql.DB) (int, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM a").Scan(&n); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// ok: a rollback helper given tx ends it before the return.
func rollbackHelper(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM a"); err != nil {
		return rollback(tx, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM b"); err != nil {
		return rollback(tx, err)
	}
	return tx.Commit()
}

func rollback(tx *sql.Tx, err error) error { return errors.Join(err, tx.Rollback()) }
