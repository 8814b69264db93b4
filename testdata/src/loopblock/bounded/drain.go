package bounded

import (
	"net"
	"net/http"
	"strings"
)

type Lister struct {
	names []string
	addr  string
}

type item struct {
	name string
	last bool
}

// ok: the goroutine started just before sends every item and then the
// sentinel; it waits for nothing else, so the drain ends.
func (l *Lister) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	items := make(chan item)
	go func() {
		for _, n := range l.names {
			items <- item{name: strings.ToUpper(n)}
		}
		items <- item{last: true}
	}()
	for {
		it := <-items
		if it.last {
			return
		}
		w.Write([]byte(it.name))
	}
}

// ok: the producer closes the channel when done.
func (l *Lister) handleRange(w http.ResponseWriter, r *http.Request) {
	names := make(chan string)
	go func() {
		defer close(names)
		for _, n := range l.names {
			names <- n
		}
	}()
	for n := range names {
		w.Write([]byte(n))
	}
}

// The producer dials with no timeout before its sentinel: the drain
// waits as long as the dial.
func (l *Lister) handleDial(w http.ResponseWriter, r *http.Request) {
	items := make(chan item)
	go func() {
		for _, n := range l.names {
			c, err := net.Dial("tcp", n)
			if err == nil {
				c.Close()
			}
			items <- item{name: n}
		}
		items <- item{last: true}
	}()
	for {
		it := <-items // want `channel receive from items can block without bound in HTTP handler Lister.handleDial`
		if it.last {
			return
		}
	}
}

// A producer that never closes the channel leaves the range waiting.
func (l *Lister) handleNoClose(w http.ResponseWriter, r *http.Request) {
	names := make(chan string)
	go func() {
		for _, n := range l.names {
			names <- n
		}
	}()
	for n := range names { // want `range over channel names can block without bound in HTTP handler Lister.handleNoClose`
		w.Write([]byte(n))
	}
}

// A sentinel sent only on one path does not always come.
func (l *Lister) handleMaybe(w http.ResponseWriter, r *http.Request) {
	items := make(chan item)
	go func() {
		if len(l.names) > 0 {
			items <- item{last: true}
		}
	}()
	<-items // want `channel receive from items can block without bound in HTTP handler Lister.handleMaybe`
}
