// Package benchgen writes the generated Go module that the checks'
// benchmarks (passes/bench_test.go) analyse: inputs of growing size full
// of the constructs asynclint looks at (locks and guarded fields,
// goroutines and WaitGroups, selects on channels and timers, HTTP
// responses and files to close, signal.Notify), so that every check does
// real work and its growth with the input size shows.
package benchgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Module is the module path of the generated module.
const Module = "benchgen"

// An Input is one generated shape and size.
type Input struct {
	Name string // also the package directory, e.g. "stmts/10000"
	Kind string // stmts, funcs, chain or xchain
	N    int    // statements (approximate), functions, or chain depth
}

// Pkg returns the import path of the input's root package.
func (in Input) Pkg() string {
	if in.Kind == "xchain" {
		return Module + "/" + in.Name + "/p0"
	}
	return Module + "/" + in.Name
}

// Inputs are the benchmark inputs:
//   - stmts: one function of N statements, in blocks with branches,
//     goroutines and selects;
//   - funcs: a package of N functions of one block each;
//   - chain: a call chain of depth N inside a package, ending in a
//     blocking call, called from a loop;
//   - xchain: the same across N packages (facts cross every import).
func Inputs() []Input {
	var ins []Input
	for _, n := range []int{1000, 10000, 50000} {
		ins = append(ins, Input{fmt.Sprintf("stmts/%d", n), "stmts", n})
	}
	for _, n := range []int{100, 1000, 5000} {
		ins = append(ins, Input{fmt.Sprintf("funcs/%d", n), "funcs", n})
	}
	for _, n := range []int{100, 1000, 5000} {
		ins = append(ins, Input{fmt.Sprintf("chain/%d", n), "chain", n})
	}
	for _, n := range []int{10, 50, 250} {
		ins = append(ins, Input{fmt.Sprintf("xchain/%d", n), "xchain", n})
	}
	return ins
}

// Write writes the module with the given inputs into dir.
func Write(dir string, ins []Input) error {
	files := map[string]string{"go.mod": "module " + Module + "\n\ngo 1.26\n"}
	for _, in := range ins {
		switch in.Kind {
		case "stmts":
			files[in.Name+"/support.go"] = support(pkgName(in))
			files[in.Name+"/gen.go"] = stmts(pkgName(in), in.N)
		case "funcs":
			files[in.Name+"/support.go"] = support(pkgName(in))
			files[in.Name+"/gen.go"] = funcs(pkgName(in), in.N)
		case "chain":
			files[in.Name+"/support.go"] = support(pkgName(in))
			files[in.Name+"/gen.go"] = chain(pkgName(in), in.N)
		case "xchain":
			for i := range in.N {
				files[fmt.Sprintf("%s/p%d/gen.go", in.Name, i)] = xchainLink(in, i)
			}
		default:
			return fmt.Errorf("benchgen: unknown input kind %q", in.Kind)
		}
	}
	for name, text := range files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func pkgName(in Input) string { return in.Kind + fmt.Sprint(in.N) }

const imports = `import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)
`

// support declares what the blocks use, and uses every import.
func support(pkg string) string {
	return "package " + pkg + "\n\n" + imports + `
type state struct {
	mu    sync.Mutex
	n     int
	total int
	m     map[string]int
}

var (
	_ = context.Background
	_ = http.Get
	_ = os.Open
	_ = signal.Notify
	_ = syscall.SIGTERM
	_ = time.Now
)
`
}

// block is 32 statements (nested ones counted) of the kinds the
// checks inspect, with a branch every few lines.
const block = `	{
		s.mu.Lock()
		s.n++
		s.total += s.n
		s.m[key] = s.n
		s.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case ch <- s.n:
			case <-ctx.Done():
			}
		}()
		if s.n%2 == 0 {
			resp, err := http.Get(url)
			if err == nil {
				resp.Body.Close()
			}
		}
		t := time.NewTimer(time.Millisecond)
		select {
		case v := <-ch:
			s.n += v
		case <-t.C:
		}
		t.Stop()
		f, err := os.Open(key)
		if err != nil {
			return err
		}
		f.Close()
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM)
		signal.Stop(sig)
	}
`

// blockStmts is the number of statements in block, nested ones
// included, block statements excluded (benchgen_test checks it).
const blockStmts = 32

const params = "(ctx context.Context, s *state, wg *sync.WaitGroup, ch chan int, key, url string) error"

func stmts(pkg string, n int) string {
	var b strings.Builder
	b.WriteString("package " + pkg + "\n\n" + imports + "\nfunc Big" + params + " {\n")
	for range max(1, n/blockStmts) {
		b.WriteString(block)
	}
	b.WriteString("\treturn nil\n}\n")
	return b.String()
}

func funcs(pkg string, n int) string {
	var b strings.Builder
	b.WriteString("package " + pkg + "\n\n" + imports)
	for i := range n {
		fmt.Fprintf(&b, "\nfunc F%d%s {\n%s\treturn nil\n}\n", i, params, block)
	}
	return b.String()
}

// chain: Loop calls C0 in a for-select loop; Ci calls Ci+1; the last
// one blocks on a WaitGroup and a channel receive.
func chain(pkg string, n int) string {
	var b strings.Builder
	b.WriteString("package " + pkg + "\n\nimport (\n\t\"context\"\n\t\"sync\"\n)\n")
	b.WriteString(`
func Loop(ctx context.Context, wg *sync.WaitGroup, ch chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
			C0(wg, ch)
		}
	}
}
`)
	for i := range n - 1 {
		fmt.Fprintf(&b, "\nfunc C%d(wg *sync.WaitGroup, ch chan int) {\n\tC%d(wg, ch)\n}\n", i, i+1)
	}
	fmt.Fprintf(&b, "\nfunc C%d(wg *sync.WaitGroup, ch chan int) {\n\twg.Wait()\n\t<-ch\n}\n", n-1)
	return b.String()
}

// xchainLink is package p<i> of a cross-package chain: p0 loops over
// p1.C, p<i>.C calls p<i+1>.C, the last one blocks.
func xchainLink(in Input, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package p%d\n\nimport (\n\t\"context\"\n\t\"sync\"\n", i)
	next := fmt.Sprintf("%s/%s/p%d", Module, in.Name, i+1)
	if i+1 < in.N {
		fmt.Fprintf(&b, "\n\t%q\n", next)
	}
	b.WriteString(")\n\nvar _ = context.Background\n")
	if i == 0 {
		b.WriteString(`
func Loop(ctx context.Context, wg *sync.WaitGroup, ch chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
			C(wg, ch)
		}
	}
}
`)
	}
	if i+1 < in.N {
		fmt.Fprintf(&b, "\nfunc C(wg *sync.WaitGroup, ch chan int) {\n\tp%d.C(wg, ch)\n}\n", i+1)
	} else {
		b.WriteString("\nfunc C(wg *sync.WaitGroup, ch chan int) {\n\twg.Wait()\n\t<-ch\n}\n")
	}
	return b.String()
}
