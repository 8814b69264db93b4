package main

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	ch := make(chan int)
	go func() {
		ch <- m.Run() // ok: TestMain
	}()
	select {
	case code := <-ch:
		os.Exit(code)
	default:
		os.Exit(0)
	}
}
