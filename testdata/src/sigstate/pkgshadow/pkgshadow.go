// Package pkgshadow holds the textbook shape of issue 17: a SIGHUP
// handler whose := declares a new variable instead of updating the
// package-level one the rest of the program reads.
package pkgshadow

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

type Config struct {
	Addr    string
	Workers int
}

func loadConfig(path string) (*Config, error) { return &Config{}, nil }

func loadValue(path string) (Config, error) { return Config{}, nil }

func loadLevel() (string, error) { return "info", nil }

var current *Config

var plain Config

var level = "info"

var limit int

// handle reads current once per request, not in a loop.
func handle(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, current.Addr, plain.Workers, level)
}

// reloadLoop is the textbook form: current, err := inside for range hup.
func reloadLoop(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			current, err := loadConfig(path) // want `declares a new current that shadows the current read by handle`
			if err != nil {
				log.Println("reload failed:", err)
				continue
			}
			fmt.Printf("reloaded config for %s\n", current.Addr)
		}
	}()
	http.HandleFunc("/", handle)
}

// reloadSelect: the same inside a select case.
func reloadSelect(path string, done chan struct{}) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for {
			select {
			case <-hup:
				plain, err := loadValue(path) // want `declares a new plain that shadows the plain read by handle`
				if err != nil {
					continue
				}
				log.Printf("reloaded: %d workers", plain.Workers)
			case <-done:
				return
			}
		}
	}()
}

// reloadIfInit: the := in an if statement's init.
func reloadIfInit() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if level, err := loadLevel(); err == nil { // want `declares a new level that shadows the level read by handle`
				log.Println("log level now", level)
			}
		}
	}()
}

// reloadNamed: the handler is a named function started with go.
func reloadNamed(hup chan os.Signal, path string) {
	for range hup {
		current, err := loadConfig(path) // want `declares a new current that shadows the current read by handle`
		if err != nil {
			continue
		}
		_ = current
	}
}

func startNamed(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go reloadNamed(hup, path)
}

// reloadAssign: ok: = assigns the package variable (err declared before).
func reloadAssign(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			var err error
			current, err = loadConfig(path) // ok: = updates the package variable
			if err != nil {
				log.Println(err)
			}
		}
	}()
}

// reloadStaged: ok: the new variable is validated, then stored.
func reloadStaged(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			current, err := loadConfig(path) // ok: handed on below (stored into the package variable)
			if err != nil {
				continue
			}
			store(current)
		}
	}()
}

func store(c *Config) { log.Println(c.Addr) }

var live atomic.Pointer[Config]

// reloadAtomic: ok: the new config is published with an atomic store.
func reloadAtomic(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			cfg, err := loadConfig(path) // ok: no package variable named cfg; published below
			if err != nil {
				continue
			}
			live.Store(cfg)
		}
	}()
}

// reloadOtherType: ok: a limit of another type is a different variable.
func reloadOtherType() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			limit, err := loadLevel() // ok: a string, not the int limit
			log.Println(limit, err)
		}
	}()
}

// reloadUnread: ok: nothing but the handler uses the name.
var scratch string

func reloadUnread() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			scratch, err := loadLevel() // ok: no other function reads scratch
			log.Println(scratch, err)
		}
	}()
}

func setScratch() { scratch = "x"; limit = 2 }

func (c *Config) Validate() error { return nil }

func (c *Config) Apply() {}

func (c *Config) Clone() *Config { return c }

// reloadValidated: the new config is only validated; the update under
// the lock still goes to a new variable.
func reloadValidated(path string, mu *sync.Mutex) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			mu.Lock()
			current, err := loadConfig(path) // want `declares a new current that shadows the current read by handle`
			mu.Unlock()
			if err != nil {
				continue
			}
			if err := current.Validate(); err != nil {
				log.Println("invalid config:", err)
			}
		}
	}()
}

// reloadApplied: ok: the new config is applied through a method with an
// effect of its own.
func reloadApplied(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			current, err := loadConfig(path) // ok: Apply uses the new value
			if err != nil {
				continue
			}
			current.Apply()
		}
	}()
}

// reloadCloned: ok: a method result other than a check hands it on.
func reloadCloned(path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			current, err := loadConfig(path) // ok: the clone is published below
			if err != nil {
				continue
			}
			live.Store(current.Clone())
		}
	}()
}
