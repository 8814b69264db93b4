// Package sentinel holds compensations on error paths narrowed to one
// sentinel error: no cancellation made the call fail there.
package sentinel

import (
	"context"
	"errors"
	"io/fs"
)

type Store struct{}

func (*Store) CreateUpload(ctx context.Context, id string) error { return ctx.Err() }
func (*Store) DeleteUpload(ctx context.Context, id string) error { return ctx.Err() }

type Blob struct{}

func (*Blob) Put(ctx context.Context, id string, data []byte) error { return ctx.Err() }

var errSkip = errors.New("skip")

type Service struct {
	store *Store
	blob  *Blob
}

func (s *Service) skipOnly(ctx context.Context, id string, data []byte) error {
	if err := s.store.CreateUpload(ctx, id); err != nil {
		return err
	}
	if err := s.blob.Put(ctx, id, data); err != nil {
		if !errors.Is(err, errSkip) {
			return err
		}
		_ = s.store.DeleteUpload(ctx, id) // ok: runs only for errSkip
		return nil
	}
	return nil
}

func (s *Service) onSentinel(ctx context.Context, id string, data []byte) error {
	if err := s.store.CreateUpload(ctx, id); err != nil {
		return err
	}
	if err := s.blob.Put(ctx, id, data); err != nil {
		if errors.Is(err, fs.ErrExist) {
			_ = s.store.DeleteUpload(ctx, id) // ok: only for fs.ErrExist
		}
		return err
	}
	return nil
}

func (s *Service) onEquality(ctx context.Context, id string, data []byte) error {
	if err := s.store.CreateUpload(ctx, id); err != nil {
		return err
	}
	if err := s.blob.Put(ctx, id, data); err != nil {
		if err != errSkip {
			return err
		}
		_ = s.store.DeleteUpload(ctx, id) // ok: only for errSkip
	}
	return nil
}

func (s *Service) onCanceled(ctx context.Context, id string, data []byte) error {
	if err := s.store.CreateUpload(ctx, id); err != nil {
		return err
	}
	if err := s.blob.Put(ctx, id, data); err != nil {
		if errors.Is(err, context.Canceled) {
			_ = s.store.DeleteUpload(ctx, id) // want `s.store.DeleteUpload on the error path of s.blob.Put reuses ctx`
		}
		return err
	}
	return nil
}

func (s *Service) anyError(ctx context.Context, id string, data []byte) error {
	if err := s.store.CreateUpload(ctx, id); err != nil {
		return err
	}
	if err := s.blob.Put(ctx, id, data); err != nil {
		if errors.Is(err, errSkip) {
			return nil
		}
		_ = s.store.DeleteUpload(ctx, id) // want `s.store.DeleteUpload on the error path of s.blob.Put reuses ctx`
		return err
	}
	return nil
}
