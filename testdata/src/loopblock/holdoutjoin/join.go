// Package holdoutjoin holds joins under a lock that follow a stop signal
// given by closing what the goroutine reads (sarama's Broker.closeLocked,
// mocks.PartitionConsumer.Close), beside look-alikes that have no stop
// signal before the wait.
package holdoutjoin

import (
	"io"
	"net"
	"sync"
)

// Broker is sarama's Broker: responseReceiver reads the connection and
// closes done (a chan bool) when it ends.
type Broker struct {
	lock      sync.Mutex
	conn      net.Conn
	responses chan int
	done      chan bool
	result    chan bool
	log       io.WriteCloser
}

func (b *Broker) Open(conn net.Conn) {
	b.conn = conn
	b.responses = make(chan int)
	b.done = make(chan bool)
	go b.responseReceiver()
}

func (b *Broker) responseReceiver() {
	buf := make([]byte, 8)
	for range b.responses {
		if _, err := b.conn.Read(buf); err != nil {
			break
		}
	}
	b.result <- true
	close(b.done)
}

// ok: the responses channel and the connection are closed before the
// wait: the receiver ends at once (sarama broker.go:381).
func (b *Broker) Close() error {
	b.lock.Lock()
	defer b.lock.Unlock()
	return b.closeLocked() // ok: a join after closing what the receiver reads
}

func (b *Broker) closeLocked() error {
	close(b.responses)
	err := b.conn.Close()
	<-b.done
	return err
}

// ok: closing the connection alone ends the reader.
func (b *Broker) Disconnect() error {
	b.lock.Lock()
	defer b.lock.Unlock()
	err := b.conn.Close()
	<-b.done // ok: a join after closing the connection the receiver reads
	return err
}

// The look-alikes: nothing is closed before the wait, only a writer is,
// or the channel waited on carries results.
func (b *Broker) Wait() {
	b.lock.Lock()
	defer b.lock.Unlock()
	<-b.done // want `channel receive from b.done can block without bound while b.lock is held`
}

func (b *Broker) CloseLog() {
	b.lock.Lock()
	defer b.lock.Unlock()
	b.log.Close()
	<-b.done // want `channel receive from b.done can block without bound while b.lock is held`
}

func (b *Broker) Result() bool {
	b.lock.Lock()
	defer b.lock.Unlock()
	close(b.responses)
	return <-b.result // want `channel receive from b.result can block without bound while b.lock is held`
}

// PartitionConsumer is sarama's mocks.PartitionConsumer: AsyncClose
// closes its channels once, Close drains them and waits.
type PartitionConsumer struct {
	once     sync.Once
	errors   chan error
	messages chan string
}

func (pc *PartitionConsumer) AsyncClose() {
	pc.once.Do(func() {
		close(pc.errors)
		close(pc.messages)
	})
}

func (pc *PartitionConsumer) Close() error {
	pc.AsyncClose()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range pc.errors {
		}
	})
	wg.Go(func() {
		for range pc.messages {
		}
	})
	wg.Wait()
	return nil
}

// Pause looks like AsyncClose but closes nothing.
func (pc *PartitionConsumer) Pause() {
	pc.once.Do(func() {
		pc.errors = nil
	})
}

func (pc *PartitionConsumer) Drain() {
	pc.Pause()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range pc.messages {
		}
	})
	wg.Wait()
}

type Consumer struct {
	l          sync.Mutex
	partitions []*PartitionConsumer
}

// ok: each partition consumer's Close waits for drains of channels its
// AsyncClose has just closed (sarama mocks/consumer.go:127).
func (c *Consumer) Close() error {
	c.l.Lock()
	defer c.l.Unlock()
	for _, pc := range c.partitions {
		_ = pc.Close() // ok: a join after a stop
	}
	return nil
}

func (c *Consumer) Drain() {
	c.l.Lock()
	defer c.l.Unlock()
	for _, pc := range c.partitions {
		pc.Drain() // want `call of holdoutjoin.PartitionConsumer.Drain can block without bound \(it reaches sync.WaitGroup.Wait`
	}
}
