// Package bounded holds waits whose bound the source states, which
// loopblock does not report in an event context, beside their twins that
// have none.
package bounded

import (
	"context"
	"math/rand"
	"net/http"
	"sync"
	"time"
)

const maxBackoff = 100 * time.Millisecond

type Config struct {
	RetryDelay time.Duration
}

type Server struct {
	mu      sync.Mutex
	cfg     Config
	backoff time.Duration
	events  chan string
	ticks   chan time.Time
}

// pollEvery is set where it is declared and nowhere else: a constant.
var pollEvery = 20 * time.Millisecond

// PollEvery may be set by importers: no bound.
var PollEvery = 20 * time.Millisecond

// ok: an unexported package variable assigned only at its declaration.
func (s *Server) handlePkgVar(w http.ResponseWriter, r *http.Request) {
	time.Sleep(pollEvery)
}

func (s *Server) handleExportedVar(w http.ResponseWriter, r *http.Request) {
	time.Sleep(PollEvery) // want `time.Sleep blocks in HTTP handler Server.handleExportedVar`
}

// retryEvery is set by SetRetry too: no bound.
var retryEvery = 20 * time.Millisecond

func SetRetry(d time.Duration) { retryEvery = d }

func (s *Server) handleSetVar(w http.ResponseWriter, r *http.Request) {
	time.Sleep(retryEvery) // want `time.Sleep blocks in HTTP handler Server.handleSetVar`
}

// ok: a constant pause: the request waits 10ms, not without bound.
func (s *Server) handleConst(w http.ResponseWriter, r *http.Request) {
	time.Sleep(10 * time.Millisecond)
}

// A duration from configuration has no bound here.
func (s *Server) handleConfig(w http.ResponseWriter, r *http.Request) {
	time.Sleep(s.cfg.RetryDelay) // want `time.Sleep blocks in HTTP handler Server.handleConfig`
}

// ok: capped by min with a constant.
func (s *Server) handleMin(w http.ResponseWriter, r *http.Request) {
	time.Sleep(min(s.cfg.RetryDelay, maxBackoff))
}

// max with a configured value has no bound.
func (s *Server) handleMax(w http.ResponseWriter, r *http.Request) {
	time.Sleep(max(s.cfg.RetryDelay, maxBackoff)) // want `time.Sleep blocks in HTTP handler Server.handleMax`
}

// ok: clamped by the if before the call.
func (s *Server) handleClamped(w http.ResponseWriter, r *http.Request) {
	d := s.cfg.RetryDelay * 2
	if d > maxBackoff {
		d = maxBackoff
	}
	time.Sleep(d)
}

// The clamp is undone before the sleep.
func (s *Server) handleUnclamped(w http.ResponseWriter, r *http.Request) {
	d := s.cfg.RetryDelay
	if d > maxBackoff {
		d = maxBackoff
	}
	d *= 2
	time.Sleep(d) // want `time.Sleep blocks in HTTP handler Server.handleUnclamped`
}

// ok: jitter below a constant.
func (s *Server) handleJitter(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Duration(rand.Intn(50)) * time.Millisecond)
}

// ok: a retry loop with a constant count sleeps three times at most.
func (s *Server) handleRetry(w http.ResponseWriter, r *http.Request) {
	for attempt := 0; attempt < 3; attempt++ {
		if s.try() {
			return
		}
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
	}
}

// A poll until a condition sleeps as often as it takes: no bound.
func (s *Server) handlePoll(w http.ResponseWriter, r *http.Request) {
	for !s.try() {
		time.Sleep(10 * time.Millisecond) // want `time.Sleep blocks in HTTP handler Server.handlePoll`
	}
}

// A retry loop with a configured count has no bound.
func (s *Server) handleRetries(w http.ResponseWriter, r *http.Request, n int) {
	for i := 0; i < n; i++ {
		time.Sleep(time.Millisecond) // want `time.Sleep blocks in HTTP handler Server.handleRetries`
	}
}

// ok: the receive waits for a timer of a constant duration.
func (s *Server) handleAfter(w http.ResponseWriter, r *http.Request) {
	<-time.After(time.Second)
}

func (s *Server) try() bool { return s.backoff == 0 }

// backoffIfUnavailable sleeps at most maxBackoff (etcd's watchGRPCStream
// shape): guarded by the if around the call.
func (s *Server) backoffIfUnavailable() {
	if s.backoff < maxBackoff {
		time.Sleep(s.backoff)
	}
}

// backoffConfigured sleeps as long as it is told.
func (s *Server) backoffConfigured() {
	time.Sleep(s.cfg.RetryDelay)
}

// backoffGrowing doubles its back-off on each failure, capped.
func (s *Server) backoffGrowing() {
	s.backoff *= 2
	if s.backoff > maxBackoff {
		s.backoff = maxBackoff
	}
	time.Sleep(s.backoff)
}

func (s *Server) Run(ctx context.Context) {
	for {
		select {
		case <-s.events:
			s.backoffIfUnavailable() // ok: a pause of 100ms at most
			s.backoffGrowing()       // ok: clamped before the sleep
			s.backoffConfigured()    // want `call of bounded.Server.backoffConfigured sleeps \(it reaches time.Sleep`
		case <-s.ticks:
			for range 3 {
				time.Sleep(time.Millisecond) // ok: three pauses
			}
			for {
				s.backoffIfUnavailable() // want `call of bounded.Server.backoffIfUnavailable sleeps`
				if s.try() {
					break
				}
			}
		case <-ctx.Done():
			return
		}
	}
}

// Under a lock, a pause with a bound still stalls every other user of
// the lock for that long: it is reported, with the bound.
func (s *Server) Locked() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.backoffIfUnavailable()     // want `call of bounded.Server.backoffIfUnavailable blocks for up to 100ms \(it reaches time.Sleep at sleep.go:\d+\) while s.mu is held`
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while s.mu is held`
}
