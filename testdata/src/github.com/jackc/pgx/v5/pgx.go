// Package pgx is a stub of github.com/jackc/pgx/v5's API for fixtures.
package pgx

import "context"

type Rows interface {
	Close()
	Err() error
	Next() bool
	Scan(dest ...any) error
}

type Row interface {
	Scan(dest ...any) error
}

type Tx interface {
	Begin(ctx context.Context) (Tx, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) Row
}

type Conn struct{}

func Connect(ctx context.Context, dsn string) (*Conn, error)                     { return &Conn{}, nil }
func (c *Conn) Close(ctx context.Context) error                                  { return nil }
func (c *Conn) Begin(ctx context.Context) (Tx, error)                            { return nil, nil }
func (c *Conn) Query(ctx context.Context, sql string, args ...any) (Rows, error) { return nil, nil }
func (c *Conn) QueryRow(ctx context.Context, sql string, args ...any) Row        { return nil }

// CollectRows reads rows to the end and closes them.
func CollectRows[T any](rows Rows, fn func(row Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	return nil, nil
}
