package holdoutbuffer

import "testing"

// The test builds a stream of its own: its unbuffered channel says
// nothing about the streams the package makes.
func TestStream(t *testing.T) {
	s := &Stream{outc: make(chan int)}
	go func() { <-s.outc }()
	s.Created(1)
}

func TestObserver(t *testing.T) {
	o := NewObserver(make(chan int))
	go o.Notify(1)
	<-o.ch
}
