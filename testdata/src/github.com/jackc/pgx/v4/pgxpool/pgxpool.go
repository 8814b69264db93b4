// Package pgxpool is a stub of github.com/jackc/pgx/v4/pgxpool's API.
package pgxpool

import (
	"context"

	"github.com/jackc/pgx/v4"
)

type Pool struct{}

func New(ctx context.Context, dsn string) (*Pool, error)                             { return &Pool{}, nil }
func (p *Pool) Close()                                                               {}
func (p *Pool) Acquire(ctx context.Context) (*Conn, error)                           { return &Conn{}, nil }
func (p *Pool) Begin(ctx context.Context) (pgx.Tx, error)                            { return nil, nil }
func (p *Pool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) { return nil, nil }
func (p *Pool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row        { return nil }

type Conn struct{}

func (c *Conn) Release()                                                             {}
func (c *Conn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) { return nil, nil }
func (c *Conn) Begin(ctx context.Context) (pgx.Tx, error)                            { return nil, nil }
