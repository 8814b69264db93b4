package cleanup

import (
	"context"
	"database/sql"
	"errors"

	"halfupdate/lib"
)

type Store struct{}

func (*Store) CreateUpload(ctx context.Context, id string) error { return ctx.Err() }
func (*Store) DeleteUpload(ctx context.Context, id string) error { return ctx.Err() }
func (*Store) Reserve(ctx context.Context, id string) error      { return ctx.Err() }
func (*Store) Release(ctx context.Context, id string) error      { return ctx.Err() }
func (*Store) Get(ctx context.Context, id string) error          { return ctx.Err() }

type Blob struct{}

func (*Blob) Put(ctx context.Context, id string, data []byte) error { return ctx.Err() }

type Locker struct{}

func (*Locker) Unlock(ctx context.Context, key string) error { return ctx.Err() }

type Tx struct{}

func (*Tx) Rollback(ctx context.Context) error { return ctx.Err() }

type Service struct {
	store *Store
	blob  *Blob
	lock  *Locker
	db    *sql.DB
}

// upload compensates a failed blob write with the context that failed.
func (s *Service) upload(ctx context.Context, id string, data []byte) error {
	if err := s.store.CreateUpload(ctx, id); err != nil {
		return err
	}
	if err := s.blob.Put(ctx, id, data); err != nil {
		_ = s.store.DeleteUpload(ctx, id) // want `s.store.DeleteUpload on the error path of s.blob.Put reuses ctx, which may be why s.blob.Put failed`
		return err
	}
	return nil
}

// reserve releases with the failed context, in the two-statement form.
func (s *Service) reserve(ctx context.Context, id string) error {
	if err := s.store.Reserve(ctx, id); err != nil {
		return err
	}
	err := s.blob.Put(ctx, id, nil)
	if err != nil {
		if rerr := s.store.Release(ctx, id); rerr != nil { // want `s.store.Release on the error path of s.blob.Put reuses ctx`
			return errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

// deferredUndo compensates in a deferred cleanup with the caller's context.
func (s *Service) deferredUndo(ctx context.Context, id string) (err error) {
	if err := s.store.CreateUpload(ctx, id); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = s.store.DeleteUpload(ctx, id) // want `s.store.DeleteUpload in a deferred cleanup reuses ctx: when ctx is cancelled the cleanup fails too`
		}
	}()
	return s.blob.Put(ctx, id, nil)
}

// deferredUnlock releases a distributed lock with the caller's context.
func (s *Service) deferredUnlock(ctx context.Context, key string) error {
	defer s.lock.Unlock(ctx, key) // want `deferred s.lock.Unlock reuses ctx`
	return s.blob.Put(ctx, key, nil)
}

// ok: the compensation is detached from the failed context.
func (s *Service) detached(ctx context.Context, id string) error {
	if err := s.blob.Put(ctx, id, nil); err != nil {
		_ = s.store.DeleteUpload(context.WithoutCancel(ctx), id)
		return err
	}
	return nil
}

// ok: the deferred cleanup runs on a fresh context.
func (s *Service) deferredDetached(ctx context.Context, key string) error {
	defer func() {
		ctx := context.WithoutCancel(ctx)
		_ = s.lock.Unlock(ctx, key)
	}()
	return s.blob.Put(ctx, key, nil)
}

// ok: a transaction's own rollback; the driver aborts it when ctx ends.
func (s *Service) txRollback(ctx context.Context, tx *Tx) error {
	defer tx.Rollback(ctx)
	return s.blob.Put(ctx, "k", nil)
}

// ok: database/sql's Rollback takes no context.
func (s *Service) sqlRollback(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM t"); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ok: the error path reads, it does not compensate.
func (s *Service) errorRead(ctx context.Context, id string) error {
	if err := s.blob.Put(ctx, id, nil); err != nil {
		return errors.Join(err, s.store.Get(ctx, id))
	}
	return nil
}

// ok: the compensation uses a context from context.Background.
func (s *Service) background(id string) error {
	ctx := context.Background()
	if err := s.blob.Put(ctx, id, nil); err != nil {
		_ = s.store.DeleteUpload(ctx, id)
		return err
	}
	return nil
}

// ok: the failed call took another (detached) context, so ctx did not just fail.
func (s *Service) otherContext(ctx context.Context, id string) error {
	if err := s.blob.Put(context.WithoutCancel(ctx), id, nil); err != nil {
		_ = s.store.DeleteUpload(ctx, id)
		return err
	}
	return nil
}

type Lease struct{}

func (*Lease) Acquire(ctx context.Context, key string) error { return ctx.Err() }
func (*Lease) DeleteStale(ctx context.Context) error         { return ctx.Err() }

// ok: housekeeping before a retry; nothing this function updated is
// undone (goose v3.29.0, lock/internal/table/locker.go).
func acquire(ctx context.Context, l *Lease) error {
	if err := l.Acquire(ctx, "k"); err != nil {
		_ = l.DeleteStale(ctx)
		return err
	}
	return nil
}

type ExecutorTx interface {
	Rollback(ctx context.Context) error
}

func RollbackWithoutCancel(ctx context.Context, tx ExecutorTx) error {
	return tx.Rollback(context.WithoutCancel(ctx))
}

func rollbackTx(ctx context.Context, tx ExecutorTx) error { return tx.Rollback(ctx) }

// ok: a rollback helper given the transaction, which detaches itself
// (river v0.51.2, internal/leadership/elector.go).
func (s *Service) riverStyle(ctx context.Context, tx ExecutorTx) error {
	defer RollbackWithoutCancel(ctx, tx)
	return s.blob.Put(ctx, "k", nil)
}

// ok: a rollback helper given the transaction: the driver aborts it
// when ctx ends anyway.
func (s *Service) txHelper(ctx context.Context, tx ExecutorTx) error {
	if err := s.blob.Put(ctx, "k", nil); err != nil {
		_ = rollbackTx(ctx, tx)
		return err
	}
	return nil
}

type kv struct{}

func (kv) Unlock(ctx context.Context, key string) error { return ctx.Err() }
func (kv) Delete(ctx context.Context, key string) error { return ctx.Err() }
func (kv) Store(ctx context.Context, key string) error  { return ctx.Err() }

// ok: the helper detaches the context itself (certmagic v0.25.6,
// releaseLock); a fact from package lib says so.
func withLock(ctx context.Context, s kv, key string) error {
	defer lib.ReleaseLock(ctx, s, key)
	return s.Store(ctx, key)
}

// scratch deletes its test key through a helper that does not detach.
func scratch(ctx context.Context, s kv, key string) error {
	if err := s.Store(ctx, key); err != nil {
		return err
	}
	defer lib.DeleteKey(ctx, s, key) // want `deferred lib.DeleteKey reuses ctx`
	return nil
}

// storeAll stores all values or none: the undo on the error path reuses
// the context that failed (certmagic v0.25.6, storeTx).
func storeAll(ctx context.Context, s kv, keys []string) error {
	for i, k := range keys {
		if err := s.Store(ctx, k); err != nil {
			for j := i - 1; j >= 0; j-- {
				_ = s.Delete(ctx, keys[j]) // want `s.Delete on the error path of s.Store reuses ctx`
			}
			return err
		}
	}
	return nil
}
