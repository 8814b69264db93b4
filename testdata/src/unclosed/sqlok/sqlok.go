package sqlok

import (
	"context"
	"database/sql"
)

// ok: QueryRow closes its rows itself.
func queryRow(db *sql.DB) (int, error) {
	var n int
	err := db.QueryRow("SELECT 1").Scan(&n)
	return n, err
}

// ok: rows read to the end close themselves; every early exit closes.
func fullyRead(db *sql.DB) ([]int, error) {
	rows, err := db.Query("SELECT id FROM t")
	if err != nil {
		return nil, err
	}
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ok: the usual defer.
func deferred(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ok: returned to the caller.
func returned(db *sql.DB) (*sql.Rows, error) {
	return db.Query("SELECT 1")
}

// ok: defer tx.Rollback() after Begin covers every path.
func txDeferred(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("DELETE FROM t"); err != nil {
		return err
	}
	return tx.Commit()
}

// ok: rolled back or committed on every path.
func txEveryPath(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("DELETE FROM t"); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ok: the deferred closure commits or rolls back.
func txClosure(db *sql.DB) (err error) {
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
	_, err = tx.Exec("DELETE FROM t")
	return err
}

func finish(tx *sql.Tx, err error) error {
	if err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ok: finish takes over the transaction.
func txHandedOn(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	_, err = tx.Exec("DELETE FROM t")
	return finish(tx, err)
}

// ok: a statement made from the transaction closes with it.
func txStmt(db *sql.DB, stmt *sql.Stmt) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	s := tx.Stmt(stmt)
	if _, err := s.Exec(); err != nil {
		return err
	}
	return tx.Commit()
}

type repo struct{ insert *sql.Stmt }

// ok: the prepared statement is kept in a field for later use.
func prepare(db *sql.DB) (*repo, error) {
	stmt, err := db.Prepare("INSERT INTO t VALUES (?)")
	if err != nil {
		return nil, err
	}
	return &repo{insert: stmt}, nil
}

// ok: a connection closed on every path.
func conn(ctx context.Context, db *sql.DB) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.PingContext(ctx)
}

// ok: the closure reads the rows to the end, which closes them
// (github.com/jmoiron/sqlx's tests, check(t, rows)).
func exhaustedByClosure(db *sql.DB) int {
	n := 0
	check := func(rows *sql.Rows) {
		for rows.Next() {
			n++
		}
	}
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return 0
	}
	check(rows)
	return n
}

func initialize(ctx context.Context, db *sql.DB) (*sql.Conn, func() error, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	return c, c.Close, nil
}

// ok: the connection is released through the cleanup function
// returned with it (github.com/pressly/goose's Provider.initialize).
func withCleanup(ctx context.Context, db *sql.DB, none bool) (retErr error) {
	conn, cleanup, err := initialize(ctx, db)
	if err != nil {
		return err
	}
	defer func() {
		if err := cleanup(); err != nil && retErr == nil {
			retErr = err
		}
	}()
	if none {
		return nil
	}
	return conn.PingContext(ctx)
}

type gormDB struct{ Error error }

func (db *gormDB) AddError(err error) error {
	if err != nil {
		db.Error = err
	}
	return db.Error
}

// ok: the error is checked through AddError (gorm's callbacks).
func checkedThroughCall(g *gormDB, db *sql.DB) {
	if rows, err := db.Query("SELECT 1"); g.AddError(err) == nil {
		for rows.Next() {
		}
		g.AddError(rows.Close())
	}
}
