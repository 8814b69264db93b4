// Package handler holds HTTP handlers that block without bound, beside
// look-alikes that are bounded.
package handler

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"sync"
	"time"
)

type Server struct {
	db     *sql.DB
	client *http.Client
	events chan string
	delay  time.Duration // configuration: no bound in the source
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Get("http://backend/") // want `http.Get without a timeout or context can block without bound in HTTP handler Server.ServeHTTP: the request and its goroutine hang`
	if err != nil {
		return
	}
	resp.Body.Close()
}

func HandleProxy(w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequest(http.MethodGet, "http://backend/", nil)
	resp, err := http.DefaultClient.Do(req) // want `http.Client.Do without a timeout or context can block without bound in HTTP handler HandleProxy`
	if err != nil {
		return
	}
	resp.Body.Close()
}

func (s *Server) handleDial(w http.ResponseWriter, r *http.Request) {
	c, err := net.Dial("tcp", "backend:80") // want `net.Dial without a timeout can block without bound in HTTP handler Server.handleDial`
	if err != nil {
		return
	}
	c.Close()
}

func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request) {
	s.events <- r.URL.Path // want `channel send on s.events can block without bound in HTTP handler Server.handleEvent`
}

func (s *Server) handleWait(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(s.delay) // ok: in a goroutine of its own.
	}()
	wg.Wait() // want `sync.WaitGroup.Wait can block without bound in HTTP handler Server.handleWait`
}

func (s *Server) handleSleep(w http.ResponseWriter, r *http.Request) {
	time.Sleep(s.delay) // want `time.Sleep blocks in HTTP handler Server.handleSleep`
}

func (s *Server) handleSelect(w http.ResponseWriter, r *http.Request) {
	select { // want `select with no default, ctx.Done\(\) or timer case can block without bound in HTTP handler`
	case e := <-s.events:
		w.Write([]byte(e))
	}
}

func Register(mux *http.ServeMux, s *Server) {
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		helper() // want `call of handler.helper sleeps \(it reaches time.Sleep at handler.go:\d+\) in the HTTP handler for "/slow"`
	})
	mux.Handle("/wrapped", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-s.events // want `channel receive from s.events can block without bound in the HTTP handler for "/wrapped"`
	}))
	// ok: the goroutine is the handler's, not the request's.
	mux.HandleFunc("/async", func(w http.ResponseWriter, r *http.Request) {
		go helper()
		go func() { s.events <- "x" }()
		w.WriteHeader(http.StatusAccepted)
	})
}

// ok: a sleep two calls away is a back-off on a rare path, not followed
// (nats-server's Server.HandleHealthz -> healthz -> readyForConnections).
func (s *Server) HandleHealthz(w http.ResponseWriter, r *http.Request) {
	s.healthz(time.Millisecond)
}

func (s *Server) healthz(d time.Duration) { s.readyForConnections(d) }

func (s *Server) readyForConnections(d time.Duration) {
	if d > 25*time.Millisecond {
		time.Sleep(25 * time.Millisecond)
	}
}

func helper() {
	time.Sleep(HelperDelay)
}

// HelperDelay is an exported variable that importers may set: no bound.
var HelperDelay = 10 * time.Millisecond

