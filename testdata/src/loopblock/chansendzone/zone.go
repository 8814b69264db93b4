// Package chansendzone is a look-alike of coredns's plugin/file: a zone
// whose reload goroutine serves the shutdown channel. It is imported by
// chansendserve, which holds locks across OnShutdown.
package chansendzone

import (
	"net/http"
	"sync"
	"time"
)

type Zone struct {
	sync.RWMutex
	ReloadInterval time.Duration
	reloadShutdown chan bool
	serial         int
}

func NewZone() *Zone { return &Zone{reloadShutdown: make(chan bool)} }

// Reload starts the reload goroutine: it takes the zone's own lock on a
// tick and leaves when the shutdown channel delivers.
func (z *Zone) Reload() {
	tick := time.NewTicker(z.ReloadInterval)
	go func() {
		for {
			select {
			case <-tick.C:
				z.setSerial(z.serial + 1)
			case <-z.reloadShutdown:
				tick.Stop()
				return
			}
		}
	}()
}

func (z *Zone) setSerial(n int) {
	z.Lock()
	z.serial = n
	z.Unlock()
}

// OnShutdown hands off to the reload goroutine.
func (z *Zone) OnShutdown() error { // want OnShutdown:`served\(locks=loopblock/chansendzone.Zone.RWMutex needs=\)`
	if z.ReloadInterval > 0 {
		z.reloadShutdown <- true
	}
	return nil
}

// A SlowZone fetches its data over HTTP on every tick: a shutdown sent
// during a fetch waits as long as the fetch.
type SlowZone struct {
	url      string
	shutdown chan bool
}

func NewSlowZone(url string) *SlowZone { return &SlowZone{url: url, shutdown: make(chan bool)} }

func (z *SlowZone) Reload() {
	tick := time.NewTicker(time.Minute)
	go func() {
		for {
			select {
			case <-tick.C:
				resp, err := http.Get(z.url)
				if err == nil {
					resp.Body.Close()
				}
			case <-z.shutdown:
				return
			}
		}
	}()
}

// OnShutdown gets no fact: the loop can block in http.Get.
func (z *SlowZone) OnShutdown() {
	z.shutdown <- true
}
