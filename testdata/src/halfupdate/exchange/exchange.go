// Package exchange: the steps of one protocol exchange on a connection or
// stream are messages of one session, not two dependent updates.
package exchange

import "context"

type Packet struct{ Kind byte }

// Conn is a protocol connection: it reads the next packet from the peer
// and writes packets to it.
type Conn struct{}

func (*Conn) ReadPacket(ctx context.Context) (Packet, error)      { return Packet{}, ctx.Err() }
func (*Conn) WritePacket(ctx context.Context, p Packet) error     { return ctx.Err() }
func (*Conn) SendPing(ctx context.Context) error                  { return ctx.Err() }
func (*Conn) WriteRequest(ctx context.Context, body []byte) error { return ctx.Err() }
func (*Conn) UpdateWindow(ctx context.Context, n int) error       { return ctx.Err() }

// Stream is a message stream of the gRPC kind, behind an interface.
type Stream interface {
	Send(ctx context.Context, m Packet) error
	Recv(ctx context.Context) (Packet, error)
}

type Client struct {
	conn   *Conn
	stream Stream
	db     *DB
}

// Release completes a QoS 2 publish: PUBREL after PUBREC. If ctx is
// cancelled between the two, the session is torn down and the broker
// resumes the exchange on reconnect: nothing durable is half written.
func (c *Client) Release(ctx context.Context, pub, rel Packet) error {
	if err := c.conn.WritePacket(ctx, pub); err != nil {
		return err
	}
	return c.conn.WritePacket(ctx, rel) // ok: the second half of one exchange on one connection
}

// Call writes a request and then acknowledges the window it uses.
func (c *Client) Call(ctx context.Context, body []byte) error {
	if err := c.conn.WriteRequest(ctx, body); err != nil {
		return err
	}
	return c.conn.UpdateWindow(ctx, len(body)) // ok: request and flow control of one exchange
}

// Handshake on a stream interface.
func (c *Client) Handshake(ctx context.Context, hello, auth Packet) error {
	if err := c.stream.Send(ctx, hello); err != nil {
		return err
	}
	return c.stream.Send(ctx, auth) // ok: one handshake on one stream
}

type DB struct{}

func (*DB) InsertOrder(ctx context.Context, id string) error { return ctx.Err() }

// Notify writes a row and then tells a peer over the connection: the row
// is durable, the notice is lost when ctx is cancelled between them.
func (c *Client) Notify(ctx context.Context, id string, p Packet) error {
	if err := c.db.InsertOrder(ctx, id); err != nil {
		return err
	}
	return c.conn.WritePacket(ctx, p) // want `c.conn.WritePacket can be cancelled after c.db.InsertOrder succeeded`
}

// Objects is a storage client: it reads and writes objects by key, which
// is durable state, not a stream.
type Objects struct{}

func (*Objects) ReadObject(ctx context.Context, key string) ([]byte, error)  { return nil, ctx.Err() }
func (*Objects) WriteObject(ctx context.Context, key string, b []byte) error { return ctx.Err() }

// Copy writes two objects on one storage client: two dependent updates.
func Copy(ctx context.Context, o *Objects, b []byte) error {
	if err := o.WriteObject(ctx, "data", b); err != nil {
		return err
	}
	return o.WriteObject(ctx, "index", b) // want `o.WriteObject can be cancelled after the earlier o.WriteObject succeeded`
}

// TwoConns: steps on two different connections are two sessions.
func TwoConns(ctx context.Context, a, b *Conn, p Packet) error {
	if err := a.WritePacket(ctx, p); err != nil {
		return err
	}
	return b.WritePacket(ctx, p) // want `b.WritePacket can be cancelled after a.WritePacket succeeded`
}
