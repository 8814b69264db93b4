package race

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var stopping bool

func work() { time.Sleep(time.Millisecond) }

func worker() {
	for !stopping {
		work()
	}
}

// plainFlag: the handler sets a plain bool that worker polls.
func plainFlag() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go worker()
	<-sigs
	stopping = true // want `signal handler sets stopping without synchronization while worker polls it in a loop`
}

type server struct {
	quit  bool
	count int
	mu    sync.Mutex
	done  atomic.Bool
}

func (s *server) loop() {
	for {
		if s.quit {
			return
		}
		work()
	}
}

// fieldFlag: a field polled by a method, set from a select case.
func (s *server) fieldFlag() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go s.loop()
	go func() {
		for {
			select {
			case <-sigs:
				s.quit = true // want `sets s.quit without synchronization while server.loop polls it`
				return
			case <-time.After(time.Minute):
			}
		}
	}()
}

// capturedLocal: a local of the registering function, polled by it.
func capturedLocal() {
	done := false
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for range sigs {
			done = true // want `sets done without synchronization while capturedLocal polls it`
		}
	}()
	for !done {
		work()
	}
}

var stopAtomic atomic.Bool

// atomicFlag is fine: the handler stores to an atomic the loop loads.
func atomicFlag() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		for !stopAtomic.Load() {
			work()
		}
	}()
	<-sigs
	stopAtomic.Store(true) // ok: atomic
}

// locked is fine: the handler takes the lock the reader takes.
func (s *server) locked() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		for {
			s.mu.Lock()
			q := s.quit
			s.mu.Unlock()
			if q {
				return
			}
			work()
		}
	}()
	<-sigs
	s.mu.Lock()
	s.quit = true // ok: under the lock the reader takes
	s.mu.Unlock()
}

// cancelCtx is fine: the handler cancels the context the workers use.
func cancelCtx() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		for ctx.Err() == nil {
			work()
		}
	}()
	<-sigs
	cancel() // ok: the workers watch ctx
}

// closeChan is fine: the handler closes a channel the workers select on.
func closeChan() {
	quit := make(chan struct{})
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		for {
			select {
			case <-quit:
				return
			default:
				work()
			}
		}
	}()
	<-sigs
	close(quit) // ok: the worker selects on quit
}

// shutdown is fine: the handler calls srv.Shutdown.
func shutdown(srv *http.Server) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() { _ = srv.ListenAndServe() }()
	<-sigs
	if err := srv.Shutdown(context.Background()); err != nil { // ok: Shutdown stops the server
		log.Print(err)
	}
}

var polls int

// notPolled is fine: nobody reads count in a loop.
func notPolled(s *server) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go func() {
		for range sigs {
			polls++ // ok: only read once, outside any loop
		}
	}()
	log.Println(polls)
}

// ownLocal is fine: the handler's own variable.
func ownLocal() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go func() {
		n := 0
		for range sigs {
			n++ // ok: the handler's own counter
			log.Println(n)
		}
	}()
}

var hits int32

// addressTaken is fine: hits is used with sync/atomic elsewhere.
func addressTaken() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go func() {
		for atomic.LoadInt32(&hits) == 0 {
			work()
		}
	}()
	<-sigs
	hits = 1 // ok: address taken for atomics; not this check's call
}

type pool struct{ closing bool }

func (p *pool) isClosing() bool { return p.closing }

func (p *pool) run() {
	for !p.isClosing() {
		work()
	}
}

// getter: the loop polls the flag through a one-line getter.
func (p *pool) getter() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go p.run()
	<-sigs
	p.closing = true // want `sets p.closing without synchronization while pool.run polls it`
}

type gauge struct{ level int }

func (g *gauge) current() int { return g.level }

// notLooped is fine: the getter is only called once, outside any loop.
func (g *gauge) notLooped() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go func() {
		<-sigs
		g.level = 0 // ok: current is not called in a loop
	}()
	log.Println(g.current())
}
