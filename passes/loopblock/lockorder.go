package loopblock

// This file finds two mutexes of one object locked in both orders: a
// function that holds s.a while it locks s.b, and another that holds
// s.b while it locks s.a. Two goroutines running them on the same
// object each wait for the lock the other holds. Only pairs reached from
// the same root (s.a and s.b, or the same package variables) are
// compared, so two instances of a type locked in a fixed order by their
// address (a transfer between two accounts) are left alone.

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/locks"
)

// An orderEdge is a lock taken while another of the same root is held.
type orderEdge struct {
	held, taken locks.Call
	fn          *function
}

// checkLockOrder reports the pairs of mutexes that the package's
// functions lock in both orders.
func checkLockOrder(pass *analysis.Pass, model *locks.Model, fns []*function) {
	edges := make(map[[2]string]orderEdge) // by (held key, taken key): the first seen
	var order [][2]string
	for _, fn := range fns {
		regions := model.Regions(fn.body)
		if len(regions) < 2 {
			continue
		}
		for _, outer := range regions {
			for _, inner := range regions {
				if inner.Lock.Call == outer.Lock.Call || !outer.Holds(inner.Lock.Call.Pos()) {
					continue
				}
				a, b := outer.Lock.Mutex, inner.Lock.Mutex
				if a.Key == "" || b.Key == "" || a.Key == b.Key || rootOf(a.Text) != rootOf(b.Text) {
					continue
				}
				k := [2]string{a.Key, b.Key}
				if _, seen := edges[k]; !seen {
					edges[k] = orderEdge{outer.Lock, inner.Lock, fn}
					order = append(order, k)
				}
			}
		}
	}
	reported := make(map[[2]string]bool)
	for _, k := range order {
		back, ok := edges[[2]string{k[1], k[0]}]
		if !ok || reported[k] || reported[[2]string{k[1], k[0]}] {
			continue
		}
		reported[k] = true
		e := edges[k]
		pass.Report(analysis.Diagnostic{Pos: e.taken.Call.Pos(), End: e.taken.Call.End(), Category: "lock-order",
			Message: fmt.Sprintf("%s locks %s while holding %s, but %s locks them the other way round (%s, then %s): two goroutines running both on one object deadlock; take them in one order everywhere",
				e.fn.name, e.taken.Mutex.Text, e.held.Mutex.Text, back.fn.name, back.held.Mutex.Text, back.taken.Mutex.Text),
			Related: []analysis.RelatedInformation{
				{Pos: e.held.Call.Pos(), End: e.held.Call.End(), Message: e.held.Mutex.Text + " is locked here first"},
				{Pos: back.held.Call.Pos(), End: back.held.Call.End(), Message: back.fn.name + " locks " + back.held.Mutex.Text + " first here"},
				{Pos: back.taken.Call.Pos(), End: back.taken.Call.End(), Message: "then " + back.taken.Mutex.Text + " here"},
			}})
	}
}

// rootOf returns the variable a mutex expression starts from: s in s.a.mu.
func rootOf(text string) string {
	if i := strings.IndexAny(text, ".[("); i >= 0 {
		return text[:i]
	}
	return text
}
