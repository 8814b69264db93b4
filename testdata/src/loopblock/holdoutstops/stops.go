// Package holdoutstops holds the stop signals and done channels that the
// blocking helper learnt from sarama (Broker.closeLocked closes its
// connection, then waits on a chan bool only ever closed;
// mocks.PartitionConsumer.AsyncClose closes its channels in once.Do),
// beside look-alikes that stop nothing.
package holdoutstops

import (
	"io"
	"net"
	"sync"
)

type Broker struct {
	conn   net.Conn
	log    io.WriteCloser
	done   chan bool
	result chan bool
	once   sync.Once
	errs   chan error
}

func (b *Broker) receive() { // want receive:"may block: because of channel send on b.result at stops.go:\\d+" receive:"stops: close of b.done"
	buf := make([]byte, 8)
	for {
		if _, err := b.conn.Read(buf); err != nil {
			break
		}
	}
	b.result <- true
	close(b.done)
}

// Disconnect closes the connection the receiver reads: a stop.
func (b *Broker) Disconnect() { // want Disconnect:"stops: close of b.conn"
	b.conn.Close()
}

// CloseLog closes a writer: no goroutine reads it.
func (b *Broker) CloseLog() {
	b.log.Close()
}

// AsyncClose closes b.errs once: a stop.
func (b *Broker) AsyncClose() { // want AsyncClose:"stops: close of b.errs"
	b.once.Do(func() {
		close(b.errs)
	})
}

// Reset runs nothing that stops in once.Do.
func (b *Broker) Reset() {
	b.once.Do(func() {
		b.errs = nil
	})
}

// Close waits on b.done, a channel only ever closed, after a stop: a
// join, which does not make it block.
func (b *Broker) Close() { // want Close:"stops: call of holdoutstops.Broker.Disconnect"
	b.Disconnect()
	<-b.done
}

// Result waits on b.result, which carries a value, after a stop.
func (b *Broker) Result() bool { // want Result:"stops: call of holdoutstops.Broker.Disconnect" Result:"may block: because of channel receive from b.result at stops.go:\\d+"
	b.Disconnect()
	return <-b.result
}

// Wait waits on b.done with no stop before.
func (b *Broker) Wait() { // want Wait:"may block: because of channel receive from b.done at stops.go:\\d+"
	<-b.done
}
