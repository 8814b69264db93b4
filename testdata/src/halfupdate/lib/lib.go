// Package lib holds helpers the halfupdate fixtures import, to check
// the detach facts across packages.
package lib

import "context"

type Storage interface {
	Unlock(ctx context.Context, key string) error
	Delete(ctx context.Context, key string) error
}

// ReleaseLock unlocks on a detached context, as certmagic v0.25.6's
// releaseLock does.
func ReleaseLock(ctx context.Context, s Storage, key string) error { // want ReleaseLock:"detaches"
	return s.Unlock(context.WithoutCancel(ctx), key)
}

// DeleteKey deletes with the context it is given.
func DeleteKey(ctx context.Context, s Storage, key string) error {
	return s.Delete(ctx, key)
}

// deleteLater detaches only a context of its own: it ignores its
// parameter, it does not detach it.
func deleteLater(ctx context.Context, s Storage, key string) error { // want deleteLater:"ignores"
	other := context.Background()
	return s.Delete(context.WithoutCancel(other), key)
}

var _ = deleteLater

type DB struct{}

// save ignores its context, as step-ca v0.30.2's nosql (*DB).save does.
func (db *DB) save(_ context.Context, key string) error { return nil } // want save:"ignores"

// addID takes a context and never reads it.
func (db *DB) addID(ctx context.Context, id string) error { return nil } // want addID:"ignores"

// Create only hands its context to functions that ignore it.
func (db *DB) Create(ctx context.Context, id string) error { // want Create:"ignores"
	if err := db.save(ctx, id); err != nil {
		return err
	}
	return db.addID(ctx, id)
}

// Observe reads its context: a cancellation point.
func (db *DB) Observe(ctx context.Context) error {
	return ctx.Err()
}

// Mixed hands ctx to an ignoring function and observes it too.
func (db *DB) Mixed(ctx context.Context, id string) error {
	if err := db.save(ctx, id); err != nil {
		return err
	}
	return db.Observe(ctx)
}

// unnamed has an unnamed context parameter.
func unnamed(context.Context) {} // want unnamed:"ignores"

var _ = unnamed
