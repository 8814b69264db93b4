package benchgen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// countStmts counts statements, block statements excluded.
func countStmts(n ast.Node) int {
	c := 0
	ast.Inspect(n, func(n ast.Node) bool {
		if _, ok := n.(ast.Stmt); ok {
			if _, block := n.(*ast.BlockStmt); !block {
				c++
			}
		}
		return true
	})
	return c
}

func TestBlockStmts(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "b.go", "package p\nfunc f() {\n"+block+"}\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := countStmts(f); got != blockStmts {
		t.Errorf("block has %d statements, blockStmts says %d", got, blockStmts)
	}
}

func TestWriteParses(t *testing.T) {
	dir := t.TempDir()
	ins := []Input{{"stmts/100", "stmts", 100}, {"funcs/3", "funcs", 3}, {"chain/4", "chain", 4}, {"xchain/3", "xchain", 3}}
	if err := Write(dir, ins); err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	funcs := map[string]int{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(path))
		for _, d := range f.Decls {
			if _, ok := d.(*ast.FuncDecl); ok {
				funcs[filepath.ToSlash(rel)]++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"stmts/100": 1, "funcs/3": 3, "chain/4": 5, "xchain/3/p0": 2, "xchain/3/p1": 1, "xchain/3/p2": 1}
	for pkg, n := range want {
		if funcs[pkg] != n {
			t.Errorf("%s: %d functions, want %d", pkg, funcs[pkg], n)
		}
	}
}
