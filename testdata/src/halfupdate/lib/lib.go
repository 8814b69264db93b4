// Package lib holds helpers the halfupdate fixtures import, to check
// the detach facts across packages.
package lib

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

type Storage interface {
	Unlock(ctx context.Context, key string) error
	Delete(ctx context.Context, key string) error
}

// ReleaseLock unlocks on a detached context, as certmagic v0.25.6's
// releaseLock does.
func ReleaseLock(ctx context.Context, s Storage, key string) error { // want ReleaseLock:"detaches"
	return s.Unlock(context.WithoutCancel(ctx), key)
}

// DeleteKey deletes with the context it is given, through an open
// interface whose method name says it changes state: it observes.
func DeleteKey(ctx context.Context, s Storage, key string) error { // want DeleteKey:"observes"
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
func (db *DB) Observe(ctx context.Context) error { // want Observe:"observes"
	return ctx.Err()
}

// Mixed hands ctx to an ignoring function and observes it too.
func (db *DB) Mixed(ctx context.Context, id string) error { // want Mixed:"observes"
	if err := db.save(ctx, id); err != nil {
		return err
	}
	return db.Observe(ctx)
}

// unnamed has an unnamed context parameter.
func unnamed(context.Context) {} // want unnamed:"ignores"

var _ = unnamed

// Timed observes a context derived from its parameter.
func Timed(ctx context.Context) error { // want Timed:"observes"
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	default:
		return nil
	}
}

// Query hands its context to database/sql, which honours it.
func Query(ctx context.Context, db *sql.DB) error { // want Query:"observes"
	return db.QueryRowContext(ctx, "SELECT 1").Err()
}

// Fetch builds a request with its context: the transport honours it.
func Fetch(ctx context.Context, c *http.Client, url string) error { // want Fetch:"observes"
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Through observes through a chain of this package's functions.
func Through(ctx context.Context) error { return through2(ctx) } // want Through:"observes"

func through2(ctx context.Context) error { return Timed(ctx) } // want through2:"observes"

// A Logger logs with a context; Printf changes no state.
type Logger interface {
	Printf(ctx context.Context, format string, args ...any)
}

// A Hook is told about removals.
type Hook interface {
	OnRemove(ctx context.Context, key string)
}

// Forget passes its context only to a logger, a hook, a callback held
// in a variable, a log/slog call and fmt: none observes it (go-redis
// v9.23.0's ConnPool.Remove).
func Forget(ctx context.Context, l Logger, h Hook, cb func(context.Context, string), key string) { // want Forget:"ignores"
	l.Printf(ctx, "forget %s", key)
	h.OnRemove(ctx, key)
	if cb != nil {
		cb(ctx, key)
	}
	slog.InfoContext(ctx, "forgot", "key", key)
	_ = fmt.Sprint(ctx)
}

// Loop recurses on its context: recursion alone observes nothing.
func Loop(ctx context.Context, n int) { // want Loop:"ignores"
	if n > 0 {
		Loop(ctx, n-1)
	}
}

// Values reads a value: not an observation of cancellation.
func Values(ctx context.Context) any { return ctx.Value("k") } // want Values:"ignores"

// Spawn observes in a goroutine it starts.
func Spawn(ctx context.Context, done chan struct{}) { // want Spawn:"observes"
	go func() {
		<-ctx.Done()
		close(done)
	}()
}

// Detached derives a context with a timeout from a detached one: the
// observation is of another context.
func Detached(ctx context.Context) error { // want Detached:"detaches"
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	return ctx.Err()
}

// Other observes a context of its own, not its parameter.
func Other(ctx context.Context) error { // want Other:"ignores"
	_ = ctx.Value("k")
	return context.Background().Err()
}

// Cmdable runs every command through a function value that can fail,
// as go-redis's cmdable does: its commands observe their context.
type Cmdable func(ctx context.Context, cmd string) error

func (c Cmdable) Del(ctx context.Context, key string) error { return c(ctx, "DEL "+key) } // want Del:"observes"

// A Scripter is an open interface with no implementation here: judged
// by its method names.
type Scripter interface {
	EvalSha(ctx context.Context, sha string, keys ...string) error
	Notify(ctx context.Context, msg string) error
}

// ReleaseScript runs a command: EvalSha says it does.
func ReleaseScript(ctx context.Context, s Scripter, key string) error { // want ReleaseScript:"observes"
	return s.EvalSha(ctx, "sha", key)
}

// NotifyAll only notifies: Notify neither changes state nor runs a
// command.
func NotifyAll(ctx context.Context, s Scripter) error { // want NotifyAll:"ignores"
	return s.Notify(ctx, "all")
}
