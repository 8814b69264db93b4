package shadow

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type config struct{ Workers int }

func load(path string) (*config, error) { return &config{}, nil }

var running = true

var cfg *config

var stopped atomic.Bool

func worker(jobs <-chan int) {
	for running {
		select {
		case j := <-jobs:
			_ = j * cfg.Workers
		case <-time.After(time.Second):
		}
	}
}

// flagShadow is the talk's example: running := false binds a new local.
func flagShadow() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		running := false // want `declares a new running that shadows the running read by worker`
		log.Println("stopping, running =", running)
	}()
	worker(make(chan int))
}

// reloadShadow: cfg, err := load() inside the SIGHUP handler.
func reloadShadow(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			cfg, err := load(path) // want `declares a new cfg that shadows the cfg read by worker`
			if err != nil {
				log.Printf("reload: %v", err)
				continue
			}
			log.Printf("reloaded: %d workers", cfg.Workers)
		}
	}()
}

// varShadow: the var form.
func varShadow() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		sig := <-sigs
		var running = false // want `declares a new running that shadows`
		log.Println(sig, running)
	}()
}

// selectShadow: the handler is a select case.
func selectShadow(done chan struct{}) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	for {
		select {
		case <-sigs:
			running := false // want `shadows the running read by worker`
			_ = running
		case <-done:
			return
		}
	}
}

// newLocal is fine: stopAt is declared fresh, nothing outside has that name.
func newLocal() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		stopAt := time.Now() // ok: a genuinely new local
		log.Println("stopping at", stopAt)
		stopped.Store(true)
	}()
}

// usedLocally is fine: the new cfg is handed to apply, it is used for itself.
func usedLocally(path string, apply func(*config)) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			cfg, err := load(path) // ok: handed on to apply
			if err != nil {
				continue
			}
			apply(cfg)
		}
	}()
}

// shutdownCtx is fine: a fresh context for the shutdown is the idiom.
func shutdownCtx(ctx context.Context, srv *http.Server) {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	go func() { _ = srv.ListenAndServe() }()
	go serve(ctx)
	<-ctx.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // ok: a fresh shutdown context
	defer cancel()
	_ = srv.Shutdown(ctx)
}

func serve(ctx context.Context) {
	for ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
}

// otherType is fine: the outer running is a bool, this one a string.
func otherType() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		running := "no" // ok: a different type, a different thing
		log.Println(running)
		running2 := running
		_ = running2
	}()
}

// readBefore is fine: the outer count is only read before the handler starts.
func readBefore() {
	count := 0
	log.Println(count)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go func() {
		<-sigs
		count := 1 // ok: nothing reads the outer count once the handler runs
		log.Println(count)
	}()
}

// notHandler is fine: no signal is received before the :=.
func notHandler() {
	running := false // ok: not in a signal handler
	log.Println(running)
}

// fieldLogged: the new running only reaches a log line, through a
// formatting helper.
func fieldLogged() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		running := false // want `declares a new running that shadows`
		log.Print(fmt.Sprint("running=", running))
	}()
}

func decide(b bool) bool { return !b }

// handedToHelper is fine: the new value is used by decide.
func handedToHelper() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		running := false // ok: decide uses it
		if decide(running) {
			stopped.Store(true)
		}
	}()
}

var (
	mu     sync.Mutex
	paused bool
)

func pollPaused() {
	for {
		mu.Lock()
		p := paused
		mu.Unlock()
		if p {
			return
		}
	}
}

// lockedShadow: the handler holds the lock the reader takes, so = is
// the whole cure and the fix is offered.
func lockedShadow() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go func() {
		<-sigs
		mu.Lock()
		paused := true // want `declares a new paused that shadows the paused read by pollPaused`
		log.Println("paused:", paused)
		mu.Unlock()
	}()
}

// reloadLocked: the reload holds the lock; the fix declares err apart.
func reloadLocked(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			mu.Lock()
			cfg, err := load(path) // want `declares a new cfg that shadows the cfg read by worker`
			mu.Unlock()
			if err != nil {
				continue
			}
			log.Printf("reloaded: %d workers", cfg.Workers)
		}
	}()
}
