// Package kafkalookup is a false positive found in
// github.com/segmentio/kafka-go@v0.4.49 (Dialer.LookupPartition): the
// goroutine has three sends on a channel of capacity 1, but each is
// followed by a return, so one execution sends once and the buffer holds it.
package kafkalookup

import (
	"context"
	"errors"
	"time"
)

type Partition struct{ ID int }

var errUnknown = errors.New("unknown partition")

func readPartitions() ([]Partition, error) { return nil, nil }

func sleep(ctx context.Context, d time.Duration) bool { return ctx.Err() == nil }

func LookupPartition(ctx context.Context, id int) (Partition, error) {
	brkch := make(chan Partition, 1)
	errch := make(chan error, 1)
	go func() {
		for attempt := 0; true; attempt++ {
			if attempt != 0 && !sleep(ctx, time.Millisecond) {
				errch <- ctx.Err() // ok: each send is the goroutine's last act
				return
			}
			parts, err := readPartitions()
			if err != nil {
				errch <- err // ok: one send per execution, buffer 1
				return
			}
			for _, p := range parts {
				if p.ID == id {
					brkch <- p // ok: buffer 1
					return
				}
			}
		}
		errch <- errUnknown
	}()
	var prt Partition
	var err error
	select {
	case prt = <-brkch:
	case err = <-errch:
	case <-ctx.Done():
		err = ctx.Err()
	}
	return prt, err
}

// Progress sends twice on a buffer of one: after the caller gives up the
// first send fills the buffer and the second blocks forever.
func Progress(ctx context.Context) (int, error) {
	updates := make(chan int, 1)
	go func() {
		updates <- 0 // want `goroutine sends on channel updates \(capacity 1\), but Progress stops receiving when it returns on ctx.Done\(\)`
		updates <- 100
	}()
	for {
		select {
		case p := <-updates:
			if p == 100 {
				return p, nil
			}
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}
