package holdoutserve

import "time"

type Message struct {
	retries int
}

// Producer is sarama's asyncProducer: retryHandler bridges p.retries to
// p.input through an unbounded queue and always comes back to receive.
type Producer struct {
	input   chan *Message
	retries chan *Message
	errors  chan *Message
	slow    chan *Message
	flaky   chan *Message
	closing bool
	max     int
}

func NewProducer() *Producer {
	p := &Producer{
		input:   make(chan *Message),
		retries: make(chan *Message),
		errors:  make(chan *Message),
		slow:    make(chan *Message),
		flaky:   make(chan *Message),
	}
	go withRecover(p.retryHandler)
	go withRecover(p.slowHandler)
	go p.flakyHandler()
	return p
}

func withRecover(fn func()) {
	defer func() { _ = recover() }()
	fn()
}

func (p *Producer) retryHandler() {
	var msg *Message
	var buf []*Message
	for {
		if len(buf) == 0 {
			msg = <-p.retries
		} else {
			select {
			case msg = <-p.retries:
			case p.input <- buf[0]:
				buf = buf[1:]
				continue
			}
		}
		if msg == nil {
			return // p.retries is closed
		}
		buf = append(buf, msg)
	}
}

// slowHandler hands each message on with a plain send: the loop is not
// back to receive until the consumer takes it.
func (p *Producer) slowHandler() {
	for msg := range p.slow {
		p.input <- msg
	}
}

// flakyHandler can leave on a flag of its own, not on what it received:
// a sender cannot know it still receives.
func (p *Producer) flakyHandler() {
	var buf []*Message
	for {
		msg := <-p.flaky
		if p.closing {
			return
		}
		buf = append(buf, msg)
	}
}

func (p *Producer) retryMessage(msg *Message) {
	msg.retries++
	p.retries <- msg
}

func (p *Producer) slowMessage(msg *Message) {
	p.slow <- msg
}

// BrokerProducer is sarama's brokerProducer.
type BrokerProducer struct {
	parent *Producer
	input  chan *Message
	timer  *time.Timer
}

// ok: the retries go to retryHandler, which always comes back to
// receive (sarama async_producer.go:1167).
func (bp *BrokerProducer) Run() {
	for {
		select {
		case msg := <-bp.input:
			if msg.retries > bp.parent.max {
				bp.parent.retryMessage(msg) // ok: served by retryHandler
				continue
			}
			bp.parent.slowMessage(msg) // want `call of holdoutserve.Producer.slowMessage can block without bound .* in the for-select loop in BrokerProducer.Run`
		case <-bp.timer.C:
			bp.parent.retries <- nil // ok: served by retryHandler
			bp.parent.flaky <- nil   // want `channel send on bp.parent.flaky can block without bound in the for-select loop in BrokerProducer.Run`
		}
	}
}
