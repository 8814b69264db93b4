package code

import (
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// ImportFuncFacts imports, while a helper's Run is running, the facts of
// type F of every function and method of another package that the
// package refers to (called, taken as a value, or named as an interface
// method), keyed by origin. The analysis API forbids ImportObjectFact
// once Run has returned, so a helper imports here what its Result will
// be asked and answers from the map afterwards, as x/tools' ctrlflow
// does for its noReturn facts.
func ImportFuncFacts[F any, PF interface {
	*F
	analysis.Fact
}](pass *analysis.Pass) map[*types.Func]*F {
	facts := make(map[*types.Func]*F)
	seen := make(map[*types.Func]bool)
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
			continue
		}
		fn = fn.Origin()
		if seen[fn] {
			continue
		}
		seen[fn] = true
		if fact := PF(new(F)); pass.ImportObjectFact(fn, fact) {
			facts[fn] = (*F)(fact)
		}
	}
	return facts
}
