package a

import "sync"

type S struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	once sync.Once
}

type E struct {
	sync.Mutex
	n int
}

var global sync.Mutex

func held() {}

func (s *S) fields() {
	s.mu.Lock()          // want `Lock s.mu key="locks/a.S.mu"`
	held()               // want `held: s.mu`
	s.mu.Unlock()        // want `Unlock s.mu key="locks/a.S.mu"`
	held()               // want `held: $`
	s.rw.RLock()         // want `RLock s.rw key="locks/a.S.rw"`
	defer s.rw.RUnlock() // want `RUnlock s.rw key="locks/a.S.rw"`
	held()               // want `held: s.rw`
}

func (e *E) embedded() {
	e.Lock() // want `Lock e key="locks/a.E.Mutex"`
	e.n++
	held()     // want `held: e`
	e.Unlock() // want `Unlock e key="locks/a.E.Mutex"`
}

func locals(l sync.Locker) {
	var mu sync.Mutex
	mu.Lock()       // want `Lock mu key=""`
	global.Lock()   // want `Lock global key="locks/a.global"`
	held()          // want `held: mu,global`
	global.Unlock() // want `Unlock global key="locks/a.global"`
	mu.Unlock()     // want `Unlock mu key=""`
	l.Lock()        // want `Lock l key=""`
	l.Unlock()      // want `Unlock l key=""`
}

// onceUnlock returns an unlock that is safe to call twice.
func onceUnlock(mu *sync.Mutex) func() {
	var once sync.Once
	return func() { once.Do(mu.Unlock) } // want `releases mu`
}

func (s *S) funcValues(fail bool) {
	s.mu.Lock() // want `Lock s.mu key="locks/a.S.mu"`
	unlock := onceUnlock(&s.mu)
	if fail {
		unlock() // want `releases s.mu`
		return
	}
	held()   // want `held: s.mu`
	unlock() // want `releases s.mu`

	s.mu.Lock() // want `Lock s.mu key="locks/a.S.mu"`
	release := func() { s.once.Do(s.mu.Unlock) } // want `releases s.mu`
	release() // want `releases s.mu`
	held()    // want `held: $`

	s.mu.Lock() // want `Lock s.mu key="locks/a.S.mu"`
	f := s.mu.Unlock
	f() // want `releases s.mu`
}

// notALock has Lock and Unlock methods of its own: not a mutex the
// model follows (see TakesAny).
type notALock struct{}

func (notALock) Lock()   {}
func (notALock) Unlock() {}

func others(n notALock) {
	n.Lock()
	held() // want `held: $`
	n.Unlock()
}

// An Unlock on an early return leaves a hole in the region.
func (s *S) early(fail bool) {
	s.mu.Lock() // want `Lock s.mu key="locks/a.S.mu"`
	if fail {
		s.mu.Unlock() // want `Unlock s.mu key="locks/a.S.mu"`
		held()        // want `held: $`
		return
	}
	held()        // want `held: s.mu`
	s.mu.Unlock() // want `Unlock s.mu key="locks/a.S.mu"`
}

// A sync.Once's Do of the Unlock releases; resetting the Once lets the
// function lock and release again.
func (s *S) onceReset(wait chan struct{}) {
	unlock := &sync.Once{}
	s.mu.Lock()                  // want `Lock s.mu key="locks/a.S.mu"`
	defer unlock.Do(s.mu.Unlock) // want `releases s.mu`
	held()                       // want `held: s.mu`
	unlock.Do(s.mu.Unlock)       // want `releases s.mu`
	held()                       // want `held: $`
	<-wait
	s.mu.Lock() // want `Lock s.mu key="locks/a.S.mu"`
	*unlock = sync.Once{}
	held() // want `held: s.mu`
}
