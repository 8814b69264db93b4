// Package sticky is a look-alike of go-redis v9.23.0's
// internal/pool/pool_sticky.go, with the closed interface and its
// implementations in the checked package itself.
package sticky

import (
	"context"
	"errors"
)

var ErrClosed = errors.New("closed")

type Conn struct{}

type Pooler interface {
	Put(ctx context.Context, cn *Conn)
	Remove(ctx context.Context, cn *Conn, reason error)
}

type hook interface {
	OnRemove(ctx context.Context, cn *Conn)
}

type ConnPool struct{ hooks []hook }

func (p *ConnPool) Put(ctx context.Context, cn *Conn) {}

func (p *ConnPool) Remove(ctx context.Context, cn *Conn, reason error) {
	for _, h := range p.hooks {
		h.OnRemove(ctx, cn)
	}
}

type StickyConnPool struct {
	pool Pooler
	ch   chan *Conn
	bad  error
}

// ok: freeConn only hands ctx to Pooler, whose implementations here
// never observe it (pool_sticky.go:130).
func (p *StickyConnPool) Put(ctx context.Context, cn *Conn) {
	defer func() {
		if recover() != nil {
			p.freeConn(ctx, cn)
		}
	}()
	p.ch <- cn
}

func (p *StickyConnPool) freeConn(ctx context.Context, cn *Conn) {
	if p.bad != nil {
		p.pool.Remove(ctx, cn, p.bad)
	} else {
		p.pool.Put(ctx, cn)
	}
}

// ok: Pooler.Remove never observes ctx (pool_sticky.go:157).
func (p *StickyConnPool) Remove(ctx context.Context, cn *Conn, reason error) {
	defer func() {
		if recover() != nil {
			p.pool.Remove(ctx, cn, ErrClosed)
		}
	}()
	p.bad = reason
	close(p.ch)
}

type Store interface {
	Create(ctx context.Context, id string) error
	Delete(ctx context.Context, id string) error
}

type sqlStore struct{ done chan struct{} }

func (s *sqlStore) Create(ctx context.Context, id string) error { return ctx.Err() }
func (s *sqlStore) Delete(ctx context.Context, id string) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return nil
	}
}

// create compensates through a closed interface whose implementation
// here observes ctx.
func create(ctx context.Context, s Store, id string) (err error) {
	if err := s.Create(ctx, id); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = s.Delete(ctx, id) // want `s.Delete in a deferred cleanup reuses ctx`
		}
	}()
	return s.Create(ctx, id+"/meta")
}
