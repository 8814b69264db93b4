// Package loopsheld holds look-alikes of "defer x.Close() in a loop" on
// real code: where the deferred Close is right (the resource outlives
// its iteration, or nothing is held at the end of the iteration) and
// where it still keeps every iteration's resource open.
package loopsheld

import (
	"bufio"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
)

func connect() (net.Conn, *bufio.Reader) {
	c, err := net.Dial("tcp", "localhost:4222")
	if err != nil {
		panic(err)
	}
	return c, bufio.NewReader(c)
}

func dial() net.Conn {
	c, _ := connect()
	return c
}

func use(...any) {}

// ok: nats-server mqtt_test.go:8893: the connection is stored in the
// test case, which the second loop reads after this one.
func storedInTestCase() {
	tests := []*struct {
		topic string
		mc    net.Conn
		r     *bufio.Reader
	}{{topic: "a"}, {topic: "b"}}
	for _, test := range tests {
		test.mc, test.r = connect()
		defer test.mc.Close()
		use(test.mc, test.r)
	}
	for _, test := range tests {
		use(test.mc, test.r, test.topic)
	}
}

// ok: nats-server websocket_test.go:5069: the connection goes into a
// struct appended to pubs, which is used after the loop.
func appendedInStruct(n int) {
	type pub struct {
		c  net.Conn
		br *bufio.Reader
		bw *bufio.Writer
	}
	var pubs []pub
	for i := 0; i < n; i++ {
		wsc, br := connect()
		defer wsc.Close()
		bw := bufio.NewWriterSize(wsc, 1024)
		pubs = append(pubs, pub{wsc, br, bw})
	}
	for i := 0; i < n; i++ {
		p := pubs[i]
		go func(p pub) { p.bw.Flush() }(p)
	}
}

// ok: nats-server websocket_test.go:5227: the reader over the
// connection, returned with it, is appended to subs and read after the
// loop.
func readerAppended(n int) {
	var subs []*bufio.Reader
	for i := 0; i < n; i++ {
		wsc, br := connect()
		defer wsc.Close()
		wsc.Write([]byte("SUB foo 1\r\n"))
		subs = append(subs, br)
	}
	for _, br := range subs {
		br.ReadLine()
	}
}

// ok: a reader made over the connection is kept in a map used after
// the loop.
func wrapperInMap(names []string) map[string]*bufio.Reader {
	readers := make(map[string]*bufio.Reader)
	for _, name := range names {
		c := dial()
		defer c.Close()
		readers[name] = bufio.NewReader(c)
	}
	return readers
}

// ok: nats-server new_routes_test.go:1361: each connection is kept in a
// slice element and used after the loop.
func storedInSlice(n int) {
	clientB := make([]net.Conn, n)
	for i := 0; i < n; i++ {
		clientB[i] = dial()
		defer clientB[i].Close()
		clientB[i].Write([]byte("SUB foo 1\r\n"))
	}
	for _, c := range clientB {
		c.Write([]byte("PUB foo 0\r\n\r\n"))
	}
}

// ok: nats-server norace_test.go:147: the loop only closes, at function
// end, connections made before it and used after it.
func closeCollection() {
	type sender struct{ c net.Conn }
	var senders []*sender
	create := func() {
		for i := 0; i < 25; i++ {
			senders = append(senders, &sender{c: dial()})
		}
	}
	create()
	for _, s := range senders {
		defer s.c.Close()
	}
	for _, s := range senders {
		s.c.Write([]byte("PING\r\n"))
	}
}

func drainConnection(c net.Conn, ch chan bool) {
	io.Copy(io.Discard, c)
	ch <- true
}

// ok: nats-server test/bench_test.go:921: each connection is handed to
// a goroutine that reads it after the iteration.
func handedToGoroutine(n int) {
	var clients []chan bool
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close()
		ch := make(chan bool)
		clients = append(clients, ch)
		go drainConnection(c, ch)
	}
	for _, ch := range clients {
		<-ch
	}
}

// ok: nats-server test/bench_test.go:1347: the goroutine writes to the
// connection after the iteration.
func capturedByGoroutine(n int) {
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close()
		ch := make(chan bool)
		go func() {
			c.Write([]byte("PUB foo 0\r\n\r\n"))
			ch <- true
		}()
		<-ch
	}
}

