package chansendserve

import "sync"

type Delivery struct{ Body []byte }

// consumers is amqp091-go's consumers (consumers.go:226).
type consumers struct {
	sync.WaitGroup
	closed chan struct{}

	sync.Mutex
	chans map[string]chan *Delivery
}

func makeConsumers() *consumers {
	return &consumers{closed: make(chan struct{}), chans: make(map[string]chan *Delivery)}
}

// buffer always receives from in: it queues what it cannot hand on yet.
func (subs *consumers) buffer(in chan *Delivery, out chan Delivery) {
	defer close(out)
	defer subs.Done()

	inflight := in
	var queue []*Delivery

	for delivery := range in {
		queue = append(queue, delivery)

		for len(queue) > 0 {
			select {
			case <-subs.closed:
				return // closed under subs's lock, together with forgetting in
			case delivery, consuming := <-inflight:
				if consuming {
					queue = append(queue, delivery)
				} else {
					inflight = nil
				}
			case out <- *queue[0]:
				queue = queue[1:]
			}
		}
	}
}

func (subs *consumers) add(tag string, consumer chan Delivery) {
	subs.Lock()
	defer subs.Unlock()
	if prev, found := subs.chans[tag]; found {
		close(prev)
	}
	in := make(chan *Delivery)
	subs.chans[tag] = in
	subs.Add(1)
	go subs.buffer(in, consumer)
}

func (subs *consumers) close() {
	subs.Lock()
	defer subs.Unlock()
	close(subs.closed)
	for tag, ch := range subs.chans {
		delete(subs.chans, tag)
		close(ch)
	}
	subs.Wait()
}

func (subs *consumers) send(tag string, msg *Delivery) bool {
	subs.Lock()
	defer subs.Unlock()
	buffer, found := subs.chans[tag]
	if found {
		buffer <- msg // ok: the buffer goroutine always comes back to receive, and it stops only on a signal given under subs's lock
	}
	return found
}

// looseConsumers stops its buffers without its lock: a send that finds
// a buffer can come after the buffer has gone.
type looseConsumers struct {
	mu    sync.Mutex
	quit  chan struct{}
	chans map[string]chan int
}

func (c *looseConsumers) buffer(in chan int) {
	for {
		select {
		case v := <-in:
			_ = v
		case <-c.quit:
			return
		}
	}
}

func (c *looseConsumers) add(tag string) {
	in := make(chan int)
	c.mu.Lock()
	c.chans[tag] = in
	c.mu.Unlock()
	go c.buffer(in)
}

func (c *looseConsumers) stop() { close(c.quit) }

func (c *looseConsumers) send(tag string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if in, ok := c.chans[tag]; ok {
		in <- v // want `channel send on in can block without bound while c.mu is held`
	}
}
