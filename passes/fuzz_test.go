package passes_test

import (
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes"
)

// seeds are the fuzzer's starting points: the shapes every check looks
// at, odd generics, deep nesting, huge literals and half-typed code. The
// seed corpus runs as an ordinary test; go test -fuzz=FuzzChecks mutates
// it.
var seeds = []string{
	`package p
import ("net/http"; "os"; "os/signal"; "sync"; "time"; "context"; "database/sql")
var mu sync.Mutex
func h(w http.ResponseWriter, r *http.Request) { mu.Lock(); time.Sleep(time.Second); mu.Unlock(); resp, _ := http.Get("x"); _ = resp }
func loop(ch chan int, ctx context.Context, db *sql.DB) { for { select { case v := <-ch: ch <- v; db.Exec("x"); case <-ctx.Done(): return } } }
func sig() { c := make(chan os.Signal); signal.Notify(c, os.Kill); go func() { <-c; os.Exit(1) }() }
func leak() { ch := make(chan int); go func() { ch <- 1 }(); select { case <-ch: case <-time.After(time.Second): } }
func tx(ctx context.Context, db *sql.DB) error { t, err := db.BeginTx(ctx, nil); if err != nil { return err }; if _, err := t.ExecContext(ctx, "a"); err != nil { return err }; return t.Commit() }
`,
	`package p
type Number interface{ ~int | ~float64 }
func Sum[T Number](xs ...T) (s T) { for _, x := range xs { s += x }; return }
type List[T any] struct{ next *List[T]; v T }
func (l *List[T]) Each(f func(T)) { for ; l != nil; l = l.next { f(l.v) } }
func G[C ~chan E, E any](c C) E { return <-c }
var _ = Sum[int](1, 2)
`,
	`package p
func f() { if true { if true { if true { if true { if true { for { for { switch { case true: select {} } } } } } } } } }
var big = [...]int{` + strings.Repeat("1,", 5000) + `}
`,
	`package p
import "net/http"
func h(w http.ResponseWriter, r *http.Request) { var x int = "no"; undefined(); resp, err := http.Get(r.URL.String()); _ = resp; _ = err }
`,
	`package p
import "os/signal"
func f() { signal.Notify(); signal.Notify(nil); var c chan int; signal.Notify(c) }
`,
	`package p
func f(ch chan<- int, done <-chan struct{}) { go func() { for range done {} }(); go f(ch, done); defer func() { recover() }() ; goto L; L: }
`,
}

func FuzzChecks(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	analyzers := passes.Analyzers()
	f.Fuzz(func(t *testing.T, src string) {
		diags, err := checktest.RunSource(src, analyzers)
		if err != nil {
			t.Fatalf("an analyzer failed: %v\nsource:\n%s", err, src)
		}
		for _, d := range diags {
			if d.Category == passes.InternalErrorCategory {
				t.Fatalf("a check panicked: %s\nsource:\n%s", d.Message, src)
			}
		}
	})
}

// TestRunSourceRunsChecks makes sure the fuzz harness really runs the
// checks: on the first seed, sigstate must report its two findings.
func TestRunSourceRunsChecks(t *testing.T) {
	diags, err := checktest.RunSource(seeds[0], passes.Analyzers())
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"unbuffered channel c", "os.Kill (SIGKILL) cannot be trapped"} {
		if !strings.Contains(all, want) {
			t.Errorf("no diagnostic containing %q in:\n%s", want, all)
		}
	}
}
