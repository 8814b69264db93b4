// Package chanlib is a library whose channels reach the packages that
// import it: a wrapper that returns a channel made with a buffer, a
// constructor that fills an exported field with one, their unbuffered
// look-alikes, and a helper that sends on what it is handed.
package chanlib

// Wrap returns a channel made with room for 1024 values and forwards
// them to ch.
func Wrap(ch chan<- int) chan<- int { // want Wrap:"buffered channel"
	in := make(chan int, 1024)
	go func() {
		for v := range in {
			ch <- v
		}
	}()
	return in
}

// Pipe is Wrap's look-alike with no buffer.
func Pipe(ch chan<- int) chan<- int { // want Pipe:"unbuffered channel"
	in := make(chan int)
	go func() {
		for v := range in {
			ch <- v
		}
	}()
	return in
}

// Feed's Events is made with a buffer wherever the package fills it.
type Feed struct {
	Events chan int // want Events:"buffered channel"
}

func NewFeed() *Feed { return &Feed{Events: make(chan int, 16)} }

// SyncFeed is Feed's look-alike with no buffer.
type SyncFeed struct {
	Events chan int // want Events:"unbuffered channel"
}

func NewSyncFeed() *SyncFeed { return &SyncFeed{Events: make(chan int)} }

// Emit sends v on the channel it is handed: its callers judge.
func Emit(ch chan<- int, v int) { // want Emit:"may block: because of channel send on ch at lib.go:\\d+"
	ch <- v
}
