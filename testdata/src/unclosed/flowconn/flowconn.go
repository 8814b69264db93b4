// Package flowconn holds look-alikes of connections the path-sensitive
// rule got wrong: a promoted Close (gorilla/websocket
// client_server_test.go:815) and a connection handed to a constructor
// that can fail (coredns plugin/dnstap/io.go:89).
package flowconn

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"time"
)

// ok: c.Close() on a *net.TCPConn is the promoted (*net.conn).Close,
// reached through the embedded field (websocket client_server_test.go:815).
func dialTCPDeferred(c1 net.Conn, addr *net.TCPAddr) {
	c2, err := net.DialTCP("tcp", nil, addr)
	if err != nil {
		log.Printf("dial failed; %v", err)
		return
	}
	defer c2.Close()
	done := make(chan struct{})
	go func() {
		io.Copy(c1, c2)
		close(done)
	}()
	io.Copy(c2, c1)
	<-done
}

// ok: closed through the promoted method on the path that returns early.
func dialTCPClosedOnError(addr *net.TCPAddr) (*net.TCPConn, error) {
	c, err := net.DialTCP("tcp", nil, addr)
	if err != nil {
		return nil, err
	}
	if err := c.SetNoDelay(true); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func dialTCPLeak(addr *net.TCPAddr) (*net.TCPConn, error) {
	c, err := net.DialTCP("tcp", nil, addr) // want `connection from net.DialTCP is not closed when c.SetNoDelay fails: its socket stays open; release it before returning on this path`
	if err != nil {
		return nil, err
	}
	if err := c.SetNoDelay(true); err != nil {
		return nil, err
	}
	return c, nil
}

// A wrapper whose Close releases the connection it embeds.
type tracked struct {
	*net.TCPConn
	n int
}

// ok: the promoted Close of an embedded connection releases it.
func wrapped(addr *net.TCPAddr) error {
	c, err := net.DialTCP("tcp", nil, addr)
	if err != nil {
		return err
	}
	t := &tracked{TCPConn: c}
	defer t.Close()
	_, err = t.Write([]byte("hi"))
	return err
}

type encoder struct{ w io.Writer }

// newEncoder takes over w when it succeeds, and leaves it to the caller
// when the handshake fails (like coredns' newEncoder).
func newEncoder(w io.Writer, timeout time.Duration) (*encoder, error) {
	if _, err := w.Write([]byte("hello")); err != nil {
		return nil, err
	}
	return &encoder{w: w}, nil
}

type dio struct {
	proto, endpoint string
	enc             *encoder
}

// The connection is owned by d.enc once newEncoder succeeds; it leaks
// only when newEncoder fails (coredns plugin/dnstap/io.go:89, 94).
func (d *dio) dial() error {
	var conn net.Conn
	var err error
	if d.proto == "tls" {
		conn, err = tls.DialWithDialer(&net.Dialer{}, "tcp", d.endpoint, &tls.Config{}) // want `connection from tls.DialWithDialer is not closed when newEncoder fails: its socket stays open; release it before returning on this path`
		if err != nil {
			return err
		}
	} else {
		conn, err = net.DialTimeout(d.proto, d.endpoint, time.Second) // want `connection from net.DialTimeout is not closed when newEncoder fails: its socket stays open; release it before returning on this path`
		if err != nil {
			return err
		}
	}
	if tcpConn, ok := conn.(*net.TCPConn); ok {
		tcpConn.SetNoDelay(false)
	}
	d.enc, err = newEncoder(conn, time.Second)
	return err
}

// ok: the connection is closed when newEncoder fails and owned by d.enc
// otherwise.
func (d *dio) dialClosed() error {
	conn, err := net.DialTimeout(d.proto, d.endpoint, time.Second)
	if err != nil {
		return err
	}
	enc, err := newEncoder(conn, time.Second)
	if err != nil {
		conn.Close()
		return err
	}
	d.enc = enc
	return nil
}

// The constructor's result is used here and dropped: nothing owns the
// connection on any path.
func (d *dio) dialDropped() error {
	conn, err := net.DialTimeout(d.proto, d.endpoint, time.Second) // want `connection from net.DialTimeout is never closed`
	if err != nil {
		return err
	}
	enc, err := newEncoder(conn, time.Second)
	if err != nil {
		return err
	}
	_, err = enc.w.Write([]byte("bye"))
	return err
}
