package bounded

import "sync"

type Pool struct {
	mu    sync.Mutex
	conns chan int
}

// onceUnlock returns a func that releases mu the first time it is
// called and does nothing after.
func onceUnlock(mu *sync.Mutex) func() {
	var once sync.Once
	return func() { once.Do(mu.Unlock) }
}

// ok: the lock is released by unlock() before the receive.
func (p *Pool) GetOnce() int {
	p.mu.Lock()
	unlock := onceUnlock(&p.mu)
	defer unlock()
	if p.conns == nil {
		unlock()
		return 0
	}
	unlock()
	return <-p.conns
}

// The receive comes before unlock() is called: still under the lock.
func (p *Pool) GetEarly() int {
	p.mu.Lock()
	unlock := onceUnlock(&p.mu)
	defer unlock()
	return <-p.conns // want `channel receive from p.conns can block without bound while p.mu is held`
}

// ok: a literal over a sync.Once releases the lock.
func (p *Pool) GetLiteral() int {
	var once sync.Once
	p.mu.Lock()
	unlock := func() { once.Do(p.mu.Unlock) }
	defer unlock()
	unlock()
	return <-p.conns
}

// ok: the method value itself.
func (p *Pool) GetMethodValue() int {
	p.mu.Lock()
	unlock := p.mu.Unlock
	unlock()
	return <-p.conns
}

// A func that releases another mutex does not release p.mu.
func (p *Pool) GetOther(other *sync.Mutex) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	unlock := onceUnlock(other)
	unlock()
	return <-p.conns // want `channel receive from p.conns can block without bound while p.mu is held`
}

// ok: a literal over a literal: once.Do(func() { p.mu.Unlock() }).
func (p *Pool) Drain(wg *sync.WaitGroup) {
	var once sync.Once
	p.mu.Lock()
	unlock := func() { once.Do(func() { p.mu.Unlock() }) }
	defer unlock()
	unlock()
	wg.Wait()
}

// The same, waiting before the release.
func (p *Pool) DrainLocked(wg *sync.WaitGroup) {
	var once sync.Once
	p.mu.Lock()
	unlock := func() { once.Do(func() { p.mu.Unlock() }) }
	defer unlock()
	wg.Wait() // want `sync.WaitGroup.Wait can block without bound while p.mu is held`
	unlock()
}
