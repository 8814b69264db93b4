package overcap

import "time"

// A channel made in the loop body that starts the goroutine: each turn
// is its own maker, and a turn that leaves on quit abandons its sender.
func poll(quit chan struct{}, f func() T) {
	for {
		c := make(chan T)
		go func() { c <- f() }() // want `goroutine sends on unbuffered channel c, but poll stops receiving when it returns on <-quit`
		select {
		case <-quit:
			return
		case <-c:
		}
	}
}

// ok: each turn receives before the next.
func pollAll(n int, f func() T) []T {
	var out []T
	for i := 0; i < n; i++ {
		c := make(chan T)
		go func() { c <- f() }()
		out = append(out, <-c)
	}
	return out
}

// ok: the buffer lets the sender finish when the turn gives up.
func pollBuffered(quit chan struct{}, f func() T) {
	for {
		c := make(chan T, 1)
		go func() { c <- f() }()
		select {
		case <-quit:
			return
		case <-c:
		}
	}
}

// ok: a timeout turn drains the channel before the next.
func pollTimeout(f func() T) T {
	for {
		c := make(chan T)
		go func() { c <- f() }()
		select {
		case v := <-c:
			return v
		case <-time.After(time.Second):
			<-c
		}
	}
}
