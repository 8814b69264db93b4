package bounded

import (
	"log"
	"net/http"
	"os"
	"sync"
)

type Guard struct {
	mu  sync.Mutex
	err error
}

// ok: the handler crashes the process on purpose and waits for it.
func (g *Guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.err != nil {
		go panic(g.err)
		select {}
	}
}

// ok: the same under a lock, with a literal that exits.
func (g *Guard) Fail() {
	g.mu.Lock()
	defer g.mu.Unlock()
	go func() {
		log.Print(g.err)
		os.Exit(2)
	}()
	select {}
}

// ok: log.Fatal in the goroutine.
func (g *Guard) Fatal() {
	g.mu.Lock()
	go log.Fatal(g.err)
	select {}
}

// A goroutine that logs and returns does not end the process: the
// select waits forever.
func (g *Guard) Hang() {
	g.mu.Lock()
	defer g.mu.Unlock()
	go log.Print(g.err)
	select {} // want `select with no default, ctx.Done\(\) or timer case can block without bound while g.mu is held`
}

// Nor does a panic that is only on one path of the goroutine.
func (g *Guard) HangMaybe(w http.ResponseWriter, r *http.Request) {
	go func() {
		if g.err != nil {
			panic(g.err)
		}
	}()
	select {} // want `select with no default, ctx.Done\(\) or timer case can block without bound in HTTP handler Guard.HangMaybe`
}
