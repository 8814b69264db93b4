// Package main blocks in main and init, which are not event contexts.
package main

import (
	"net/http"
	"os/exec"
	"time"
)

var ready = make(chan struct{})

// ok: init may block; nothing is served yet.
func init() {
	exec.Command("true").Run()
}

// ok: main's own loop is the program, not an event loop that serves others.
func main() {
	tick := time.NewTicker(time.Second)
	in := make(chan string)
	for {
		select {
		case <-tick.C:
			time.Sleep(time.Millisecond)
		case s := <-in:
			http.Get(s)
		}
	}
}
