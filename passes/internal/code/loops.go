package code

import "golang.org/x/tools/go/ssa"

// A Loop is the natural loop of the back edges to Header in an SSA
// function's control-flow graph: the blocks from which a back edge can
// be reached without passing the header (a header dominates every
// block of its loop).
type Loop struct {
	Header *ssa.BasicBlock
	Body   map[*ssa.BasicBlock]bool
}

// NaturalLoop returns the loop headed by h, or nil if no back edge
// enters h.
func NaturalLoop(h *ssa.BasicBlock) *Loop {
	var l *Loop
	var work []*ssa.BasicBlock
	for _, p := range h.Preds {
		if !h.Dominates(p) {
			continue // an entry edge, not a back edge
		}
		if l == nil {
			l = &Loop{Header: h, Body: map[*ssa.BasicBlock]bool{h: true}}
		}
		if !l.Body[p] {
			l.Body[p] = true
			work = append(work, p)
		}
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range b.Preds {
			if !l.Body[p] {
				l.Body[p] = true
				work = append(work, p)
			}
		}
	}
	return l
}

// InnermostLoop returns the innermost natural loop that contains b, or
// nil. Its header dominates b, so it is on b's dominator chain.
func InnermostLoop(b *ssa.BasicBlock) *Loop {
	for h := b; h != nil; h = h.Idom() {
		if l := NaturalLoop(h); l != nil && l.Body[b] {
			return l
		}
	}
	return nil
}

// Contains reports whether v is computed inside the loop.
func (l *Loop) Contains(v ssa.Value) bool {
	instr, ok := v.(ssa.Instruction)
	return ok && instr.Block() != nil && l.Body[instr.Block()]
}
