// Package realworld holds, abbreviated, the signal handling of the real
// daemons sigstate was tried on; none of it is a finding.
package realworld

import (
	"context"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Server is shaped after nats-server's server/signal.go.
type Server struct {
	mu     sync.Mutex
	ldm    bool
	quitCh chan struct{}
}

func (s *Server) Shutdown()        {}
func (s *Server) WaitForShutdown() {}
func (s *Server) ReOpenLogFile()   {}
func (s *Server) lameDuckMode()    {}
func (s *Server) Reload() error    { return nil }

func (s *Server) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGINT, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP) // ok: every signal has a case
	go func() {
		for {
			select {
			case sig := <-c:
				s.handleSignal(sig)
			case <-s.quitCh:
				return
			}
		}
	}()
}

func (s *Server) handleSignal(sig os.Signal) {
	log.Printf("Trapped %q signal", sig)
	switch sig {
	case syscall.SIGINT:
		s.Shutdown()
		s.WaitForShutdown()
		os.Exit(0) // ok: shut down first
	case syscall.SIGTERM:
		s.mu.Lock()
		ldm := s.ldm
		s.mu.Unlock()
		if !ldm {
			s.Shutdown()
			s.WaitForShutdown()
			os.Exit(0)
		}
	case syscall.SIGUSR1:
		s.ReOpenLogFile()
	case syscall.SIGUSR2:
		go s.lameDuckMode()
	case syscall.SIGHUP:
		if err := s.Reload(); err != nil {
			log.Printf("Failed to reload server configuration: %s", err)
		}
	}
}

func exitProcessFromSignal(name string) {}

// trapSignalsPosix is shaped after caddy's sigtrap_posix.go.
func trapSignalsPosix() {
	go func() {
		sigchan := make(chan os.Signal, 1)
		signal.Notify(sigchan, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2)
		for sig := range sigchan {
			switch sig {
			case syscall.SIGQUIT:
				log.Println("quitting process immediately")
				os.Exit(2)
			case syscall.SIGTERM:
				log.Println("shutting down apps, then terminating")
				exitProcessFromSignal("SIGTERM")
			case syscall.SIGUSR1:
				log.Println("reloading")
			case syscall.SIGUSR2:
				log.Println("not implemented") // ok: SIGUSR2 is not a termination signal
			case syscall.SIGHUP:
				log.Println("not implemented") // ok: SIGHUP is deliberately ignored
			}
		}
	}()
}

// trapSignalsCrossPlatform is shaped after caddy's sigtrap.go: a second
// interrupt forces the exit.
func trapSignalsCrossPlatform() {
	go func() {
		shutdown := make(chan os.Signal, 1)
		signal.Notify(shutdown, os.Interrupt)
		for i := 0; true; i++ {
			<-shutdown
			if i > 0 {
				log.Println("force quit")
				os.Exit(2) // ok: nothing deferred here
			}
			log.Println("shutting down")
			go exitProcessFromSignal("SIGINT")
		}
	}()
}

// reloadLoop is shaped after alertmanager's cmd/alertmanager/main.go.
func reloadLoop() {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-hup:
				select {
				case reload <- struct{}{}:
				default:
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-reload:
		case <-ctx.Done():
			return
		}
	}
}

type config struct{}

type agent struct{}

func (c *agent) handleReload(cfg *config) *config { return cfg }

// serfWait is shaped after serf's cmd/serf/command/agent/command.go:
// config is reassigned with =, not redeclared.
func serfWait(c *agent, config *config, shutdownCh <-chan struct{}) int {
	signalCh := make(chan os.Signal, 4)
	signal.Notify(signalCh, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
WAIT:
	var sig os.Signal
	select {
	case s := <-signalCh:
		sig = s
	case <-shutdownCh:
		sig = os.Interrupt
	}
	if sig == syscall.SIGHUP {
		config = c.handleReload(config) // ok: assigns the outer config
		goto WAIT
	}
	return 0
}
