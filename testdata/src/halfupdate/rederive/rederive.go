// Package rederive: a copy-then-delete whose pair is derived from a read
// of the source is redone by the next pass when a cancellation splits it.
package rederive

import (
	"context"
	"path"
)

type Item struct {
	Key  string
	Data []byte
}

type Bucket struct{}

func (*Bucket) List(ctx context.Context, prefix string) ([]Item, error) { return nil, ctx.Err() }
func (*Bucket) Get(ctx context.Context, key string) (Item, error)       { return Item{}, ctx.Err() }
func (*Bucket) Put(ctx context.Context, key string, data []byte) error  { return ctx.Err() }
func (*Bucket) Delete(ctx context.Context, key string) error            { return ctx.Err() }

type Archiver struct{ live, archive *Bucket }

// Sweep moves every expired item to the archive. A cancellation between
// Put and Delete leaves the item in live: the next Sweep lists it again
// and redoes both (the Put overwrites the same key).
func (a *Archiver) Sweep(ctx context.Context) error {
	items, err := a.live.List(ctx, "expired/")
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := a.archive.Put(ctx, path.Join("archive", it.Key), it.Data); err != nil {
			return err
		}
		if err := a.live.Delete(ctx, it.Key); err != nil { // ok: the next pass lists it again and redoes the pair
			return err
		}
	}
	return nil
}

// SweepOne: the same through a Get of a listed key.
func (a *Archiver) SweepOne(ctx context.Context, keys []string) error {
	for _, k := range keys {
		it, err := a.live.Get(ctx, k)
		if err != nil {
			return err
		}
		if err := a.archive.Put(ctx, it.Key, it.Data); err != nil {
			return err
		}
		if err := a.live.Delete(ctx, it.Key); err != nil { // ok: re-derived from the Get on the next pass
			return err
		}
	}
	return nil
}

// Move is asked to move one key: nothing re-derives the pair, and a
// cancellation between the two leaves the object in both buckets.
func (a *Archiver) Move(ctx context.Context, key string, data []byte) error {
	if err := a.archive.Put(ctx, key, data); err != nil {
		return err
	}
	return a.live.Delete(ctx, key) // want `a.live.Delete can be cancelled after a.archive.Put succeeded`
}

// MoveRead reads what it moves, but the key it deletes is the caller's:
// the caller does not list it again.
func (a *Archiver) MoveRead(ctx context.Context, key string) error {
	it, err := a.live.Get(ctx, key)
	if err != nil {
		return err
	}
	if err := a.archive.Put(ctx, key, it.Data); err != nil {
		return err
	}
	return a.live.Delete(ctx, key) // want `a.live.Delete can be cancelled after a.archive.Put succeeded`
}

type Ledger struct{}

func (*Ledger) Accounts(ctx context.Context) ([]string, error)       { return nil, ctx.Err() }
func (*Ledger) Debit(ctx context.Context, acct string, n int) error  { return ctx.Err() }
func (*Ledger) Credit(ctx context.Context, acct string, n int) error { return ctx.Err() }

// Settle debits and credits accounts it listed: a credit is no undo of
// anything, so the listing does not make the pair redoable.
func Settle(ctx context.Context, l *Ledger) error {
	accts, err := l.Accounts(ctx)
	if err != nil {
		return err
	}
	for i := 1; i < len(accts); i++ {
		if err := l.Debit(ctx, accts[0], 1); err != nil {
			return err
		}
		if err := l.Credit(ctx, accts[i], 1); err != nil { // want `l.Credit can be cancelled after l.Debit succeeded`
			return err
		}
	}
	return nil
}
