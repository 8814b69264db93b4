// Package redis holds look-alikes of go-redis v9.23.0's cleanups: the
// connection is given back to a pool whose Put and Remove never observe
// the context (facts from halfupdate/internal/pool), so a cancelled
// context cannot make the cleanup fail.
package redis

import (
	"context"
	"errors"
	"fmt"

	"halfupdate/internal/pool"
	"halfupdate/lib"
)

var errConnUnusable = errors.New("conn unusable")

type baseClient struct {
	connPool pool.Pooler
	log      lib.Logger
	locks    pool.Locker
	store    lib.Storage
}

// releaseConnToPool removes or puts the connection back; ctx only
// reaches the pool and logging.
func (c *baseClient) releaseConnToPool(ctx context.Context, p pool.Pooler, cn *pool.Conn, err error) {
	if errors.Is(err, errConnUnusable) {
		p.Remove(ctx, cn, err)
		return
	}
	c.log.Printf(ctx, "releasing conn")
	p.Put(ctx, cn)
}

func (c *baseClient) releaseConn(ctx context.Context, cn *pool.Conn, err error) {
	c.releaseConnToPool(ctx, c.connPool, cn, err)
}

// ok: releaseConn never observes ctx (redis.go:1342, 1345).
func (c *baseClient) withConn(ctx context.Context, fn func(context.Context, *pool.Conn) error) error {
	cn, err := c.connPool.Get(ctx)
	if err != nil {
		return err
	}
	var fnErr error
	defer func() {
		if r := recover(); r != nil {
			fnErr = fmt.Errorf("%w: panic: %v", errConnUnusable, r)
			c.releaseConn(ctx, cn, fnErr)
			panic(r)
		}
		c.releaseConn(ctx, cn, fnErr)
	}()
	fnErr = fn(ctx, cn)
	return fnErr
}

// ok: releaseConnToPool never observes ctx (redis.go:1418).
func (c *baseClient) withPipelineConn(ctx context.Context, fn func(context.Context, *pool.Conn) error) (retErr error) {
	connPool := c.connPool
	cn, err := connPool.Get(ctx)
	if err != nil {
		return err
	}
	var fnErr error
	defer func() {
		if r := recover(); r != nil {
			fnErr = fmt.Errorf("%w: panic: %v", errConnUnusable, r)
			retErr = fnErr
		}
		if cn != nil {
			c.releaseConnToPool(ctx, connPool, cn, fnErr)
		}
	}()
	fnErr = fn(ctx, cn)
	return fnErr
}

type fdEngine struct {
	pool   pool.Pooler
	client *baseClient
}

// ok: pool.Pooler is closed and none of its implementations' Remove
// observes ctx (autopipeline_fullduplex.go:1473, 1485, 1509).
func (fd *fdEngine) attempt(bg context.Context) (result int, aerr error) {
	cn, err := fd.pool.Get(bg)
	if err != nil {
		return 0, err
	}
	connPool := fd.pool
	defer func() {
		if cn == nil {
			return
		}
		if result == 1 {
			connPool.Remove(bg, cn, aerr)
		} else {
			func() {
				defer func() {
					if r := recover(); r != nil {
						connPool.Remove(bg, cn, fmt.Errorf("release: %v", r))
					}
				}()
				fd.client.releaseConnToPool(bg, connPool, cn, nil)
			}()
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			aerr = fmt.Errorf("attempt: %v", r)
			if cn != nil {
				connPool.Remove(bg, cn, aerr)
				cn = nil
			}
			result = 2
		}
	}()
	return 0, nil
}

// unlockAfter releases a lock through a closed interface whose
// implementation observes ctx: a cancelled ctx leaves the lock held.
func (c *baseClient) unlockAfter(ctx context.Context, key string) error {
	defer c.locks.Unlock(ctx, key) // want `deferred c.locks.Unlock reuses ctx`
	return c.store.Delete(ctx, key)
}

// deleteAfter compensates through an open interface (lib.Storage): its
// contract lets implementations honour ctx, so the name decides.
func (c *baseClient) deleteAfter(ctx context.Context, key string) (err error) {
	if err := c.locks.Unlock(ctx, "x"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = c.store.Delete(ctx, key) // want `c.store.Delete in a deferred cleanup reuses ctx`
		}
	}()
	return lib.Timed(ctx)
}

// ok: lib.Forget removes nothing that ctx could stop; it only logs and
// notifies hooks.
func (c *baseClient) forgetAfter(ctx context.Context, key string) error {
	defer removeKey(ctx, c.log, key)
	return lib.Timed(ctx)
}

// removeKey has a compensating name but only logs with its context.
func removeKey(ctx context.Context, l lib.Logger, key string) {
	lib.Forget(ctx, l, nil, nil, key)
}

// deleteRow compensates with a statement that a cancelled ctx aborts.
func deleteRow(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, 0)
	defer cancel()
	return lib.Query(ctx, nil)
}

// rowAfter compensates through a helper that observes a context derived
// from ctx.
func (c *baseClient) rowAfter(ctx context.Context, key string) error {
	defer deleteRow(ctx, key) // want `deferred deleteRow reuses ctx`
	return lib.Timed(ctx)
}

// lockDel deletes a lock key through a function-value command runner
// that can fail (go-redis's cmdable): a cancelled ctx leaves the lock.
func lockDel(ctx context.Context, rdb lib.Cmdable, key string) error {
	if err := lib.Timed(ctx); err != nil {
		return err
	}
	defer rdb.Del(ctx, key) // want `deferred rdb.Del reuses ctx`
	return lib.Timed(ctx)
}

// releaseScript releases a lock with a script run through an interface.
func releaseScript(ctx context.Context, s lib.Scripter, key string) error {
	return lib.ReleaseScript(ctx, s, key)
}

func scriptLock(ctx context.Context, s lib.Scripter, key string) error {
	defer releaseScript(ctx, s, key) // want `deferred releaseScript reuses ctx`
	return lib.Timed(ctx)
}

// removeWatchers has a compensating name but only notifies.
func removeWatchers(ctx context.Context, s lib.Scripter) error { return lib.NotifyAll(ctx, s) }

// ok: removeWatchers only notifies; a cancelled ctx cannot undo much.
func watch(ctx context.Context, s lib.Scripter) error {
	defer removeWatchers(ctx, s)
	return lib.Timed(ctx)
}
