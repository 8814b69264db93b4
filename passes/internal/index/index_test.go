package index_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/asynclint/asynclint/passes/internal/index"
)

const src = `package p

type T[E any] struct{ e E }

func (t *T[E]) Get() E { return t.e }

func a() {}

func noBody()

func b() { _ = (&T[int]{}).Get() }
`

func TestIndex(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	pkg, err := (&types.Config{Importer: importer.Default(), Error: func(error) {}}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	ix := index.New(info, []*ast.File{f})
	var names []string
	for _, d := range ix.Decls() {
		names = append(names, d.Fn.Name())
	}
	if got, want := len(names), 3; got != want || names[0] != "Get" || names[1] != "a" || names[2] != "b" {
		t.Errorf("Decls = %v, want [Get a b] (source order, no body-less declaration)", names)
	}
	if ix.Decl(pkg.Scope().Lookup("noBody").(*types.Func)) != nil {
		t.Error("Decl(noBody) != nil for a declaration without a body")
	}
	// The instantiated method T[int].Get resolves to its generic origin.
	for sel, s := range info.Selections {
		if sel.Sel.Name == "Get" {
			fn := s.Obj().(*types.Func)
			if fn.Origin() == fn {
				t.Fatal("expected an instantiated method")
			}
			if d := ix.Decl(fn); d == nil || d.Name.Name != "Get" {
				t.Errorf("Decl(instance of Get) = %v, want the generic declaration", d)
			}
		}
	}
}
