// Package fix holds blocking calls with a mechanical fix: a context is in
// scope, so the call can take it.
package fix

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os/exec"
	"time"
)

type Store struct {
	db   *sql.DB
	in   chan string
	tick *time.Ticker
}

func (s *Store) handleConvert(w http.ResponseWriter, r *http.Request) {
	out, err := exec.Command("convert", r.URL.Path).Output() // want `exec.Cmd.Output of a command made by exec.Command can block without bound in HTTP handler Store.handleConvert`
	if err != nil {
		return
	}
	w.Write(out)
}

func (s *Store) handleQuery(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rows, err := s.db.Query("SELECT name FROM users WHERE id = ?", r.URL.Query().Get("id")) // want `sql.DB.Query without a context can block without bound in HTTP handler Store.handleQuery: .*; use QueryContext with a context`
	if err != nil {
		return
	}
	defer rows.Close()
	_ = ctx
}

func (s *Store) handlePing(w http.ResponseWriter, r *http.Request) {
	if err := s.db.Ping(); err != nil { // want `sql.DB.Ping without a context`
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	}
	tx, err := s.db.Begin() // want `sql.DB.Begin without a context`
	if err != nil {
		return
	}
	tx.Commit()
}

func (s *Store) Loop(ctx context.Context) {
	for {
		select {
		case name := <-s.in:
			cmd := exec.Command("index", name)
			cmd.Start()
			cmd.Wait() // want `exec.Cmd.Wait of a command made by exec.Command can block without bound in the for-select loop in Store.Loop`
		case <-s.tick.C:
			s.db.Exec("DELETE FROM sessions WHERE expired") // want `sql.DB.Exec without a context can block without bound in the for-select loop in Store.Loop`
		case <-ctx.Done():
			return
		}
	}
}

// No context in scope: reported, but with no fix.
func (s *Store) LoopNoCtx(quit chan struct{}) {
	for {
		select {
		case name := <-s.in:
			s.db.Exec("INSERT INTO names VALUES (?)", name) // want `sql.DB.Exec without a context can block without bound in the for-select loop in Store.LoopNoCtx`
		case <-s.tick.C:
			s.db.Exec("DELETE FROM sessions WHERE expired") // want `sql.DB.Exec without a context`
		case <-quit:
			return
		}
	}
}

func (s *Store) handleBackend(w http.ResponseWriter, r *http.Request) {
	c, err := net.Dial("tcp", "backend:80") // want `net.Dial without a timeout can block without bound in HTTP handler Store.handleBackend`
	if err != nil {
		return
	}
	c.Close()
}
