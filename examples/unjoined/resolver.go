// Package unjoined is a realistic instance of the unjoined check: a
// service's address resolver races replicas against a deadline, and a
// background refresher that Close does not stop.
//
// Run from the examples module:
//
//	go vet -vettool=$(which asynclint) -unjoined ./unjoined/
package unjoined

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Resolver looks up service addresses and caches them.
type Resolver struct {
	mu    sync.Mutex
	cache map[string][]string
	done  chan struct{}
}

// NewResolver starts a refresher that is meant to stop on Close.
func NewResolver() *Resolver {
	r := &Resolver{cache: make(map[string][]string), done: make(chan struct{})}
	go r.refresh() // unjoined: Close never closes r.done, so the refresher never stops
	return r
}

func (r *Resolver) refresh() {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.mu.Lock()
			clear(r.cache)
			r.mu.Unlock()
		case <-r.done:
			return
		}
	}
}

// Close is meant to stop the refresher, but only drops the cache.
func (r *Resolver) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cache = nil
	return nil
}

// Lookup resolves host, giving up when ctx is done.
func (r *Resolver) Lookup(ctx context.Context, host string) ([]string, error) {
	type answer struct {
		addrs []string
		err   error
	}
	ch := make(chan answer) // unjoined: unbuffered, so the late answer blocks forever
	go func() {
		addrs, err := net.DefaultResolver.LookupHost(context.Background(), host)
		ch <- answer{addrs, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			return nil, a.err
		}
		r.mu.Lock()
		r.cache[host] = a.addrs
		r.mu.Unlock()
		return a.addrs, nil
	case <-ctx.Done():
		return nil, errors.Join(ctx.Err(), errors.New("lookup of "+host+" abandoned"))
	}
}
