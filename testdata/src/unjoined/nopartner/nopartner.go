// Package nopartner holds receives that nothing can complete, beside
// look-alikes whose partner exists.
package nopartner

type Server struct {
	done    chan struct{}
	stopped chan struct{}
	ready   chan struct{}
	results chan int
	Events  chan int // exported: another package may send
}

func New() *Server {
	return &Server{done: make(chan struct{}), stopped: make(chan struct{}), ready: make(chan struct{}), results: make(chan int)}
}

// Wait waits for a done that nothing closes.
func (s *Server) Wait() {
	<-s.done // want `receive from the field done blocks forever: nothing in the package sends on it or closes it`
}

func selfWait() int {
	c := make(chan int)
	defer close(c)
	return <-c // want `receive blocks forever: nothing sends on this channel, and its only close is deferred, so it runs when selfWait returns`
}

// ok: Stop closes stopped.
func (s *Server) WaitStopped() { <-s.stopped }

func (s *Server) Stop() { close(s.stopped) }

// ok: a goroutine sends the result.
func (s *Server) Result() int { return <-s.results }

func (s *Server) compute() { go func() { s.results <- 42 }() }

// ok: the field is handed out, so its partner may be elsewhere.
func (s *Server) Ready() <-chan struct{} { return s.ready }

func (s *Server) WaitReady() { <-s.ready }

// ok: exported fields can be sent on by other packages.
func (s *Server) Next() int { return <-s.Events }

// ok: a goroutine closes the channel before the receive can hang.
func closedByGoroutine() {
	c := make(chan int)
	defer close(c)
	go func() { c <- 1 }()
	<-c
}

// ok: closed now, not deferred.
func closedNow() int {
	c := make(chan int)
	close(c)
	return <-c
}

// ok: handed to a function that may send.
func handed(f func(chan int)) int {
	c := make(chan int)
	defer close(c)
	go f(c)
	return <-c
}
