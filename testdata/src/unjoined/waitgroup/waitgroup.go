// Package waitgroup holds WaitGroup misuse that go vet's waitgroup pass
// does not see: a Done skipped on some path, a Wait skipped on some path.
package waitgroup

import (
	"errors"
	"sync"
)

func fetch(i int) error {
	if i < 0 {
		return errors.New("negative")
	}
	return nil
}

// FetchAll calls Done at the end of the goroutine, so the early return
// skips it and Wait hangs (Kubernetes' volume manager shape).
func FetchAll(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			if err := fetch(i); err != nil {
				return // want `goroutine can return here without calling wg.Done: wg.Wait then blocks forever; call defer wg.Done\(\)`
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// FetchAllFixed defers Done.
func FetchAllFixed(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fetch(i); err != nil {
				return // ok: Done is deferred
			}
		}()
	}
	wg.Wait()
}

// FetchAllBranches calls Done on every path without defer.
func FetchAllBranches(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			if err := fetch(i); err != nil {
				wg.Done()
				return // ok: Done is called on this path too
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

type Manager struct {
	wg sync.WaitGroup
}

func (m *Manager) run(i int) error { return fetch(i) }

// Start uses a WaitGroup field; the early return skips Done.
func (m *Manager) Start(n int) {
	for i := range n {
		m.wg.Add(1)
		go func() {
			if err := m.run(i); err != nil {
				return // want `goroutine can return here without calling m.wg.Done`
			}
			m.wg.Done()
		}()
	}
}

// StartFixed defers Done.
func (m *Manager) StartFixed(n int) {
	for i := range n {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			if err := m.run(i); err != nil {
				return // ok: deferred Done
			}
		}()
	}
}

// Sync starts goroutines and returns on a validation error without
// waiting for the ones already started.
func Sync(items []int) error {
	var wg sync.WaitGroup
	for _, it := range items {
		if it < 0 {
			return errors.New("negative item") // want `Sync returns here without calling wg.Wait: the goroutines it started keep running after it returns`
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fetch(it)
		}()
	}
	wg.Wait()
	return nil
}

// SyncFixed validates everything before starting anything.
func SyncFixed(items []int) error {
	for _, it := range items {
		if it < 0 {
			return errors.New("negative item") // ok: nothing started yet
		}
	}
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fetch(it)
		}()
	}
	wg.Wait()
	return nil
}

// SyncDeferred waits on every path with a deferred Wait.
func SyncDeferred(items []int) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, it := range items {
		if it < 0 {
			return errors.New("negative item") // ok: the deferred Wait runs
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fetch(it)
		}()
	}
	return nil
}

// Gather uses Go 1.25's WaitGroup.Go and waits before it receives: the
// goroutines are stuck on their sends and Wait never returns.
func Gather(n int) []int {
	var wg sync.WaitGroup
	out := make(chan int)
	for i := range n {
		wg.Go(func() {
			out <- i // want `goroutines send on unbuffered channel out, but Gather waits for it before receiving`
		})
	}
	wg.Wait()
	close(out)
	var res []int
	for v := range out {
		res = append(res, v)
	}
	return res
}

// GatherFixed sizes the buffer for every goroutine.
func GatherFixed(n int) []int {
	var wg sync.WaitGroup
	out := make(chan int, n)
	for i := range n {
		wg.Go(func() {
			out <- i // ok: the buffer holds every send
		})
	}
	wg.Wait()
	close(out)
	var res []int
	for v := range out {
		res = append(res, v)
	}
	return res
}

// Launch starts goroutines with WaitGroup.Go and never waits.
func Launch(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { fetch(i) }) // want `goroutine of wg is never waited for: Launch never calls wg.Wait`
	}
}

func publish(i int) error { return fetch(i) }

// PublishAll is the false positive found in
// github.com/ThreeDotsLabs/watermill@v1.5.1 (fanin_test.go): wg counts
// messages, not goroutines, so each goroutine calls Done once per message
// in its loop and returns without one at the end.
func PublishAll(topics []string, perTopic int) {
	var wg sync.WaitGroup
	wg.Add(len(topics) * perTopic)
	for range topics {
		go func() {
			for i := 0; i < perTopic; i++ {
				publish(i)
				wg.Done() // ok: one Done per message
			}
		}()
	}
	wg.Wait()
}

// Pool is the false positive found in github.com/jackc/puddle/v2@v2.2.2
// (initResourceValue): destructWG counts live resources, not goroutines.
// The constructor goroutine calls Done when construction fails (the
// resource is gone); on success the resource lives on and its Done comes
// when it is destroyed.
type Pool struct {
	destructWG sync.WaitGroup
}

func (p *Pool) newResource() { p.destructWG.Add(1) }

func (p *Pool) construct() error { return nil }

func (p *Pool) initResource() {
	p.newResource()
	go func() {
		if err := p.construct(); err != nil {
			p.destructWG.Done()
			return
		}
	}() // ok: the parent does not count this goroutine
}
