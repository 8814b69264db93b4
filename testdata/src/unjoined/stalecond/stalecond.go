package stalecond

import "sync"

type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
	n     int
	done  bool
}

func (q *queue) put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.n++
	q.mu.Unlock()
	q.cond.Signal()
}

// takeCopy waits on a copy of the length: a wake-up never sees the put.
func (q *queue) takeCopy() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.n
	for n == 0 {
		q.cond.Wait() // want `q.cond.Wait waits for n == 0 to change, but it reads only local variables`
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.n--
	return v
}

// waitReady waits on a flag it copied before the loop.
func (q *queue) waitReady() {
	q.mu.Lock()
	ready := q.done
	for !ready {
		q.cond.Wait() // want `waits for !ready to change`
	}
	q.mu.Unlock()
}

func (q *queue) take() int { // ok: the field is the condition
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n == 0 {
		q.cond.Wait()
	}
	q.n--
	return q.items[0]
}

func (q *queue) takeReload() int { // ok: the copy is refreshed each turn
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.n
	for n == 0 {
		q.cond.Wait()
		n = q.n
	}
	q.n--
	return n
}

func (q *queue) takeLen() int { // ok: a call reads shared state
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	return q.items[0]
}

func (q *queue) waitCaptured() { // ok: a closure can set it
	q.mu.Lock()
	defer q.mu.Unlock()
	stop := false
	go func() {
		q.mu.Lock()
		stop = true
		q.mu.Unlock()
		q.cond.Broadcast()
	}()
	for !stop {
		q.cond.Wait()
	}
}

func (q *queue) waitPointer() { // ok: the address is handed out
	q.mu.Lock()
	defer q.mu.Unlock()
	var stop bool
	register(&stop)
	for !stop {
		q.cond.Wait()
	}
}

var registered []*bool

func register(b *bool) { registered = append(registered, b) }

func (q *queue) counted(want int) { // ok: incremented in the body
	q.mu.Lock()
	defer q.mu.Unlock()
	got := 0
	for got < want {
		q.cond.Wait()
		got++
	}
}

var global bool

func (q *queue) waitGlobal() { // ok: a package variable is shared
	q.mu.Lock()
	defer q.mu.Unlock()
	for !global {
		q.cond.Wait()
	}
}
