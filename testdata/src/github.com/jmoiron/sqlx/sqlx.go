// Package sqlx is a stub of github.com/jmoiron/sqlx's API for fixtures.
package sqlx

import (
	"context"
	"database/sql"
)

type DB struct{ *sql.DB }

type Rows struct{ *sql.Rows }

func (r *Rows) StructScan(dest any) error { return nil }

type Stmt struct{ *sql.Stmt }

type NamedStmt struct{}

func (n *NamedStmt) Close() error                     { return nil }
func (n *NamedStmt) Exec(arg any) (sql.Result, error) { return nil, nil }
func (n *NamedStmt) Queryx(arg any) (*Rows, error)    { return nil, nil }
func (n *NamedStmt) Select(dest any, arg any) error   { return nil }

type Tx struct{ *sql.Tx }

func (tx *Tx) Commit() error                                   { return nil }
func (tx *Tx) Rollback() error                                 { return nil }
func (tx *Tx) PrepareNamed(query string) (*NamedStmt, error)   { return nil, nil }
func (tx *Tx) Queryx(query string, args ...any) (*Rows, error) { return nil, nil }

func Open(driver, dsn string) (*DB, error)                     { return nil, nil }
func (db *DB) Beginx() (*Tx, error)                            { return nil, nil }
func (db *DB) Queryx(query string, args ...any) (*Rows, error) { return nil, nil }
func (db *DB) QueryxContext(ctx context.Context, q string, args ...any) (*Rows, error) {
	return nil, nil
}
func (db *DB) PrepareNamed(query string) (*NamedStmt, error)                         { return nil, nil }
func (db *DB) PrepareNamedContext(ctx context.Context, q string) (*NamedStmt, error) { return nil, nil }
func (db *DB) Preparex(query string) (*Stmt, error)                                  { return nil, nil }
func (db *DB) Select(dest any, query string, args ...any) error                      { return nil }
