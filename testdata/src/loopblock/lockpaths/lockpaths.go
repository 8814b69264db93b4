// Package lockpaths holds the shapes of lock-leak, lock-again and
// lock-reentry, each beside correct look-alikes that stay silent.
package lockpaths

import (
	"context"
	"errors"
	"log"
	"sync"
)

type Store struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	items map[string]int
	ready bool
}

var errMissing = errors.New("missing")

// --- lock-leak ---

func (s *Store) Get(k string) (int, error) {
	s.mu.Lock()
	v, ok := s.items[k]
	if !ok {
		return 0, errMissing // want `Store.Get returns with s.mu still locked, though its other paths unlock it`
	}
	s.mu.Unlock()
	return v, nil
}

func (s *Store) Set(k string, v int) {
	s.mu.Lock()
	if s.items == nil {
		return // want `Store.Set returns with s.mu still locked`
	}
	s.items[k] = v
	s.mu.Unlock()
}

// ok: every path unlocks.
func (s *Store) GetOK(k string) (int, error) {
	s.mu.Lock()
	v, ok := s.items[k]
	if !ok {
		s.mu.Unlock()
		return 0, errMissing
	}
	s.mu.Unlock()
	return v, nil
}

// ok: the unlock is deferred.
func (s *Store) GetDeferred(k string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.items[k]
	return v, ok
}

// ok: a lock helper returns holding the lock on every path.
func (s *Store) lock() {
	s.mu.Lock()
}

// ok: returns locked on its final path by contract (the caller unlocks);
// the early return releases.
func (s *Store) lockIfReady() bool {
	s.mu.Lock()
	if !s.ready {
		s.mu.Unlock()
		return false
	}
	return true
}

// ok: a try-lock: the true return tells the caller it holds the lock.
func (s *Store) tryAcquire() bool {
	s.mu.Lock()
	if s.ready {
		return true
	}
	s.mu.Unlock()
	return false
}

// ok: the flag tracks the lock.
func (s *Store) maybeLocked(cond bool) {
	locked := false
	if cond {
		s.mu.Lock()
		locked = true
	}
	s.items["x"]++
	if locked {
		s.mu.Unlock()
	}
}

// ok: a path that ends the process holds nothing worth releasing.
func (s *Store) mustGet(k string) int {
	s.mu.Lock()
	v, ok := s.items[k]
	if !ok {
		log.Fatalf("no %s", k)
	}
	if v < 0 {
		panic("negative")
	}
	s.mu.Unlock()
	return v
}

// unlockAndCount releases s.mu for its callers.
func (s *Store) unlockAndCount() int {
	n := len(s.items)
	s.mu.Unlock()
	return n
}

// ok: the callee releases the lock.
func (s *Store) count() int {
	s.mu.Lock()
	if s.items == nil {
		return s.unlockAndCount()
	}
	s.items["n"]++
	return s.unlockAndCount()
}

// ok: a goroutine releases the lock it is handed.
func (s *Store) handOff(done chan struct{}) {
	s.mu.Lock()
	if done == nil {
		return
	}
	go func() {
		<-done
		s.mu.Unlock()
	}()
}

// --- lock-again ---

func (s *Store) drain(keys []string) {
	for _, k := range keys {
		s.mu.Lock() // want `s.mu is locked here on every turn of the loop, and a path back to it does not unlock it`
		if _, ok := s.items[k]; !ok {
			continue
		}
		delete(s.items, k)
		s.mu.Unlock()
	}
}

func (s *Store) drainDeferred(keys []string) {
	for _, k := range keys {
		s.mu.Lock()
		defer s.mu.Unlock() // want `the deferred unlock of s.mu runs only when Store.drainDeferred returns`
		delete(s.items, k)
	}
}

func (s *Store) twice() {
	s.mu.Lock()
	s.items["a"]++
	s.mu.Lock() // want `s.mu is locked again here while the lock taken at lockpaths.go:\d+ is still held`
	s.mu.Unlock()
}

// ok: every path that loops back unlocks.
func (s *Store) drainOK(keys []string) {
	for _, k := range keys {
		s.mu.Lock()
		if _, ok := s.items[k]; !ok {
			s.mu.Unlock()
			continue
		}
		delete(s.items, k)
		s.mu.Unlock()
	}
}

// ok: the loop takes one turn after the deferred unlock.
func (s *Store) first(keys []string) int {
	for _, k := range keys {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.items[k]
	}
	return 0
}

// ok: two read locks with no writer in between are not followed.
func (s *Store) readTwice() int {
	s.rw.RLock()
	n := len(s.items)
	s.rw.RLock()
	n += len(s.items)
	s.rw.RUnlock()
	s.rw.RUnlock()
	return n
}

type file struct{ lock sync.Mutex }

// ok: each turn locks another file's mutex, and keeps it (the Close of
// a store that will not be used again).
func closeAll(files map[int]*file) {
	for _, f := range files {
		f.lock.Lock() // we won't release the lock
	}
}

