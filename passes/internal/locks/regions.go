package locks

// This file answers where a function body holds a mutex, and where it
// runs having released one.

import (
	"go/ast"
	"go/token"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// A Region is a stretch of a function body during which a mutex is
// held: from the end of its Lock (or RLock) call to the release.
type Region struct {
	Lock     Call
	Pos, End token.Pos
	// Holes are the stretches within where a release on one path has
	// let the mutex go: from an Unlock in a nested block to that block's
	// end or the next Lock (mu.Unlock(); return s.ack(rp)).
	Holes []Window
}

// Holds reports whether r holds the mutex at pos.
func (r Region) Holds(pos token.Pos) bool {
	if pos < r.Pos || pos >= r.End {
		return false
	}
	for _, h := range r.Holes {
		if pos >= h.Pos && pos < h.End {
			return false
		}
	}
	return true
}

// Regions returns the regions of body (not of its func literals) where a
// mutex is held: from a Lock statement to the first release of the same
// mutex after it, or to the end of the body when the release is
// deferred. A lock whose release is nowhere after it holds to the end of
// its block. A release in a nested block (an early return's Unlock)
// leaves a hole from there to that block's end.
func (m *Model) Regions(body *ast.BlockStmt) []Region {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rs, ok := m.regions[body]; ok {
		return rs
	}
	rs := m.regionsOf(body)
	if m.regions == nil {
		m.regions = make(map[*ast.BlockStmt][]Region)
	}
	m.regions[body] = rs
	return rs
}

// regionsOf computes Regions(body).
func (m *Model) regionsOf(body *ast.BlockStmt) []Region {
	var regions []Region
	var windows []Window
	code.ForEachStmtList(body, func(list []ast.Stmt, end token.Pos) {
		for i, stmt := range list {
			es, ok := stmt.(*ast.ExprStmt)
			if !ok {
				continue
			}
			if c, ok := Takes(m.info, es.X); ok {
				if windows == nil {
					windows = m.Unlocked(body)
				}
				r := Region{Lock: c, Pos: c.Call.End(), End: m.regionEnd(body, list[i+1:], c, end)}
				for _, w := range windows {
					if w.Mutex.Same(c.Mutex) && w.Pos > r.Pos && w.Pos < r.End {
						r.Holes = append(r.Holes, w)
					}
				}
				regions = append(regions, r)
			}
		}
	})
	return regions
}

// regionEnd returns where the lock c is released.
func (m *Model) regionEnd(body *ast.BlockStmt, rest []ast.Stmt, c Call, blockEnd token.Pos) token.Pos {
	for _, stmt := range rest {
		switch stmt := stmt.(type) {
		case *ast.DeferStmt:
			if r, ok := m.Release(stmt.Call); ok && r.Mutex.Same(c.Mutex) {
				return body.End()
			}
		case *ast.ExprStmt:
			if r, ok := m.Release(stmt.X); ok && r.Mutex.Same(c.Mutex) {
				return r.Call.Pos() // a defer after it belongs to a later Lock.
			}
		}
	}
	pos := c.Call.End()
	end := token.NoPos
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || end.IsValid() {
			return false
		}
		if e, ok := n.(ast.Expr); ok && n.Pos() > pos {
			if r, ok := m.Release(e); ok && r.Mutex.Same(c.Mutex) {
				end = r.Call.Pos()
				return false
			}
		}
		return true
	})
	if end.IsValid() {
		return end
	}
	return blockEnd
}

// HeldAt returns the mutexes that body holds at pos (by Regions).
func (m *Model) HeldAt(body *ast.BlockStmt, pos token.Pos) []Mutex {
	var held []Mutex
	for _, r := range m.Regions(body) {
		if r.Holds(pos) {
			held = append(held, r.Lock.Mutex)
		}
	}
	return held
}

// A Window is a stretch of a function body where it runs having released
// Mutex: from a release statement to the next Lock of the same mutex in
// the same block, or the block's end (raft.isCurrent in nats-server:
// n.Unlock(); time.Sleep(d); n.Lock()).
type Window struct {
	Mutex    Mutex
	Pos, End token.Pos
}

// Unlocked returns the windows of body where it runs having released a
// mutex that it, or its caller, held before.
func (m *Model) Unlocked(body *ast.BlockStmt) []Window {
	var ws []Window
	code.ForEachStmtList(body, func(list []ast.Stmt, end token.Pos) {
		for i, stmt := range list {
			es, ok := stmt.(*ast.ExprStmt)
			if !ok {
				continue
			}
			r, ok := m.Release(es.X)
			if !ok {
				continue
			}
			w := Window{r.Mutex, stmt.End(), end}
			for _, next := range list[i+1:] {
				if es, ok := next.(*ast.ExprStmt); ok {
					if c, ok := Takes(m.info, es.X); ok && c.Mutex.Same(r.Mutex) {
						w.End = next.Pos()
						break
					}
				}
			}
			ws = append(ws, w)
		}
	})
	return ws
}
