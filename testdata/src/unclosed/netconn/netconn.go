package netconn

import (
	"crypto/tls"
	"log"
	"net"
	"time"
)

func dialLeak(addr string) (net.Conn, error) {
	conn, err := net.Dial("tcp", addr) // want `connection from net.Dial is not closed when conn.SetDeadline fails: its socket stays open; release it before returning on this path`
	if err != nil {
		return nil, err
	}
	if err := conn.SetDeadline(time.Now().Add(time.Second)); err != nil {
		return nil, err
	}
	return conn, nil
}

func acceptLeak(ln net.Listener) error {
	for {
		conn, err := ln.Accept() // want `connection from ln.Accept is not closed before the loop acquires the next one`
		if err != nil {
			return err
		}
		if _, err := conn.Write([]byte("hello\n")); err != nil {
			log.Print(err)
		}
	}
}

// ok: closed on the error path, returned otherwise.
func dialOK(addr string) (net.Conn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if err := conn.SetDeadline(time.Now().Add(time.Second)); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

func handle(c net.Conn) {
	defer c.Close()
	c.Write([]byte("hello\n"))
}

// ok: every connection goes to a goroutine that closes it.
func serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go handle(conn)
	}
}

// ok: wrapped by tls.Client, whose Close closes it.
func wrapTLS(addr string, cfg *tls.Config) (*tls.Conn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return tls.Client(conn, cfg), nil
}

// ok: a connection whose owner is not this function (not from Dial or Accept).
func borrowed(c *tls.Conn) net.Conn {
	return c.NetConn()
}
