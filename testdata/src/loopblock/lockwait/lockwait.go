// Package lockwait holds joins of goroutines made while a mutex is held:
// look-alikes of real lifecycle code that waits for goroutines it has
// just told to stop (not reported), beside waits that are not bounded
// that way and joins of goroutines that take the held lock themselves.
package lockwait

import (
	"context"
	"net/http"
	"sync"
	"time"

	"loopblock/lockwaitlib"
)

// consumer is shaped like nats-server's consumer: monitorMu serialises
// the monitor goroutine's start against its stop.
type consumer struct {
	mu        sync.RWMutex
	monitorMu sync.Mutex
	monitorWg sync.WaitGroup
	mqch      chan struct{}
	inMonitor bool
}

func (o *consumer) signalMonitorQuit() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.mqch != nil {
		close(o.mqch)
		o.mqch = nil
	}
}

func (o *consumer) shouldStartMonitor() bool {
	o.monitorMu.Lock()
	defer o.monitorMu.Unlock()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.inMonitor {
		return false
	}
	o.inMonitor = true
	o.monitorWg.Add(1)
	return true
}

func (o *consumer) clearMonitorRunning() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.inMonitor {
		o.monitorWg.Done()
		o.inMonitor = false
	}
}

func (o *consumer) monitor(quit <-chan struct{}) {
	defer o.clearMonitorRunning()
	<-quit
}

func (o *consumer) start() {
	if o.shouldStartMonitor() {
		go o.monitor(o.mqch)
	}
}

// ok: the monitor has been told to quit (signalMonitorQuit closes
// o.mqch) and never takes monitorMu: the wait is the join of a shutdown
// (nats-server consumer.go:7176, stream.go:9762).
func (o *consumer) stopMonitoring() {
	o.monitorMu.Lock()
	defer o.monitorMu.Unlock()
	o.signalMonitorQuit()
	o.monitorWg.Wait()
}

// The stop signal comes after the wait: nothing has told the monitor
// to quit yet.
func (o *consumer) stopMonitoringLate() {
	o.monitorMu.Lock()
	defer o.monitorMu.Unlock()
	o.monitorWg.Wait() // want `sync.WaitGroup.Wait can block without bound while o.monitorMu is held`
	o.signalMonitorQuit()
}

// pump is a worker whose loop takes the lock that Stop holds.
type pump struct {
	mu    sync.Mutex
	quit  chan struct{}
	wg    sync.WaitGroup
	tick  chan int
	count int
}

func (p *pump) Start() {
	p.wg.Add(1)
	go p.loop()
}

func (p *pump) loop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.quit:
			return
		case n := <-p.tick:
			p.mu.Lock()
			p.count += n
			p.mu.Unlock()
		}
	}
}

// The loop may be waiting for p.mu when quit is closed: it never sees
// the signal, and Stop never returns.
func (p *pump) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.quit)
	p.wg.Wait() // want `sync.WaitGroup.Wait while p.mu is held waits for goroutine pump.loop, which locks p.mu too: they deadlock`
}

// ok: the lock is released before the join.
func (p *pump) StopUnlocked() {
	p.mu.Lock()
	close(p.quit)
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *pump) waitForExits() { p.wg.Wait() }

// ok: the lock is released around the join (nats.go's
// Conn.doReconnect).
func (p *pump) reconnect() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := 0; i < 3; i++ {
		close(p.quit)
		p.mu.Unlock()
		p.wg.Wait()
		p.waitForExits()
		p.mu.Lock()
	}
}

// monitor's run goroutine never takes mu; reset's goroutine does, but
// only inside Stop, which waits for the same group: it is a second
// stopper, not a goroutine Stop waits for (nats-server's stream reset
// goroutine calls stopMonitoring).
type monitor struct {
	mu      sync.Mutex
	quit    chan struct{}
	wg      sync.WaitGroup
	running bool
}

func (m *monitor) run() {
	defer m.clearRunning()
	<-m.quit
}

func (m *monitor) clearRunning() {
	if m.running {
		m.running = false
		m.wg.Done()
	}
}

func (m *monitor) start() {
	m.wg.Add(1)
	m.running = true
	go m.run()
}

func (m *monitor) reset() {
	go func() {
		m.Stop()
		m.clearRunning()
	}()
}

