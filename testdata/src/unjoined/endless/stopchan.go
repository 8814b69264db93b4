package endless

import (
	"sync/atomic"
	"time"
)

// Poller has a stop channel that Stop forgets to close (the "stop
// channel never closed" leak of many Kubernetes controllers).
type Poller struct {
	stopCh  chan struct{}
	stopped atomic.Bool
}

func (p *Poller) poll() {}

func NewPoller() *Poller {
	p := &Poller{stopCh: make(chan struct{})}
	go p.run() // want `goroutine started by NewPoller can only stop on the Poller field stopCh, which nothing in the package closes or sends on: it leaks; close stopCh in \(\*Poller\).Stop`
	return p
}

func (p *Poller) run() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.poll()
		case <-p.stopCh:
			return
		}
	}
}

func (p *Poller) Stop() { p.stopped.Store(true) }

// FixedPoller's Stop closes the channel.
type FixedPoller struct {
	stopCh chan struct{}
}

func (p *FixedPoller) poll() {}

func NewFixedPoller() *FixedPoller {
	p := &FixedPoller{stopCh: make(chan struct{})}
	go p.run() // ok: Stop closes stopCh
	return p
}

func (p *FixedPoller) run() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.poll()
		case <-p.stopCh:
			return
		}
	}
}

func (p *FixedPoller) Stop() { close(p.stopCh) }

type conn struct{}

func (conn) Close() error { return nil }

// Session waits for a quit signal that nothing sends.
type Session struct {
	quit chan bool
	c    conn
}

func (s *Session) Open() {
	s.quit = make(chan bool)
	go func() { // want `goroutine started by \(\*Session\).Open can only stop on the Session field quit`
		<-s.quit
		s.c.Close()
	}()
}

// FixedSession's Close sends the quit signal.
type FixedSession struct {
	quit chan bool
	c    conn
}

func (s *FixedSession) Open() {
	s.quit = make(chan bool)
	go func() { // ok: Close sends on quit
		<-s.quit
		s.c.Close()
	}()
}

func (s *FixedSession) Close() { s.quit <- true }

// Exported channel fields may be closed by other packages.
type Exported struct {
	Done chan struct{}
}

func (e *Exported) Start() {
	go func() { // ok: Done is exported
		<-e.Done
	}()
}

// Watcher's Watch never returns: the goroutine it starts lives as long
// as Watch, which is the process.
type Watcher struct{ events chan string }

func (w *Watcher) Watch(rescan func()) {
	go func() { // ok: its starter never returns
		for {
			time.Sleep(time.Second)
			rescan()
		}
	}()
	<-make(chan struct{})
}

// Rescan returns after starting the same loop: it leaks.
func (w *Watcher) Rescan(rescan func()) {
	go func() { // want `goroutine started by \(\*Watcher\).Rescan loops forever with no way to stop it`
		for {
			time.Sleep(time.Second)
			rescan()
		}
	}()
}
