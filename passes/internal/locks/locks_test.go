package locks_test

import (
	"go/ast"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/internal/locks"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// probe reports what the model knows: every lock call with its mutex's
// text and key, every release through a func value, and, at each call
// of held(), the mutexes held there.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "report what locks knows",
	Requires: []*analysis.Analyzer{locks.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		m := report.HelperResult[*locks.Model](pass, locks.Analyzer)
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					if c, ok := locks.CallOf(pass.TypesInfo, call); ok {
						pass.Reportf(call.Pos(), "%s %s key=%q", ops[c.Op], c.Mutex.Text, c.Mutex.Key)
					} else if r, ok := m.Release(call); ok {
						pass.Reportf(call.Pos(), "releases %s", r.Mutex.Text)
					}
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "held" {
						var held []string
						for _, mu := range m.HeldAt(fd.Body, call.Pos()) {
							held = append(held, mu.Text)
						}
						pass.Reportf(call.Pos(), "held: %s", strings.Join(held, ","))
					}
					return true
				})
			}
		}
		return nil, nil
	},
}

var ops = map[locks.Op]string{locks.Lock: "Lock", locks.RLock: "RLock", locks.Unlock: "Unlock", locks.RUnlock: "RUnlock"}

func Test(t *testing.T) {
	analysistest.Run(t, checktest.TestData(), probe, "locks/a")
}

func TestAcross(t *testing.T) {
	for _, tc := range []struct {
		a, b locks.Mutex
		want bool
	}{
		{locks.Mutex{Key: "p.T.mu", Text: "s.mu"}, locks.Mutex{Key: "p.T.mu", Text: "t.mu"}, true},
		{locks.Mutex{Key: "p.T.mu", Text: "s.mu"}, locks.Mutex{Key: "p.U.mu", Text: "s.mu"}, false},
		{locks.Mutex{Text: "mu"}, locks.Mutex{Text: "mu"}, true},
		{locks.Mutex{Text: "mu"}, locks.Mutex{Key: "p.mu", Text: "mu"}, false},
		{locks.Mutex{}, locks.Mutex{}, false},
	} {
		if got := tc.a.Across(tc.b); got != tc.want {
			t.Errorf("%+v.Across(%+v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
