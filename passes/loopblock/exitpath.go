package loopblock

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/cfg"

	"github.com/asynclint/asynclint/passes/internal/blocking"
)

// exitPath returns a predicate that reports whether every path from op,
// in a case body of the select of loop, leaves the loop without coming
// back to the select: a return, a break or goto out of the loop, a call
// that never returns. Such an operation is the loop's shutdown and no
// event waits behind it (sarama's brokerProducer.run calls bp.shutdown()
// when its input is closed, then returns). The control-flow graph of fn
// comes from ctrlflow, which knows the calls that never return.
func exitPath(pass *analysis.Pass, fn *function, loop ast.Stmt) func(op blocking.Op) bool {
	never := func(blocking.Op) bool { return false }
	cfgs, ok := pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
	if !ok {
		return never
	}
	g := cfgOf(cfgs, fn)
	if g == nil {
		return never // missing type information.
	}
	return func(op blocking.Op) bool {
		start := blockOf(g, anchor(op))
		return start != nil && !reachesLoop(start, loop)
	}
}

// anchor returns a position of op that lies inside a node of the
// control-flow graph: a select's first comm, a range loop's operand.
func anchor(op blocking.Op) token.Pos {
	switch n := op.Node.(type) {
	case *ast.SelectStmt:
		for _, stmt := range n.Body.List {
			if cc, ok := stmt.(*ast.CommClause); ok && cc.Comm != nil {
				return cc.Comm.Pos()
			}
		}
	case *ast.RangeStmt:
		return n.X.Pos()
	}
	return op.Pos()
}

// blockOf returns the block of g whose node is the innermost one around
// pos, nil when none is.
func blockOf(g *cfg.CFG, pos token.Pos) *cfg.Block {
	var (
		best *cfg.Block
		size token.Pos
	)
	for _, b := range g.Blocks {
		for _, n := range b.Nodes {
			if n.Pos() <= pos && pos < n.End() && (best == nil || n.End()-n.Pos() < size) {
				best, size = b, n.End()-n.Pos()
			}
		}
	}
	return best
}

// reachesLoop reports whether a path from the block start comes back to
// the head of loop (its condition, post statement or range step).
func reachesLoop(start *cfg.Block, loop ast.Stmt) bool {
	seen := map[*cfg.Block]bool{start: true}
	work := []*cfg.Block{start}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, succ := range b.Succs {
			if seen[succ] {
				continue
			}
			seen[succ] = true
			if succ.Stmt == loop {
				switch succ.Kind {
				case cfg.KindForLoop, cfg.KindForPost, cfg.KindForBody, cfg.KindRangeLoop, cfg.KindRangeBody:
					return true
				}
			}
			work = append(work, succ)
		}
	}
	return false
}

// cfgOf returns the control flow graph of fn, or nil.
func cfgOf(cfgs *ctrlflow.CFGs, fn *function) *cfg.CFG {
	switch n := fn.node.(type) {
	case *ast.FuncDecl:
		return cfgs.FuncDecl(n)
	case *ast.FuncLit:
		return cfgs.FuncLit(n)
	}
	return nil
}