// restart takes m.mu only to guard the Add: while it waits for the
// lock it is not counted in m.wg, and Stop does not wait for it
// (nats-server's consumer.shouldStartMonitor, called on the way to a
// goroutine that clears the running state).
func (m *monitor) restart() {
	go func() {
		if m.shouldStart() {
			go m.run()
		} else {
			m.clearRunning()
		}
	}()
}

func (m *monitor) shouldStart() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.running {
		return false
	}
	m.running = true
	m.wg.Add(1)
	return true
}

// ok: run exits on quit without taking m.mu.
func (m *monitor) Stop() {
	m.mu.Lock()
	defer m.mu.Unlock()
	close(m.quit)
	m.wg.Wait()
}

// client is shaped like river's Client: startStopMu is its lifecycle
// mutex.
type client struct {
	startStopMu sync.Mutex
	producers   []interface{ Stop() }
	maintainer  *lockwaitlib.Service
	workCancel  context.CancelCauseFunc
	epoch       int
}

// ok: StopAllParallel joins goroutines that only call Stop methods
// (river client.go:1243, 1306, 1327).
func (c *client) stop(cause error) {
	c.startStopMu.Lock()
	defer c.startStopMu.Unlock()
	lockwaitlib.StopAllParallel(c.producers...)
	c.workCancel(cause)
	lockwaitlib.StopAllParallel(c.producers...)
}

// ok: Service.Stop cancels the service and then joins it; it does not
// block beyond that (river queue_maintainer_leader.go:164).
func (c *client) restart(epoch int) {
	c.startStopMu.Lock()
	if c.epoch == epoch {
		c.maintainer.Stop()
	}
	c.startStopMu.Unlock()
}

// stopSlowly joins goroutines that sleep: the join is as long as the
// sleep.
func (c *client) stopSlowly() {
	c.startStopMu.Lock()
	defer c.startStopMu.Unlock()
	var wg sync.WaitGroup
	for range c.producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Second)
		}()
	}
	wg.Wait() // want `sync.WaitGroup.Wait blocks for up to 1s while c.startStopMu is held`
}

// countAll joins goroutines started on the spot that take the lock the
// caller holds: a certain deadlock.
func (c *client) countAll() int {
	c.startStopMu.Lock()
	defer c.startStopMu.Unlock()
	var wg sync.WaitGroup
	n := 0
	for range c.producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.startStopMu.Lock()
			n++
			c.startStopMu.Unlock()
		}()
	}
	wg.Wait() // want `sync.WaitGroup.Wait while c.startStopMu is held waits for the goroutine started at lockwait.go:\d+, which locks c.startStopMu too`
	return n
}

// handOff hands the WaitGroup to a helper: the goroutines are not known.
func (c *client) handOff() {
	c.startStopMu.Lock()
	defer c.startStopMu.Unlock()
	var wg sync.WaitGroup
	spawn(&wg)
	wg.Wait() // want `sync.WaitGroup.Wait can block without bound while c.startStopMu is held`
}

func spawn(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() { defer wg.Done() }()
}

// failover is shaped like go-redis's sentinelFailover.
type failover struct {
	mu    sync.RWMutex
	addrs []string
}

func probe(ctx context.Context, addr string) error { return ctx.Err() }

// ok: the goroutines do not block as far as the analysis knows (their
// sends go to a channel with room for each), and errCh is closed before
// the range drains it (go-redis sentinel.go:1091, 1097).
func (c *failover) masterAddr(ctx context.Context) []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var wg sync.WaitGroup
	errCh := make(chan error, len(c.addrs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, addr := range c.addrs {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			if err := probe(ctx, addr); err != nil {
				errCh <- err
				return
			}
			cancel()
		}(addr)
	}
	wg.Wait()
	close(errCh)
	var errs []error
	for err := range errCh {
		errs = append(errs, err)
	}
	return errs
}

// fetchAll joins goroutines that make requests without a timeout.
func (c *failover) fetchAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var wg sync.WaitGroup
	for _, addr := range c.addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := http.Get(addr); err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait() // want `sync.WaitGroup.Wait can block without bound while c.mu is held`
}

// The channel is closed on one path only: the range may wait.
func (c *failover) drainSometimes(errCh chan error, done bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if done {
		close(errCh)
	}
	for err := range errCh { // want `range over channel errCh can block without bound while c.mu is held`
		_ = err
	}
}

