// Package holdoutexit holds blocking operations on the exit paths of
// for-select event loops (sarama's brokerProducer), beside look-alikes
// from which some path comes back to the select.
package holdoutexit

import (
	"log"
	"time"
)

type Response struct{ N int }

type Message struct{ Key string }

type BrokerProducer struct {
	input     chan *Message
	pending   chan *Response
	responses chan *Response
	output    chan *Message
	timer     *time.Timer
	buf       []*Response
}

// ok: the drain runs only once pending is closed and is followed by the
// return: no event of the loop is left behind it (sarama
// async_producer.go:1074).
func (bp *BrokerProducer) Forward() {
	for {
		select {
		case res, ok := <-bp.pending:
			if !ok {
				for len(bp.buf) > 0 {
					bp.responses <- bp.buf[0] // ok: the loop's exit path
					bp.buf = bp.buf[1:]
				}
				close(bp.responses)
				return
			}
			bp.buf = append(bp.buf, res)
		case bp.responses <- bp.head():
			bp.buf = bp.buf[1:]
		}
	}
}

func (bp *BrokerProducer) head() *Response {
	if len(bp.buf) == 0 {
		return nil
	}
	return bp.buf[0]
}

// shutdown flushes what is left and waits for the responses.
func (bp *BrokerProducer) shutdown() {
	for _, r := range bp.buf {
		bp.responses <- r
	}
}

// ok: shutdown runs when the input is closed and the loop returns right
// after (sarama async_producer.go:1147).
func (bp *BrokerProducer) Run() {
	for {
		select {
		case msg, ok := <-bp.input:
			if !ok {
				bp.shutdown() // ok: the loop's exit path
				return
			}
			bp.output <- msg // want `channel send on bp.output can block without bound in the for-select loop in BrokerProducer.Run`
		case <-bp.timer.C:
			bp.flush()
		}
	}
}

func (bp *BrokerProducer) flush() {}

// ok: the loop ends through a labelled break or a call that never
// returns on every path after the wait.
func (bp *BrokerProducer) RunLabelled() {
loop:
	for {
		select {
		case msg, ok := <-bp.input:
			if !ok {
				bp.shutdown() // ok: break leaves the loop
				break loop
			}
			if msg == nil {
				bp.shutdown() // ok: log.Fatal never returns
				log.Fatal("nil message")
			}
		case <-bp.timer.C:
			bp.flush()
		}
	}
}

// The look-alikes: a path from the wait comes back to the select.
func (bp *BrokerProducer) RunAgain() {
	for {
		select {
		case msg, ok := <-bp.input:
			if !ok {
				bp.shutdown() // want `call of holdoutexit.BrokerProducer.shutdown can block without bound .* in the for-select loop in BrokerProducer.RunAgain`
				if bp.timer == nil {
					continue
				}
				return
			}
			if msg == nil {
				bp.shutdown() // want `call of holdoutexit.BrokerProducer.shutdown can block without bound .* in the for-select loop in BrokerProducer.RunAgain`
				break         // leaves the select only: the loop goes on
			}
			bp.shutdown() // want `call of holdoutexit.BrokerProducer.shutdown can block without bound .* in the for-select loop in BrokerProducer.RunAgain`
		case <-bp.timer.C:
			bp.flush()
		}
	}
}

// An inner loop that drains and then comes back to the select.
func (bp *BrokerProducer) DrainAndGoOn() {
	for {
		select {
		case _, ok := <-bp.pending:
			if !ok {
				for len(bp.buf) > 0 {
					bp.responses <- bp.buf[0] // want `channel send on bp.responses can block without bound in the for-select loop in BrokerProducer.DrainAndGoOn`
					bp.buf = bp.buf[1:]
				}
				bp.pending = nil
			}
		case <-bp.timer.C:
			bp.flush()
		}
	}
}
