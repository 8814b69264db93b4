// Package pgx holds the leaks of pgx (v4 and v5) and sqlx resources
// beside their correct look-alikes.
package pgx

import (
	"context"

	pgx4 "github.com/jackc/pgx/v4"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

func names(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	rows, err := pool.Query(ctx, "select name from t") // want `rows`
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ok: closed on every path.
func namesOK(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	rows, err := pool.Query(ctx, "select name from t")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ok: Next returning false closes pgx rows.
func countOK(ctx context.Context, conn *pgx.Conn) int {
	rows, err := conn.Query(ctx, "select 1")
	if err != nil {
		return 0
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n
}

func acquire(ctx context.Context, pool *pgxpool.Pool) error {
	c, err := pool.Acquire(ctx) // want `pooled connection`
	if err != nil {
		return err
	}
	rows, err := c.Query(ctx, "select 1")
	if err != nil {
		return err
	}
	rows.Close()
	c.Release()
	return nil
}

// ok: released by a deferred call.
func acquireOK(ctx context.Context, pool *pgxpool.Pool) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	rows, err := c.Query(ctx, "select 1")
	if err != nil {
		return err
	}
	rows.Close()
	return nil
}

func transfer(ctx context.Context, conn *pgx.Conn) error {
	tx, err := conn.Begin(ctx) // want `transaction`
	if err != nil {
		return err
	}
	if _, err := tx.Query(ctx, "update a"); err != nil { // want `rows from tx.Query is discarded`
		return err
	}
	return tx.Commit(ctx)
}

// ok: rolled back on error paths.
func transferOK(ctx context.Context, conn *pgx.Conn) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, "update a")
	if err != nil {
		return err
	}
	rows.Close()
	return tx.Commit(ctx)
}

func v4(ctx context.Context, conn *pgx4.Conn) (int, error) {
	rows, err := conn.Query(ctx, "select 1") // want `rows`
	if err != nil {
		return 0, err
	}
	var n int
	if rows.Next() {
		err = rows.Scan(&n)
	}
	return n, err
}

// ok: v4 rows closed.
func v4OK(ctx context.Context, conn *pgx4.Conn) (int, error) {
	rows, err := conn.Query(ctx, "select 1")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int
	if rows.Next() {
		err = rows.Scan(&n)
	}
	return n, err
}

func named(db *sqlx.DB, arg any) error {
	st, err := db.PrepareNamed("insert into t values (:a)") // want `statement`
	if err != nil {
		return err
	}
	_, err = st.Exec(arg)
	return err
}

// ok: the named statement is closed.
func namedOK(db *sqlx.DB, arg any) error {
	st, err := db.PrepareNamed("insert into t values (:a)")
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = st.Exec(arg)
	return err
}

// ok: returned to the caller, who owns it.
func prepare(db *sqlx.DB) (*sqlx.NamedStmt, error) {
	return db.PrepareNamed("select :a")
}

func sqlxRows(db *sqlx.DB) error {
	rows, err := db.Queryx("select 1") // want `rows`
	if err != nil {
		return err
	}
	var v struct{}
	if rows.Next() {
		return rows.StructScan(&v)
	}
	return nil
}

// ok: CollectRows closes the rows it is given.
func collectOK(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	rows, err := pool.Query(ctx, "select name from t")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.Rows) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}

// ok: QueryRow hands out no rows to close.
func one(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var n int
	err := pool.QueryRow(ctx, "select 1").Scan(&n)
	return n, err
}
