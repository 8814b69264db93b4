package unjoined

import (
	"fmt"
	"github.com/asynclint/asynclint/passes/internal/knowledge"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// groupsOf returns the flows of the sync.WaitGroups and errgroup.Groups
// that fn makes.
func (c *checker) groupsOf(fn *ssa.Function) []*flow {
	var groups []*flow
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			v, ok := instr.(ssa.Value)
			if !ok || !isGroupOrigin(v) {
				continue
			}
			groups = append(groups, c.trace(fn, v))
		}
	}
	return groups
}

// isGroupOrigin reports whether v creates a group: a local WaitGroup or
// Group variable, or the group errgroup.WithContext returns.
func isGroupOrigin(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Alloc:
		return isGroupType(v.Type())
	case *ssa.Extract:
		call, ok := v.Tuple.(*ssa.Call)
		return ok && v.Index == 0 && calleeName(call.Common()) == "golang.org/x/sync/errgroup.WithContext"
	}
	return false
}

func isGroupType(t types.Type) bool {
	if code.IsNamedType(t, "sync", "WaitGroup") {
		return true
	}
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	return named.Obj().Name() == "Group" && knowledge.Unvendor(named.Obj().Pkg().Path()) == "golang.org/x/sync/errgroup"
}

// checkGroups reports goroutines of a group that fn starts and then
// returns without waiting for on some path. It returns fn's groups.
func (c *checker) checkGroups(fn *ssa.Function) []*flow {
	groups := c.groupsOf(fn)
	for _, g := range groups {
		if g.escaped {
			continue // waited for elsewhere, perhaps.
		}
		c.checkUnwaited(g, groups)
	}
	return groups
}

// checkUnwaited reports the first return of g's maker that leaves g's
// goroutines running.
func (c *checker) checkUnwaited(g *flow, groups []*flow) {
	var spawns []ssa.Instruction
	s := c.newSearch()
	waits := 0
	for _, u := range g.uses {
		switch {
		case u.kind == useWait && (u.thread != nil || u.deferred):
			return // waited for by another goroutine, or when the maker returns.
		case u.kind == useWait:
			s.cover(u.anchor, -1)
			waits++
		case u.kind == useGo && u.thread == nil && u.instr.Parent() == g.maker:
			spawns = append(spawns, u.instr)
		case u.kind == useDone && u.thread != nil && u.thread.Parent() == g.maker:
			spawns = append(spawns, u.thread)
		}
	}
	if len(spawns) == 0 || joinedElsewhere(g, spawns, groups) {
		return
	}
	sortByPos(spawns)
	s.cancelStops = sharesCancellation(spawns)
	name := valueName(g.origin)
	if ext, ok := g.origin.(*ssa.Extract); ok {
		_, name = c.makeSite(ext.Tuple.Pos()) // g, ctx := errgroup.WithContext(ctx)
	}
	if name == "complit" || name == "it" || name == "" {
		name = storedName(g.origin)
	}
	if name == "" {
		name = "the group"
	}
	if waits == 0 {
		c.pass.Report(analysis.Diagnostic{Pos: spawns[0].Pos(), Category: "missing-wait", Message: fmt.Sprintf("goroutine of %s is never waited for: %s never calls %s.Wait, so the goroutine may outlive it; wait for it before returning", name, c.displayName(g.maker), name)})
		return
	}
	for _, spawn := range spawns {
		e := s.from(spawn)
		if e == nil || e.kind == exitWait {
			continue
		}
		pos := e.pos
		if !pos.IsValid() {
			pos = spawn.Pos()
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: pos, Category: "missing-wait",
			Message: fmt.Sprintf("%s returns here without calling %s.Wait: the goroutines it started keep running after it returns; wait for them on every path (defer %s.Wait())",
				c.displayName(g.maker), name, name),
			Related: []analysis.RelatedInformation{{Pos: spawn.Pos(), Message: "goroutine started here"}},
		})
		return
	}
}

// joinedElsewhere reports whether a goroutine of g calls Done on another
// group of the same function: that group's Wait joins it (an errgroup used
// only for its limit, counted by a WaitGroup).
func joinedElsewhere(g *flow, spawns []ssa.Instruction, groups []*flow) bool {
	for _, other := range groups {
		if other == g {
			continue
		}
		for _, u := range other.uses {
			if u.kind != useDone {
				continue
			}
			for _, s := range spawns {
				if u.thread == s {
					return true
				}
			}
		}
	}
	return false
}

// storedName returns the name of the local variable v is stored in
// (wg := &sync.WaitGroup{}, captured by a closure), or "".
func storedName(v ssa.Value) string {
	for _, ref := range *v.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Val == v {
			if cell, ok := st.Addr.(*ssa.Alloc); ok && cell.Comment != "" {
				return cell.Comment
			}
		}
	}
	return ""
}