// ok: the connection is sent to a consumer that outlives the iteration.
func sentOnChannel(n int, out chan<- net.Conn) {
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close()
		out <- c
	}
}

// ok: lib/pq conn_test.go:1820: for rows.Next() runs until it returns
// false, which closes the rows; nothing is open at the end of the
// iteration.
func drained(db *sql.DB, n int, dest any) {
	for i := 0; i < n; i++ {
		rows, err := db.Query("SELECT 1")
		if err != nil {
			panic(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(dest); err != nil {
				panic(err)
			}
		}
	}
}

// ok: lib/pq conn_test.go:1927: the rows are closed when empty, and
// drained otherwise.
func drainedAfterFirst(db *sql.DB, n int, dest any) error {
	for i := 0; i < n; i++ {
		rows, err := db.Query("SELECT 1")
		if err != nil {
			return err
		}
		if !rows.Next() {
			rows.Close()
			return sql.ErrNoRows
		}
		defer rows.Close()
		for rows.Next() {
			err = rows.Scan(dest)
			if err != nil {
				return err // ok too: the return runs the deferred Close at once
			}
		}
	}
	return nil
}

// ok: nats-server monitor_test.go:2824: the body is also closed at the
// end of every iteration; the deferred Close is a redundant second one.
func closedAtEnd(url string, n int) error {
	for i := 0; i < n; i++ {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		use(body)
		resp.Body.Close()
	}
	return nil
}

// ok: labstack/echo middleware/rewrite_test.go:147: a ResponseRecorder's
// body is in memory.
func recorder(h http.Handler, n int) {
	for i := 0; i < n; i++ {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		defer rec.Result().Body.Close()
		body, _ := io.ReadAll(rec.Result().Body)
		use(body)
	}
}

// coredns plugin/pprof/pprof_test.go:105: the body is used only in its
// iteration and stored nowhere.
func bodyStoredNowhere(urls []string) {
	for _, url := range urls {
		resp, err := http.Get(url)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop runs only when the function returns`
		if resp.StatusCode != http.StatusOK {
			use(resp.Status)
		}
	}
}

// The slice the connections are appended to is never read: they could
// have been closed at the end of their iteration.
func appendedNeverRead(n int) {
	var conns []net.Conn
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close() // want `defer c.Close\(\) in a loop`
		c.Write([]byte("PING\r\n"))
		conns = append(conns, c)
	}
}

// The break leaves the rows undrained, and the next iteration queries
// again while they are open.
func breakInNext(db *sql.DB, n int, dest any) {
	for i := 0; i < n; i++ {
		rows, err := db.Query("SELECT 1")
		if err != nil {
			panic(err)
		}
		defer rows.Close() // want `defer rows.Close\(\) in a loop`
		for rows.Next() {
			if err := rows.Scan(dest); err != nil {
				break
			}
		}
	}
}

// Closed at the end of the iteration on one path only.
func closedSometimes(urls []string) {
	for _, url := range urls {
		resp, err := http.Get(url)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
		if resp.StatusCode == http.StatusOK {
			resp.Body.Close()
		}
	}
}

type tlsConn struct{ conn net.Conn }

func (c *tlsConn) Close() error { return c.conn.Close() }

func (c *tlsConn) read() string { return "" }

func rcvTLSConn(conn net.Conn) *tlsConn { return &tlsConn{conn: conn} }

// alertmanager cluster/tls_connection_test.go:51: the other end of the
// pipe, a resource of its own, is handed to a goroutine; r is not, and
// the wrapper that takes r over is dropped with the iteration.
func pipeEnds(msgs []string) {
	for _, msg := range msgs {
		w, r := net.Pipe()
		defer r.Close() // want `defer r.Close\(\) in a loop`
		go func() {
			w.Write([]byte(msg))
			w.Close()
		}()
		use(rcvTLSConn(r).read())
	}
}

func closeConn(c net.Conn) { c.Close() }

// ok: a helper closes the connection at the end of every iteration.
func closedByHelper(n int) {
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close()
		c.Write([]byte("PING\r\n"))
		closeConn(c)
	}
}

// Only the last connection survives the loop in c: the others are
// dead after their iteration.
func lastKept(n int) {
	var c net.Conn
	for i := 0; i < n; i++ {
		c = dial()
		defer c.Close() // want `defer c.Close\(\) in a loop`
		c.Write([]byte("PING\r\n"))
	}
	use(c)
}

// What is kept is data read from the body, not the body.
func dataKept(urls []string) [][]byte {
	var all [][]byte
	for _, url := range urls {
		resp, err := http.Get(url)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
		data, _ := io.ReadAll(resp.Body)
		all = append(all, data)
	}
	return all
}

// ok: nats.go test/conn_test.go:2787 (triaged true before the rule
// knew releases at the end of the iteration): one branch closes the
// connection, the other only leaves by returning, which runs the
// deferred Close.
func closedOrReturns(l net.Listener, ch chan bool) {
	for i := 0; i < 2; i++ {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		if i == 0 {
			<-ch
			c.Close()
		} else {
			buf := make([]byte, 10)
			for {
				if _, err := c.Read(buf); err != nil {
					return
				}
			}
		}
	}
}

func dialTCP(addr *net.TCPAddr) (*net.TCPConn, error) {
	return net.DialTCP("tcp", nil, addr)
}

// ok: the *net.TCPConn (whose Close is promoted from an embedded field)
// is kept in a slice that is used after the loop.
func tcpKept(addr *net.TCPAddr, n int) {
	var conns []*net.TCPConn
	for i := 0; i < n; i++ {
		c, err := dialTCP(addr)
		if err != nil {
			return
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Write([]byte("PING\r\n"))
	}
}

// The *net.TCPConn is used only in its iteration.
func tcpDropped(addr *net.TCPAddr, n int) {
	for i := 0; i < n; i++ {
		c, err := dialTCP(addr)
		if err != nil {
			return
		}
		defer c.Close() // want `defer c.Close\(\) in a loop`
		c.Write([]byte("PING\r\n"))
	}
}

// A struct of the iteration holds the connection, and dies with it.
func localStruct(n int) {
	type peer struct {
		c    net.Conn
		name string
	}
	for i := 0; i < n; i++ {
		p := &peer{c: dial(), name: "a"}
		defer p.c.Close() // want `defer p.c.Close\(\) in a loop`
		p.c.Write([]byte(p.name))
	}
}

// ok: the previous iteration's connection is read in the next one.
func previous(n int) {
	var prev net.Conn
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close()
		if prev != nil {
			prev.Write([]byte("BYE\r\n"))
		}
		prev = c
	}
}

func spawn(f func()) { go f() }

// ok: a closure that may run after the iteration uses the connection.
func closureHandedOn(n int) {
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close()
		spawn(func() { c.Write([]byte("PING\r\n")) })
	}
}

// A closure called in place does not keep it.
func closureInPlace(n int) {
	for i := 0; i < n; i++ {
		c := dial()
		defer c.Close() // want `defer c.Close\(\) in a loop`
		func() { c.Write([]byte("PING\r\n")) }()
	}
}

// The inner loop acquires; the outer one only repeats it.
func nested(db *sql.DB, groups [][]string) {
	for _, g := range groups {
		for _, q := range g {
			rows, err := db.Query(q)
			if err != nil {
				continue
			}
			defer rows.Close() // want `defer rows.Close\(\) in a loop`
			if rows.Next() {
			}
		}
	}
}

// ok: an early return in the Next loop runs the deferred Close at once,
// and the rows of earlier iterations were drained.
func returnInNext(db *sql.DB, n int, dest any) error {
	for i := 0; i < n; i++ {
		rows, err := db.Query("SELECT 1")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(dest); err != nil {
				return err
			}
		}
	}
	return nil
}

// A range-over-func body is a function of its own in SSA: the syntactic
// verdict stands.
func rangeFunc(seq func(func(int) bool)) {
	for range seq {
		c := dial()
		defer c.Close() // want `defer c.Close\(\) in a loop`
		c.Write([]byte("PING\r\n"))
	}
}

// ok: the connection held in the iteration's struct is closed at the end
// of the iteration, through the struct again.
func localStructClosed(n int) {
	type peer struct{ c net.Conn }
	for i := 0; i < n; i++ {
		p := &peer{c: dial()}
		defer p.c.Close()
		p.c.Write([]byte("PING\r\n"))
		p.c.Close()
	}
}
