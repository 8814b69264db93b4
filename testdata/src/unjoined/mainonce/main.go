// Command mainonce: a goroutine started by a function of package main
// that only main or init calls, once, lives as long as the process, as
// main's own goroutines do: it is not a leak. One started per call of a
// function called in a loop, as a value, or through an interface is.
package main

import (
	"net"
	"net/http"
	"time"
)

type Agent struct{ n int }

func newAgent() *Agent { return &Agent{} }

// Start is called once, by main.
func (a *Agent) Start() {
	go a.poll() // ok: started once per process, by main
}

func (a *Agent) poll() {
	for {
		time.Sleep(time.Second)
		a.n++
	}
}

// run is called by Start's caller's caller: still once.
func (a *Agent) run() {
	a.Start()
	a.report()
}

func (a *Agent) report() {
	errc := make(chan error)
	go func() {
		errc <- nil // ok: report runs once per process, from main
	}()
	select {
	case <-errc:
	case <-time.After(time.Second):
	}
}

type Metrics struct{ hits int }

var metrics = newMetrics() // init-time code of main

func newMetrics() *Metrics {
	m := &Metrics{}
	go func() { // ok: started by init-time code, once
		for {
			time.Sleep(time.Minute)
			m.hits = 0
		}
	}()
	return m
}

type Conn struct{ c net.Conn }

// handle is called for every accepted connection: one goroutine per call.
func (c *Conn) handle() {
	go func() { // want `goroutine started by \(\*Conn\).handle loops forever`
		for {
			time.Sleep(time.Second)
		}
	}()
}

type Handler struct{}

// ServeHTTP runs per request (net/http calls it through an interface).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	go h.tick() // want `goroutine started by \(\*Handler\).ServeHTTP loops forever`
}

func (h *Handler) tick() {
	for {
		time.Sleep(time.Second)
	}
}

type Watcher struct{}

// Watch is used as a value (a callback): it may run any number of times.
func (w *Watcher) Watch() {
	go func() { // want `goroutine started by \(\*Watcher\).Watch loops forever`
		for {
			time.Sleep(time.Second)
		}
	}()
}

func register(f func()) { f() }

func main() {
	a := newAgent()
	a.run()
	_ = metrics
	l, _ := net.Listen("tcp", ":0")
	for {
		nc, err := l.Accept()
		if err != nil {
			break
		}
		c := &Conn{c: nc}
		c.handle()
	}
	http.Handle("/", &Handler{})
	register((&Watcher{}).Watch)
}
