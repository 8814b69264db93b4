// Package pool is a look-alike of go-redis v9.23.0's internal/pool: a
// closed interface (Pooler) whose implementations here never observe
// the context of Put and Remove, only hand it to hooks, logging and
// metric callbacks.
package pool

import (
	"context"
	"errors"
)

var ErrClosed = errors.New("closed")

type Conn struct{ id int }

// Pooler is closed (its package is internal) and implemented here.
type Pooler interface {
	Get(ctx context.Context) (*Conn, error)             // want Get:"observes"
	Put(ctx context.Context, cn *Conn)                  // want Put:"ignores"
	Remove(ctx context.Context, cn *Conn, reason error) // want Remove:"ignores"
	Len() int
}

// PoolHook has no implementation in this package: judged by its
// method names, which change no state.
type PoolHook interface {
	OnPut(ctx context.Context, cn *Conn) (bool, error)
	OnRemove(ctx context.Context, cn *Conn, reason error)
}

// Locker is closed and its implementation observes: Unlock runs a
// statement with the context.
type Locker interface {
	Unlock(ctx context.Context, key string) error // want Unlock:"observes"
}

type logger interface {
	Printf(ctx context.Context, format string, v ...any)
}

var Logger logger

type hookManager struct{ hooks []PoolHook }

func (m *hookManager) ProcessOnPut(ctx context.Context, cn *Conn) bool { // want ProcessOnPut:"ignores"
	for _, h := range m.hooks {
		if ok, err := h.OnPut(ctx, cn); err != nil || !ok {
			return false
		}
	}
	return true
}

func (m *hookManager) ProcessOnRemove(ctx context.Context, cn *Conn, reason error) { // want ProcessOnRemove:"ignores"
	for _, h := range m.hooks {
		h.OnRemove(ctx, cn, reason)
	}
}

type ConnPool struct {
	hooks    *hookManager
	conns    map[int]*Conn
	idle     chan *Conn
	onClosed func(ctx context.Context, cn *Conn)
}

func (p *ConnPool) Get(ctx context.Context) (*Conn, error) { // want Get:"observes"
	select {
	case cn := <-p.idle:
		return cn, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *ConnPool) Put(ctx context.Context, cn *Conn) { // want Put:"ignores"
	if !p.hooks.ProcessOnPut(ctx, cn) {
		Logger.Printf(ctx, "removing conn %d", cn.id)
		p.removeConnInternal(ctx, cn, nil)
		return
	}
	p.idle <- cn
}

func (p *ConnPool) Remove(ctx context.Context, cn *Conn, reason error) { // want Remove:"ignores"
	p.removeConnInternal(ctx, cn, reason)
}

func (p *ConnPool) removeConnInternal(ctx context.Context, cn *Conn, reason error) { // want removeConnInternal:"ignores"
	p.hooks.ProcessOnRemove(ctx, cn, reason)
	delete(p.conns, cn.id)
	if cb := p.onClosed; cb != nil {
		cb(ctx, cn)
	}
}

func (p *ConnPool) Len() int { return len(p.conns) }

// StickyConnPool hands its context to the Pooler it wraps: its Put and
// Remove observe what Pooler's implementations observe, nothing.
type StickyConnPool struct {
	pool Pooler
	ch   chan *Conn
}

func (p *StickyConnPool) Get(ctx context.Context) (*Conn, error) { return p.pool.Get(ctx) } // want Get:"observes"

func (p *StickyConnPool) Put(ctx context.Context, cn *Conn) { // want Put:"ignores"
	defer func() {
		if recover() != nil {
			p.freeConn(ctx, cn)
		}
	}()
	p.ch <- cn
}

func (p *StickyConnPool) freeConn(ctx context.Context, cn *Conn) { // want freeConn:"ignores"
	if len(p.ch) > 0 {
		p.pool.Remove(ctx, cn, ErrClosed)
	} else {
		p.pool.Put(ctx, cn)
	}
}

func (p *StickyConnPool) Remove(ctx context.Context, cn *Conn, reason error) { // want Remove:"ignores"
	defer func() {
		if recover() != nil {
			p.pool.Remove(ctx, cn, ErrClosed)
		}
	}()
	close(p.ch)
}

func (p *StickyConnPool) Len() int { return 1 }

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) error
}

type sqlLocker struct{ db execer }

func (l *sqlLocker) Unlock(ctx context.Context, key string) error { // want Unlock:"observes"
	return l.db.ExecContext(ctx, "DELETE FROM locks WHERE key = $1", key)
}
