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

// deleteLater detaches only a context of its own, not its parameter.
func deleteLater(ctx context.Context, s Storage, key string) error {
	other := context.Background()
	return s.Delete(context.WithoutCancel(other), key)
}

var _ = deleteLater
