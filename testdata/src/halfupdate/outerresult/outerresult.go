// Package outerresult: a cleanup in a goroutine guarded by the named
// result of the function that started it.
package outerresult

import "context"

type Store struct{}

func (*Store) CreateJob(ctx context.Context, id string) error { return ctx.Err() }
func (*Store) DeleteJob(ctx context.Context, id string) error { return ctx.Err() }
func (*Store) Run(ctx context.Context, id string) error       { return ctx.Err() }

type Service struct{ store *Store }

// Start creates a job and runs it in the background. The goroutine's
// deferred cleanup tests Start's named result err, which Start has not
// set when the goroutine is started (and the goroutine's own failure
// never sets): the guard is the outer function's, not the goroutine's.
func (s *Service) Start(ctx context.Context, id string) (err error) {
	if err = s.store.CreateJob(ctx, id); err != nil {
		return err
	}
	go func() {
		defer func() {
			if err != nil {
				_ = s.store.DeleteJob(ctx, id) // ok: guarded by Start's result, read by a goroutine started before it is set
			}
		}()
		_ = s.store.Run(ctx, id)
	}()
	return nil
}

// Create compensates in its own deferred cleanup, guarded by its own named
// result: when ctx is why it failed, the delete fails too.
func (s *Service) Create(ctx context.Context, id string) (err error) {
	if err = s.store.CreateJob(ctx, id); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = s.store.DeleteJob(ctx, id) // want `s.store.DeleteJob in a deferred cleanup reuses ctx`
		}
	}()
	return s.store.Run(ctx, id)
}

// Background: the goroutine's cleanup is guarded by its own error.
func (s *Service) Background(ctx context.Context, id string) error {
	go func() {
		var err error
		defer func() {
			if err != nil {
				_ = s.store.DeleteJob(ctx, id) // want `s.store.DeleteJob in a deferred cleanup reuses ctx`
			}
		}()
		if err = s.store.CreateJob(ctx, id); err != nil {
			return
		}
		err = s.store.Run(ctx, id)
	}()
	return nil
}

// Unguarded: the goroutine's cleanup always runs.
func (s *Service) Unguarded(ctx context.Context, id string) (err error) {
	go func() {
		defer func() {
			_ = s.store.DeleteJob(ctx, id) // want `s.store.DeleteJob in a deferred cleanup reuses ctx`
		}()
		_ = s.store.Run(ctx, id)
	}()
	return nil
}

// InPlace: a literal run in place, after the result was set: its guard is
// the result's real value.
func (s *Service) InPlace(ctx context.Context, id string) (err error) {
	err = s.store.CreateJob(ctx, id)
	func() {
		defer func() {
			if err != nil {
				_ = s.store.DeleteJob(ctx, id) // want `s.store.DeleteJob in a deferred cleanup reuses ctx`
			}
		}()
		_ = s.store.Run(ctx, id)
	}()
	return err
}

func each(ids []string, f func(string)) {
	for _, id := range ids {
		f(id)
	}
}

// Callback: the callback's deferred cleanup tests the outer result, which
// is set only when Each returns.
func (s *Service) Each(ctx context.Context, ids []string) (err error) {
	each(ids, func(id string) {
		defer func() {
			if err != nil {
				_ = s.store.DeleteJob(ctx, id) // ok: guarded by Each's result, unset while the callbacks run
			}
		}()
		_ = s.store.Run(ctx, id)
	})
	return nil
}

// SetsOuter: the goroutine itself sets the outer result, so the guard
// follows what the goroutine did.
func (s *Service) SetsOuter(ctx context.Context, id string) (err error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if err != nil {
				_ = s.store.DeleteJob(ctx, id) // want `s.store.DeleteJob in a deferred cleanup reuses ctx`
			}
		}()
		err = s.store.Run(ctx, id)
	}()
	<-done
	return err
}
