package index_test

import (
	"fmt"
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
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
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

const startsSrc = `package p

import (
	"context"
	"fmt"
	"sync"
)

type S struct{}

func (s *S) tick() {}

func run(ctx context.Context, s *S, wg *sync.WaitGroup, f func()) {
	go func() {}()
	go s.tick()
	go fmt.Println()
	go f()
	wg.Go(s.tick)
	context.AfterFunc(ctx, func() {})
}
`

// TestStarts checks that every kind of goroutine start is indexed, with
// its body when the package declares it.
func TestStarts(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", startsSrc, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range index.New(info, []*ast.File{f}).Starts() {
		desc := "go"
		if st.Spawner != nil {
			desc = st.Spawner.Name()
		}
		switch {
		case st.Lit != nil:
			desc += " literal"
		case st.Fn != nil && st.Body != nil:
			desc += " " + st.Fn.Name()
		case st.Fn != nil:
			desc += " " + st.Fn.Name() + " (no body)"
		default:
			desc += " unknown"
		}
		got = append(got, desc)
	}
	want := []string{"go literal", "go tick", "go Println (no body)", "go unknown", "Go tick", "AfterFunc literal"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Starts = %q, want %q", got, want)
	}
}
