package sql

import (
	"context"
	"database/sql"
	"errors"
)

func earlyReturn(ctx context.Context, db *sql.DB, limit int) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users") // want `rows from db.QueryContext is not closed when limit <= 0: it pins a database connection .*; add defer rows.Close\(\) after the error check`
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, errors.New("bad limit")
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func scanError(db *sql.DB) (int, error) {
	rows, err := db.Query("SELECT 1") // want `rows from db.Query is not closed when rows.Scan fails`
	if err != nil {
		return 0, err
	}
	var n int
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

func stmtLeak(db *sql.DB) error {
	stmt, err := db.Prepare("INSERT INTO t VALUES (?)") // want `statement from db.Prepare is never closed: it stays prepared on the database server`
	if err != nil {
		return err
	}
	_, err = stmt.Exec(1)
	return err
}

func connLeak(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx) // want `connection from db.Conn is never closed`
	if err != nil {
		return err
	}
	return conn.PingContext(ctx)
}

func txLeak(ctx context.Context, db *sql.DB, id int) error {
	tx, err := db.BeginTx(ctx, nil) // want `transaction from db.BeginTx is not committed or rolled back when tx.ExecContext fails`
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM t WHERE id = ?", id); err != nil {
		return err
	}
	return tx.Commit()
}

// The transaction leaks when Exec fails (github.com/golang-migrate/migrate's clickhouse driver).
func txExecFails(db *sql.DB, q string) error {
	var (
		tx, err = db.Begin() // want `transaction from db.Begin is not committed or rolled back when tx.Exec fails: .*; release it on every path`
	)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(q); err != nil {
		return err
	}
	return tx.Commit()
}

func mustBegin(db *sql.DB) *sql.Tx {
	tx, err := db.Begin()
	if err != nil {
		panic(err)
	}
	return tx
}

// A MustX function acquires too (sqlx's MustBegin).
func mustTx(db *sql.DB) {
	tx := mustBegin(db) // want `transaction from mustBegin is never committed or rolled back`
	tx.Exec("DELETE FROM t")
}

// Query for a statement that returns no rows (github.com/golang-migrate/migrate's sqlite driver).
func vacuum(db *sql.DB) error {
	_, err := db.Query("VACUUM") // want `rows from db.Query is discarded, so it is never closed: .*; use Exec when no rows are wanted`
	return err
}
