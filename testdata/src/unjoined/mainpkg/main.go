// Command mainpkg: goroutines of main, init and TestMain end with the
// process, so unjoined does not report them.
package main

import (
	"context"
	"time"
)

var ticks int

func init() {
	go func() { // ok: init
		for {
			time.Sleep(time.Second)
			ticks++
		}
	}()
}

func main() {
	ch := make(chan int)
	go func() {
		ch <- 1 // ok: main
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	select {
	case <-ch:
	case <-ctx.Done():
	}
}
