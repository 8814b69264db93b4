package endless

import (
	"context"
	"time"
)

// Client retries in the background until its context is cancelled.
type Client struct {
	cancel context.CancelFunc
}

func (c *Client) try() error { return nil }

// StartRetry retries on a background context, but the loop also ends
// once a try succeeds.
func (c *Client) StartRetry() {
	go c.retryLoop(context.Background()) // ok: returns once a try succeeds
}

// StartRetryCaptured is the "retry goroutine waiting on a context nobody
// cancels" leak: the loop can only end on ctx.Done(), and the context is
// context.TODO(), captured by the closure.
// StartRetryCaptured captures the background context in a closure.
func (c *Client) StartRetryCaptured() {
	ctx := context.TODO()
	go func() { // want `can only stop on ctx.Done\(\) of a context.Background\(\) that nothing cancels`
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
				c.try()
			}
		}
	}()
}

func (c *Client) retryLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
			if c.try() == nil {
				return
			}
		}
	}
}

func (c *Client) retryForever(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
			c.try()
		}
	}
}

// StartRetryForever never stops: the background context never fires.
func (c *Client) StartRetryForever() {
	go c.retryForever(context.Background()) // want `goroutine started by \(\*Client\).StartRetryForever can only stop on ctx.Done\(\) of a context.Background\(\)`
}

// StartRetryFixed derives a context that Close cancels.
func (c *Client) StartRetryFixed() {
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go c.retryForever(ctx) // ok: Close cancels ctx
}

func (c *Client) Close() { c.cancel() }
