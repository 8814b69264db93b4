package code_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"

	"github.com/asynclint/asynclint/passes/internal/code"
)

const storesSrc = `package p

type T struct{ c chan int }

func f() (chan int, error) { return nil, nil }
func g(a chan int, rest ...int) {}

func h(m map[int]chan int, x chan int) {
	var zero chan int
	var d = x
	var e, err = f()
	a, b := x, x
	v, ok := m[0]
	zero = m[1]
	t := T{c: x}
	g(x)
	g(x, 1, 2)
	g(x, []int{1}...)
	_, _, _, _, _, _, _, _, _ = zero, d, e, err, a, b, v, ok, t
}
`

// TestStores checks every store of a small file, with its result index
// and the Value that blocking and chanflow read.
func TestStores(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", storesSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
	pkg, err := new(types.Config).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	code.ForEachStore(info, pkg, f, func(s code.Store) {
		if id, ok := s.Lhs.(*ast.Ident); ok && id.Name == "_" {
			return // the uses that keep the compiler quiet.
		}
		var dest string
		switch {
		case s.Lhs != nil:
			dest = types.ExprString(s.Lhs)
		case s.Obj.IsField():
			dest = "field " + s.Obj.Name()
		default:
			dest = "param " + s.Obj.Name()
		}
		value := "nil"
		if v := s.Value(); v != nil {
			value = types.ExprString(v)
		}
		got = append(got, fmt.Sprintf("%s = %s [%d] value %s", dest, types.ExprString(s.Rhs), s.Index, value))
	})
	want := []string{
		"d = x [-1] value x",
		"e = f() [0] value nil", // var e, err = f(): not followed.
		"err = f() [1] value nil",
		"a = x [-1] value x",
		"b = x [-1] value x",
		"v = m[0] [0] value m[0]", // the first result of an assignment.
		"ok = m[0] [1] value nil",
		"zero = m[1] [-1] value m[1]",
		"t = T{…} [-1] value T{…}",
		"field c = x [-1] value x",
		"param a = x [-1] value x",
		"param a = x [-1] value x", // g(x, 1, 2): the variadic part binds to rest.
		"param rest = 1 [-1] value 1",
		// g(x, []int{1}...) is not followed; neither is var zero chan int.
	}
	if !slices.Equal(got, want) {
		t.Errorf("stores:\n got %q\nwant %q", got, want)
	}
}
