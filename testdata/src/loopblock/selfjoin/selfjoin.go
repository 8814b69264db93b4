// Package selfjoin holds goroutines that wait for their own end, beside
// look-alikes that stop themselves safely.
package selfjoin

import (
	"errors"
	"sync"
)

type Conn struct {
	quit chan struct{}
	done chan struct{}
	in   chan []byte
	wg   sync.WaitGroup

	onError func(error)
}

func NewConn() *Conn {
	c := &Conn{quit: make(chan struct{}), done: make(chan struct{}), in: make(chan []byte)}
	go c.readLoop()
	c.wg.Add(1)
	go c.writeLoop()
	c.onError = c.fail
	return c
}

// Close stops the loops and waits for them.
func (c *Conn) Close() error {
	close(c.quit)
	<-c.done
	c.wg.Wait()
	return nil
}

func (c *Conn) fail(err error) { _ = c.Close() }

func (c *Conn) readLoop() {
	defer close(c.done)
	for {
		select {
		case b := <-c.in:
			if len(b) == 0 {
				c.Close() // want `c.Close, called on goroutine Conn.readLoop, waits for that goroutine's end: done is signalled only when it returns`
				return
			}
		case <-c.quit:
			return
		}
	}
}

func (c *Conn) writeLoop() {
	defer c.wg.Done()
	for {
		select {
		case b := <-c.in:
			if len(b) > 10 {
				c.onError(errors.New("too long")) // want `c.onError, called on goroutine Conn.writeLoop, waits for that goroutine's end: wg is signalled`
				return
			}
		case <-c.quit:
			return
		}
	}
}

// A loop that asks for its own shutdown on a goroutine of its own.
type Safe struct {
	quit chan struct{}
	done chan struct{}
	in   chan int
	once sync.Once
}

func NewSafe() *Safe {
	s := &Safe{quit: make(chan struct{}), done: make(chan struct{}), in: make(chan int)}
	go s.loop()
	return s
}

func (s *Safe) Close() {
	s.once.Do(func() { close(s.quit) })
	<-s.done
}

func (s *Safe) stop() { s.once.Do(func() { close(s.quit) }) }

func (s *Safe) loop() { // ok: it only signals, or closes on another goroutine
	defer close(s.done)
	for {
		select {
		case v := <-s.in:
			if v < 0 {
				s.stop()
				continue
			}
			if v == 0 {
				go s.Close()
			}
		case <-s.quit:
			return
		}
	}
}

// A worker that waits for another group than its own.
type Pool struct {
	wg      sync.WaitGroup
	drained sync.WaitGroup
	jobs    chan func()
}

func (p *Pool) Start() {
	p.wg.Add(1)
	go p.work()
}

func (p *Pool) work() { // ok: waits for drained, not for wg
	defer p.wg.Done()
	for j := range p.jobs {
		j()
	}
	p.drained.Wait()
}