// The channel is closed, then replaced by an open one.
func (c *failover) renew(errCh chan error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(errCh)
	errCh = make(chan error)
	for err := range errCh { // want `range over channel errCh can block without bound while c.mu is held`
		_ = err
	}
}

// A range over a channel nobody has closed waits for its producer.
func (c *failover) watch(events chan string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ev := range events { // want `range over channel events can block without bound while c.mu is held`
		_ = ev
	}
}

// serf is shaped like hashicorp/serf's Serf.
type serf struct {
	stateLock   sync.Mutex
	shutdownCh  chan struct{}
	snapshotter *lockwaitlib.Snapshotter
	snap        *snapshotter
}

// ok: the snapshotter exits on shutdownCh, closed just before (serf
// serf.go:885).
func (s *serf) Shutdown() {
	s.stateLock.Lock()
	defer s.stateLock.Unlock()
	close(s.shutdownCh)
	if s.snapshotter != nil {
		s.snapshotter.Wait()
	}
}

// Nothing has told the snapshotter to stop.
func (s *serf) Flush() {
	s.stateLock.Lock()
	defer s.stateLock.Unlock()
	s.snapshotter.Wait() // want `call of lockwaitlib.Snapshotter.Wait can block without bound \(it reaches channel receive from s.waitCh at lib.go:\d+\) while s.stateLock is held`
}

// snapshotter is a local one whose stream goroutine takes the serf's
// lock on its way out.
type snapshotter struct {
	serf   *serf
	waitCh chan struct{}
}

func (s *snapshotter) Wait() { <-s.waitCh }

func (s *snapshotter) stream() {
	<-s.serf.shutdownCh
	s.serf.stateLock.Lock()
	s.serf.stateLock.Unlock()
	close(s.waitCh)
}

func (s *serf) startSnapshot() {
	s.snap = &snapshotter{serf: s, waitCh: make(chan struct{})}
	go s.snap.stream()
}

// The stream goroutine needs stateLock before it closes waitCh.
func (s *serf) ShutdownLocal() {
	s.stateLock.Lock()
	defer s.stateLock.Unlock()
	close(s.shutdownCh)
	s.snap.Wait() // want `call of lockwait.snapshotter.Wait while s.stateLock is held waits for goroutine snapshotter.stream, which locks s.stateLock too`
}

// watcher is shaped like pgx's ctxwatch.ContextWatcher.
type watcher struct {
	lock   sync.Mutex
	stop   func() bool
	done   chan struct{}
	cancel func()
	count  int
	wg     sync.WaitGroup
}

func (cw *watcher) Watch(ctx context.Context, onCancel func()) {
	cw.lock.Lock()
	defer cw.lock.Unlock()
	cw.done = make(chan struct{})
	cw.stop = context.AfterFunc(ctx, func() {
		onCancel()
		close(cw.done)
	})
}

// ok: stop unregisters the callback or reports that it has started;
// the receive waits for a callback that never takes cw.lock (pgx
// context_watcher.go:57).
func (cw *watcher) Unwatch() {
	cw.lock.Lock()
	defer cw.lock.Unlock()
	if cw.stop != nil {
		if !cw.stop() {
			<-cw.done
		}
		cw.stop = nil
		cw.done = nil
	}
}

// countingWatcher's callback takes cw.lock before it closes done.
type countingWatcher struct {
	lock  sync.Mutex
	stop  func() bool
	done  chan struct{}
	count int
}

func (cw *countingWatcher) Watch(ctx context.Context) {
	cw.lock.Lock()
	defer cw.lock.Unlock()
	cw.done = make(chan struct{})
	cw.stop = context.AfterFunc(ctx, func() {
		cw.lock.Lock()
		cw.count++
		cw.lock.Unlock()
		close(cw.done)
	})
}

// Unwatch may wait for the callback, which waits for cw.lock.
func (cw *countingWatcher) Unwatch() {
	cw.lock.Lock()
	defer cw.lock.Unlock()
	if !cw.stop() {
		<-cw.done // want `channel receive from cw.done while cw.lock is held waits for the goroutine started at lockwait.go:\d+, which locks cw.lock too`
	}
}

// cancel is a plain func field, not known to stop anything: the
// receive waits for whatever closes done.
func (cw *watcher) Reset() {
	cw.lock.Lock()
	defer cw.lock.Unlock()
	cw.cancel()
	<-cw.done // want `channel receive from cw.done can block without bound while cw.lock is held`
}

