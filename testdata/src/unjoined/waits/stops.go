package waits

import (
	"context"
	"net"
	"net/http"
	"time"
)

func serveBriefly(h http.Handler) {
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: h}
	go srv.ListenAndServe() // want `srv.ListenAndServe starts a goroutine that only Close or Shutdown ends, which serveBriefly never calls`
	time.Sleep(time.Millisecond)
}

// Ticker is a type of the package whose Start starts a goroutine that
// only Stop ends.
type Ticker struct{ done chan struct{} }

func (t *Ticker) Start() {
	go func() {
		<-t.done
	}()
}

func (t *Ticker) Stop() { close(t.done) }

func tick() {
	t := &Ticker{done: make(chan struct{})}
	t.Start() // want `t.Start starts a goroutine that only Stop ends, which tick never calls`
}

// ok: shut down before returning.
func serveAndClose(h http.Handler) {
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: h}
	go srv.ListenAndServe()
	defer srv.Close()
	time.Sleep(time.Millisecond)
}

// ok: the server leaves the function: the caller stops it.
func startServer(h http.Handler) *http.Server {
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: h}
	go srv.ListenAndServe()
	return srv
}

// ok: stored where its owner can stop it.
type App struct{ srv *http.Server }

func (a *App) start(h http.Handler) {
	srv := &http.Server{Handler: h}
	a.srv = srv
	go srv.ListenAndServe()
}

// ok: the receiver belongs to the caller.
func (t *Ticker) restart() {
	t.Start()
}

// ok: stopped on a path the goroutine is started on.
func tickOnce() {
	t := &Ticker{done: make(chan struct{})}
	t.Start()
	t.Stop()
}

// ok: a listener served by a handler goroutine started elsewhere.
func accept(l net.Listener, handle func(net.Conn)) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go handle(c)
	}
}

// ok: main's values live as long as the process.
func main() {
	srv := &http.Server{Addr: ":8080"}
	go srv.ListenAndServe()
	select {}
}

// Poller's goroutine watches the context its Close cancels.
type Poller struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func NewPoller() *Poller {
	p := &Poller{}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	return p
}

func (p *Poller) Start() {
	go func() {
		<-p.ctx.Done()
	}()
}

func (p *Poller) Close() { p.cancel() }

func poll() {
	p := NewPoller()
	p.Start() // want `p.Start starts a goroutine that only Close ends, which poll never calls`
}

// Bot's Start goroutine ends on the caller's context; its Close is an
// API call that stops nothing.
type Bot struct{ token string }

func (b *Bot) Start(ctx context.Context) {
	go func() {
		<-ctx.Done()
	}()
}

func (b *Bot) Close() error { return nil }

// ok: the goroutine ends on the context the caller cancels.
func runBot(ctx context.Context) {
	b := &Bot{token: "t"}
	b.Start(ctx)
}

// Fetcher's goroutine finishes on its own.
type Fetcher struct{ done chan struct{} }

func (f *Fetcher) Prefetch() {
	go func() {
		time.Sleep(time.Millisecond)
	}()
}

func (f *Fetcher) Close() { close(f.done) }

// ok: the goroutine needs no Close to end.
func prefetch() {
	f := &Fetcher{done: make(chan struct{})}
	f.Prefetch()
}

type Owner struct{ p *Poller }

// ok: p is the owner's poller, aliased: the owner stops it.
func (o *Owner) restartPoller() {
	p := o.p
	p.Start()
}