// ok: two different mutexes.
func (s *Store) two(o *Store) {
	s.mu.Lock()
	o.mu.Lock()
	o.mu.Unlock()
	s.mu.Unlock()
}

// --- lock-reentry ---

func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func (s *Store) lenLocked() int { return len(s.items) }

func (s *Store) Summary() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Len() + 1 // want `Store.Len locks s.mu, which Store.Summary already holds here`
}

func (s *Store) Reset() {
	s.mu.Lock()
	s.items = nil
	n := s.Len() // want `Store.Len locks s.mu, which Store.Reset already holds here`
	_ = n
	s.mu.Unlock()
}

// viaHelper locks through a same-receiver call two deep.
func (s *Store) viaHelper() int { return s.Len() }

func (s *Store) refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.touch() // want `Store.touch locks s.mu, which Store.refresh already holds here`
}

func (s *Store) touch() {
	s.Len()
}

// ok: the locked variant.
func (s *Store) SummaryOK() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lenLocked() + 1
}

// ok: released before the call.
func (s *Store) ResetOK() {
	s.mu.Lock()
	s.items = nil
	s.mu.Unlock()
	_ = s.Len()
}

// ok: unlocked on this path before the call (an Unlock in a nested block,
// with another at the end of the Lock's block).
func (s *Store) Ack(dup bool) int {
	s.mu.Lock()
	if dup {
		s.mu.Unlock() // must be unlocked to call Len
		return s.Len()
	}
	s.items["acks"]++
	s.mu.Unlock()
	return 0
}

// ok: another receiver's mutex.
func (s *Store) Compare(o *Store) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return o.Len() == len(s.items)
}

// ok: a goroutine calls it later, not while the lock is held.
func (s *Store) Async() {
	s.mu.Lock()
	defer s.mu.Unlock()
	go s.Len()
}

type Cache struct {
	rw sync.RWMutex
	m  map[string]string
}

func (c *Cache) Get(k string) string {
	c.rw.RLock()
	defer c.rw.RUnlock()
	return c.m[k]
}

func (c *Cache) Put(k, v string) {
	c.rw.Lock()
	c.m[k] = v
	c.rw.Unlock()
}

func (c *Cache) GetBoth(a, b string) string {
	c.rw.RLock()
	defer c.rw.RUnlock()
	return c.Get(a) + c.Get(b) // ok: a read lock again; a writer may come between, but on real code the package's protocol kept it out
}

func (c *Cache) PutIfAbsent(k, v string) {
	c.rw.RLock()
	defer c.rw.RUnlock()
	if c.m[k] == "" {
		c.Put(k, v) // want `Cache.Put locks c.rw, which Cache.PutIfAbsent already holds here`
	}
}

type ReadOnly struct {
	rw sync.RWMutex
	m  map[string]string
}

func (r *ReadOnly) Get(k string) string {
	r.rw.RLock()
	defer r.rw.RUnlock()
	return r.m[k]
}

// ok: nothing write-locks r.rw, so no writer can come between.
func (r *ReadOnly) GetBoth(a, b string) string {
	r.rw.RLock()
	defer r.rw.RUnlock()
	return r.Get(a) + r.Get(b)
}

// --- lock-order ---

type Bank struct {
	accounts sync.Mutex
	audit    sync.Mutex
	log      []string
	total    int
}

func (b *Bank) Deposit(n int) {
	b.accounts.Lock()
	defer b.accounts.Unlock()
	b.total += n
	b.audit.Lock() // want `Bank.Deposit locks b.audit while holding b.accounts, but Bank.Audit locks them the other way round`
	b.log = append(b.log, "deposit")
	b.audit.Unlock()
}

func (b *Bank) Audit() int {
	b.audit.Lock()
	defer b.audit.Unlock()
	b.accounts.Lock()
	n := b.total
	b.accounts.Unlock()
	return n
}

// ok: the same order everywhere.
func (b *Bank) Withdraw(n int) {
	b.accounts.Lock()
	b.audit.Lock()
	b.total -= n
	b.audit.Unlock()
	b.accounts.Unlock()
}

type Account struct {
	mu      sync.Mutex
	balance int
}

// ok: two instances, in an order of the caller's choosing.
func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	to.mu.Lock()
	from.balance -= n
	to.balance += n
	to.mu.Unlock()
	from.mu.Unlock()
}

// ok: released before the other is taken.
func (b *Bank) Report() (int, int) {
	b.audit.Lock()
	n := len(b.log)
	b.audit.Unlock()
	b.accounts.Lock()
	t := b.total
	b.accounts.Unlock()
	return n, t
}

// ok: released through a sync.Once, reset before each new Lock (the
// deferred Do releases only what is still held).
func (s *Store) waitForUpdate(ctx context.Context, updated chan struct{}) error {
	unlock := &sync.Once{}
	s.mu.Lock()
	defer unlock.Do(s.mu.Unlock)
	for {
		if s.ready {
			return nil
		}
		unlock.Do(s.mu.Unlock)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-updated:
			s.mu.Lock()
			*unlock = sync.Once{}
		}
	}
}
