// Package chansendserve holds sends made under a lock to a goroutine
// loop that always comes back to receive (a serving loop), named after
// the findings on coredns, amqp091-go and controller-runtime, beside
// look-alikes whose receiver takes the sender's lock, does slow work, can
// stop for good, or does not exist, which must still report.
package chansendserve

import (
	"sync"

	"loopblock/chansendzone"
)

// Zones is coredns's plugin/auto.Zones.
type Zones struct {
	Z    map[string]*chansendzone.Zone
	Slow map[string]*chansendzone.SlowZone
	sync.RWMutex
}

// Remove is coredns's auto.Zones.Remove (zone.go:64).
func (z *Zones) Remove(name string) {
	z.Lock()
	if zo, ok := z.Z[name]; ok {
		zo.OnShutdown() // ok: the reload goroutine takes the zone's lock, not z's, and is back at its select after one tick
	}
	delete(z.Z, name)
	z.Unlock()
}

// Shutdown is coredns's auto setup.go:78: the zone's own lock is held
// while its reload goroutine may need it for a tick.
func (z *Zones) Shutdown() {
	for _, zo := range z.Z {
		zo.Lock()
		zo.OnShutdown() // want `call of chansendzone.Zone.OnShutdown can block without bound \(it reaches channel send on z.reloadShutdown at zone.go:\d+\) while zo is held`
		zo.Unlock()
	}
}

// RemoveSlow sends to a loop that can be in the middle of a fetch.
func (z *Zones) RemoveSlow(name string) {
	z.Lock()
	defer z.Unlock()
	if zo, ok := z.Slow[name]; ok {
		zo.OnShutdown() // want `call of chansendzone.SlowZone.OnShutdown can block without bound`
	}
}
