// Package onceonly starts janitor goroutines: once per process under a
// package-level sync.Once, or once per value.
package onceonly

import (
	"sync"
	"time"
)

var (
	mu       sync.Mutex
	seen     = map[string]time.Time{}
	cleaner  sync.Once
	holder   struct{ once sync.Once }
	interval = time.Minute
)

type Upstream struct {
	addr string
	once sync.Once
}

func (u *Upstream) Touch() { // ok: one janitor per process
	mu.Lock()
	seen[u.addr] = time.Now()
	mu.Unlock()
	cleaner.Do(func() {
		go func() {
			for {
				time.Sleep(interval)
				mu.Lock()
				for k, t := range seen {
					if time.Since(t) > interval {
						delete(seen, k)
					}
				}
				mu.Unlock()
			}
		}()
	})
}

func (u *Upstream) TouchHeld() { // ok: a Once in a package-level struct
	holder.once.Do(func() {
		go func() {
			for {
				time.Sleep(interval)
			}
		}()
	})
}

func (u *Upstream) Watch() {
	u.once.Do(func() {
		go func() { // want `goroutine started by \(\*Upstream\).Watch loops forever with no way to stop it`
			for {
				time.Sleep(interval)
				mu.Lock()
				seen[u.addr] = time.Now()
				mu.Unlock()
			}
		}()
	})
}
