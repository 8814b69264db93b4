package knowledge

import (
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestNamesExist checks that every full name in the tables names a
// function or method of the standard library as it is today, so that a
// typo or a renamed function does not silently empty an entry.
func TestNamesExist(t *testing.T) {
	var names []string
	for name, twin := range contextTwins {
		names = append(names, name, twin.Func)
		if !strings.HasSuffix(twin.Func, "."+twin.Name) {
			t.Errorf("twin of %s: Name %q is not the name of %s", name, twin.Name, twin.Func)
		}
		if !ObservesContext(twin.Func) {
			t.Errorf("twin %s does not observe its context", twin.Func)
		}
	}
	for name := range observesContext {
		names = append(names, name)
	}
	for name := range onlyFormats {
		names = append(names, name)
	}
	for name := range cancellers {
		names = append(names, name)
	}
	for name := range spawners {
		if !strings.Contains(name, "errgroup") { // not in the standard library
			names = append(names, name)
		}
	}
	for name := range ends {
		names = append(names, name)
	}
	funcs := stdFuncs(t, names)
	for _, name := range names {
		if !funcs[name] {
			t.Errorf("%s names no function of the standard library", name)
		}
	}
}

// stdFuncs loads the packages that names mention and returns the full
// names of their functions and methods.
func stdFuncs(t *testing.T, names []string) map[string]bool {
	paths := make(map[string]bool)
	for _, name := range names {
		s := strings.TrimLeft(name, "(*") // "(*net.Dialer).DialContext" or "os.Exit"
		if i := strings.Index(s, ")"); i >= 0 {
			s = s[:i]
		}
		paths[s[:strings.LastIndex(s, ".")]] = true
	}
	var patterns []string
	for p := range paths {
		patterns = append(patterns, p)
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedName}, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	funcs := make(map[string]bool)
	for _, pkg := range pkgs {
		scope := pkg.Types.Scope()
		for _, n := range scope.Names() {
			switch obj := scope.Lookup(n).(type) {
			case *types.Func:
				funcs[obj.FullName()] = true
			case *types.TypeName:
				for _, ptr := range []bool{false, true} {
					typ := obj.Type()
					if ptr {
						typ = types.NewPointer(typ)
					}
					ms := types.NewMethodSet(typ)
					for i := range ms.Len() {
						funcs[ms.At(i).Obj().(*types.Func).FullName()] = true
					}
				}
			}
		}
	}
	return funcs
}

// TestUncatchableSignal checks the table by object on the host's
// syscall package (sigstate's TestGOOS checks it for each GOOS).
func TestUncatchableSignal(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes}, "syscall", "os")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"syscall.SIGKILL": "SIGKILL", "syscall.SIGSTOP": "SIGSTOP", "os.Kill": "SIGKILL",
		"syscall.SIGCONT": "", "syscall.SIGTERM": "", "os.Interrupt": ""}
	for _, pkg := range pkgs {
		for full, name := range want {
			path, id, _ := strings.Cut(full, ".")
			if path != pkg.PkgPath {
				continue
			}
			obj := pkg.Types.Scope().Lookup(id)
			if obj == nil {
				t.Skipf("%s has no %s on this GOOS", path, id)
			}
			got, ok := UncatchableSignal(obj)
			if got != name || ok != (name != "") {
				t.Errorf("UncatchableSignal(%s) = %q, %v; want %q", full, got, ok, name)
			}
		}
	}
}

func TestUnvendor(t *testing.T) {
	for in, want := range map[string]string{
		"(*a/vendor/log.Logger).Fatal":    "(*log.Logger).Fatal",
		"a/vendor/os.Exit":                "os.Exit",
		"(*testing.common).FailNow":       "(*testing.common).FailNow",
		"example.com/vendored/pkg.Fatalf": "example.com/vendored/pkg.Fatalf",
	} {
		if got := Unvendor(in); got != want {
			t.Errorf("Unvendor(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNoReturn(t *testing.T) {
	for name, want := range map[string]bool{"os.Exit": true, "log.Panicf": true, "runtime.Goexit": true, "fmt.Println": false, "log.Printf": false} {
		if got := NoReturn(name); got != want {
			t.Errorf("NoReturn(%q) = %v, want %v", name, got, want)
		}
	}
}
