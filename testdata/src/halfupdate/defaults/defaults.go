// Package defaults shows which halfupdate rules a default run reports:
// a return that leaves a written transaction open (tx) is reported; a
// compensation given the context whose cancellation it must survive
// (cleanup, 4 of 5 on untouched code) and two dependent calls sharing
// one context (split) are opt-in.
package defaults

import (
	"context"
	"database/sql"
)

type Ledger struct{}

func (*Ledger) Debit(ctx context.Context, acct string, amount int) error  { return ctx.Err() }
func (*Ledger) Credit(ctx context.Context, acct string, amount int) error { return ctx.Err() }
func (*Ledger) Refund(ctx context.Context, acct string, amount int) error { return ctx.Err() }

type Service struct {
	ledger *Ledger
	db     *sql.DB
}

func (s *Service) transfer(ctx context.Context, from, to string, n int) error {
	if err := s.ledger.Debit(ctx, from, n); err != nil {
		return err
	}
	if err := s.ledger.Credit(ctx, to, n); err != nil { // ok: halfupdate.split is opt-in
		return err
	}
	return nil
}

func (s *Service) pay(ctx context.Context, acct string, n int) error {
	if err := s.ledger.Debit(ctx, acct, n); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO payments(acct, n) VALUES($1, $2)", acct, n); err != nil {
		s.ledger.Refund(ctx, acct, n) // ok: halfupdate.cleanup is opt-in
		return err
	}
	return nil
}

func (s *Service) move(ctx context.Context, from, to string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET n = n - 1 WHERE id = $1", from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE acct SET n = n + 1 WHERE id = $1", to); err != nil {
		return err // want `return leaves tx open after tx.ExecContext wrote in it`
	}
	return tx.Commit()
}