// ok: the request carries the handler's context.
func (s *Server) handleCtx(w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "http://backend/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// ok: the client is configured elsewhere, presumably with a timeout.
func (s *Server) handleClient(w http.ResponseWriter, r *http.Request) {
	resp, err := s.client.Get("http://backend/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

func handleNoTimeout(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{Transport: http.DefaultTransport}
	resp, err := c.Get("http://backend/") // want `http.Client.Get without a timeout or context can block without bound in HTTP handler handleNoTimeout`
	if err != nil {
		return
	}
	resp.Body.Close()
}

// ok: a client with a timeout.
func handleTimeout(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://backend/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

// ok: dialing a datagram or local socket does not wait for a peer
// (caddy's sd_notify, reached from its admin handlers).
func handleNotify(w http.ResponseWriter, r *http.Request) {
	addr := &net.UnixAddr{Name: "/run/notify", Net: "unixgram"}
	if c, err := net.DialUnix(addr.Net, nil, addr); err == nil {
		c.Close()
	}
	if c, err := net.Dial("udp", "collector:8125"); err == nil {
		c.Close()
	}
}

// ok: the timer has fired when Stop reports false, so the receive
// only empties its channel (caddy's LoadBalancing.tryAgain).
func handleRetry(w http.ResponseWriter, r *http.Request) {
	timer := time.NewTimer(time.Second)
	select {
	case <-timer.C:
	case <-r.Context().Done():
		if !timer.Stop() {
			<-timer.C
		}
	}
}

// ok: after handing the connection to the upgrade code, the handler
// waits for its copy goroutines (caddy's Handler.finalizeResponse).
func handleUpgradeResponse(wg *sync.WaitGroup, w http.ResponseWriter, r *http.Request) {
	wg.Add(1)
	go wg.Done()
}

func finalizeResponse(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	handleUpgradeResponse(&wg, w, r)
	wg.Wait()
}

// pacer sends count ticks, and stops and closes the channel when ctx is
// done.
func pacer(ctx context.Context, count int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < count; i++ {
			select {
			case ch <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// ok: the channels' producer honours the request's context (go-httpbin's
// HTTPBin.SSE ranging over newPacer(r.Context(), ...)).
func handleStream(w http.ResponseWriter, r *http.Request) {
	for i := range pacer(r.Context(), 10) {
		_ = i
	}
	ticks := pacer(r.Context(), 1)
	<-ticks
}

// group is errgroup.Group in small.
type group struct{ wg sync.WaitGroup }

func withContext(ctx context.Context) (*group, context.Context) { return &group{}, ctx }

func (g *group) Wait() error {
	g.wg.Wait()
	return nil
}

// ok: the group's goroutines end with the request's context.
func handleFanOut(w http.ResponseWriter, r *http.Request) {
	g, ctx := withContext(r.Context())
	_ = ctx
	g.Wait()
}

func handleFanOutNoCtx(w http.ResponseWriter, r *http.Request) {
	var g group
	g.Wait() // want `call of handler.group.Wait can block without bound \(it reaches sync.WaitGroup.Wait at handler.go:\d+\) in HTTP handler handleFanOutNoCtx`
}

// ok: the dial is bounded.
func handleDialTimeout(w http.ResponseWriter, r *http.Request) {
	var d net.Dialer
	c, err := d.DialContext(r.Context(), "tcp", "backend:80")
	if err != nil {
		return
	}
	c.Close()
	c, err = net.DialTimeout("tcp", "backend:80", time.Second)
	if err == nil {
		c.Close()
	}
}

// ok: the query uses the request's context.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), "SELECT 1")
	if err == nil {
		rows.Close()
	}
}

// ok: the send gives up when the client goes away, or when the queue is full.
func (s *Server) handleEventSelect(w http.ResponseWriter, r *http.Request) {
	select {
	case s.events <- r.URL.Path:
	case <-r.Context().Done():
	}
	select {
	case s.events <- r.URL.Path:
	default:
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}
}

// ok: a long poll that waits for the client to go away or a timer.
func (s *Server) handlePoll(w http.ResponseWriter, r *http.Request) {
	select {
	case e := <-s.events:
		w.Write([]byte(e))
	case <-time.After(30 * time.Second):
	}
}

// ok: not a handler; blocking outside an event context is not this check's business.
func fetchAll(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
		}
	}
}

// ok: a handler-shaped function with a context in hand does bounded work.
func handlePure(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	<-ctx.Done()
}

// conn is gorilla/websocket's Conn in small: mu is a lock made of a
// channel of capacity 1.
type conn struct {
	mu   chan struct{}
	send chan []byte
}

// ok: taking and releasing a channel semaphore is like locking a mutex.
func (c *conn) handleWrite(w http.ResponseWriter, r *http.Request) {
	<-c.mu
	defer func() { c.mu <- struct{}{} }()
	w.Write([]byte("x"))
}

// ok: the receives are guarded by the length of the channel (the chat
// example of gorilla/websocket).
func (c *conn) handleDrain(w http.ResponseWriter, r *http.Request) {
	n := len(c.send)
	for i := 0; i < n; i++ {
		w.Write(<-c.send)
	}
}

// A goroutine's result is still waited for: the send in the goroutine
// does not make the receive a semaphore.
func handleJoin(w http.ResponseWriter, r *http.Request) {
	errc := make(chan error)
	go func() {
		_, err := http.Get("http://backend/") // waits without bound
		errc <- err
	}()
	<-errc // want `channel receive from errc can block without bound in HTTP handler handleJoin`
}

// ok: after Hijack the handler is the tunnel's goroutine and waits for
// its copy goroutines on purpose (goproxy's ProxyHttpServer.handleHttps).
func handleConnect(w http.ResponseWriter, r *http.Request) {
	time.Sleep(HelperDelay) // want `time.Sleep blocks in HTTP handler handleConnect`
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		conn.Close()
	}()
	wg.Wait()
}

type upgrader struct{}

func (upgrader) Upgrade(w http.ResponseWriter, r *http.Request, h http.Header) (net.Conn, error) {
	return nil, nil
}

type hub struct{ register chan net.Conn }

// ok: a websocket handler registers its connection with the hub after
// the upgrade (gorilla/websocket's chat example).
func serveWs(h *hub, w http.ResponseWriter, r *http.Request) {
	c, err := upgrader{}.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	h.register <- c
}

// A helper that takes the request and its writer is a handler too.
func serveStatus(h *hub, w http.ResponseWriter, r *http.Request) {
	h.register <- nil // want `channel send on h.register can block without bound in HTTP handler serveStatus`
}

// ok: the helpers report for themselves.
func RegisterWs(mux *http.ServeMux, h *hub) {
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		serveWs(h, w, r)
		serveStatus(h, w, r)
	})
}

// A handler literal that is not registered on the spot is named after
// the function that holds it.
func NewHandler(s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.events <- "new" // want `channel send on s.events can block without bound in the HTTP handler literal in NewHandler`
	})
}

// The sleep is in the handler and under the literal's lock: one finding,
// about the lock.
func (s *Server) handleInline(w http.ResponseWriter, r *http.Request) {
	var mu sync.Mutex
	func() {
		mu.Lock()
		defer mu.Unlock()
		time.Sleep(time.Millisecond) // want `time.Sleep blocks while mu is held`
	}()
}