// A generator closes its own channel: calling it stops nothing.
func (cw *watcher) Sum() int {
	cw.lock.Lock()
	defer cw.lock.Unlock()
	n := 0
	for v := range lockwaitlib.Squares(3) {
		n += v
	}
	cw.wg.Wait() // want `sync.WaitGroup.Wait can block without bound while cw.lock is held`
	return n
}

// api is shaped like alertmanager's API.
type api struct {
	mtx    sync.RWMutex
	alerts provider
	items  []string
	ticks  chan string
}

type provider interface{ GetPending() iterator }

type iterator interface{ Next() <-chan string }

// ok: Pending's goroutine sends a snapshot and closes the channel: the
// range ends without anyone else.
func (a *api) list(done chan struct{}) int {
	a.mtx.RLock()
	defer a.mtx.RUnlock()
	n := 0
	pending := lockwaitlib.Pending(a.items, done)
	for range pending {
		n++
	}
	return n
}

// Follow forwards a channel that may stay open forever.
func (a *api) follow() {
	a.mtx.RLock()
	defer a.mtx.RUnlock()
	for t := range lockwaitlib.Follow(a.ticks) { // want `range over channel lockwaitlib.Follow\(a.ticks\) can block without bound while a.mtx is held`
		_ = t
	}
}

// LIMIT: alertmanager api/v2/api.go:307 ranges over alerts.Next(), an
// interface method of an interface returned by another interface method.
// Its one implementation in alertmanager's mem provider is a snapshot
// generator (GetPending), but the same AlertIterator type comes from
// Subscribe, whose channel stays open; which provider and which iterator
// run is decided at run time, out of reach of a per-package analysis, so
// the range is reported.
func (a *api) getAlerts() int {
	a.mtx.RLock()
	defer a.mtx.RUnlock()
	n := 0
	for range a.alerts.GetPending().Next() { // want `range over channel a.alerts.GetPending\(\).Next\(\) can block without bound while a.mtx is held`
		n++
	}
	return n
}

// hub joins goroutines in the ways the ones above do, with look-alikes
// whose goroutines take another lock or belong to another group.
type hub struct {
	mu     sync.Mutex
	statMu sync.Mutex
	quit   chan struct{}
	done   chan struct{}
	wg     sync.WaitGroup
	bg     sync.WaitGroup
	peers  []string
	stats  int
}

func (h *hub) start() {
	h.wg.Add(2)
	go h.tally()
	go h.serve()
}

// tally takes statMu, not mu.
func (h *hub) tally() {
	defer h.wg.Done()
	for {
		select {
		case <-h.quit:
			return
		case <-time.After(time.Second):
			h.statMu.Lock()
			h.stats++
			h.statMu.Unlock()
		}
	}
}

func (h *hub) serve() {
	defer h.wg.Done()
	<-h.quit
}

// background belongs to h.bg, which Stop does not wait for.
func (h *hub) background() {
	h.bg.Add(1)
	go func() {
		defer h.bg.Done()
		h.mu.Lock()
		h.stats = 0
		h.mu.Unlock()
	}()
}

// ok: the goroutines Stop waits for take statMu, not mu; the one that
// takes mu belongs to another group.
func (h *hub) Stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	close(h.quit)
	h.wg.Wait()
}

// ok: done is closed just before: the receive returns at once.
func (h *hub) finish() {
	h.mu.Lock()
	defer h.mu.Unlock()
	close(h.done)
	<-h.done
}

// ok: WaitGroup.Go goroutines that do not block themselves.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	var wg sync.WaitGroup
	n := make([]int, len(h.peers))
	for i, p := range h.peers {
		wg.Go(func() { n[i] = len(p) })
	}
	wg.Wait()
	return len(n)
}

// A WaitGroup.Go goroutine that takes the lock held across the wait.
func (h *hub) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	var wg sync.WaitGroup
	wg.Go(func() {
		h.mu.Lock()
		h.stats = 0
		h.mu.Unlock()
	})
	wg.Wait() // want `sync.WaitGroup.Wait while h.mu is held waits for the goroutine started at lockwait.go:\d+, which locks h.mu too`
}

// ok: the stop function of context.AfterFunc, held in a local
// variable, then a join of the callback it reports started.
func (h *hub) watch(ctx context.Context) {
	h.mu.Lock()
	defer h.mu.Unlock()
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { close(done) })
	if !stop() {
		<-done
	}
}
