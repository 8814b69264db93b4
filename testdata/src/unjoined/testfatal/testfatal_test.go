// Package testfatal: t.Fatal and t.FailNow end the goroutine that calls
// them (runtime.Goexit), running only its deferred calls.
package testfatal

import (
	"sync"
	"testing"
	"time"

	"unjoined/testfatal/require"
)

func work(int) (int, error) { return 0, nil }

// fatalf is a helper every path of which ends in t.Fatalf.
func fatalf(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Fatalf(format, args...)
}

// failer is a test-helper type of the gocheck or testify-suite kind.
type failer struct{ t *testing.T }

func (f *failer) FailNow()              { f.t.FailNow() }
func (f *failer) Fatal(args ...any)     { f.t.Fatal(args...) }
func (f *failer) Errorf(string, ...any) {}
func (f *failer) Fatalf(string, ...any) { f.t.FailNow() }

// TestRangeFatal: t.Fatal in the range body ends the test; the failure is
// the report.
func TestRangeFatal(t *testing.T) {
	results := make(chan int)
	for i := range 3 {
		go func() {
			v, _ := work(i)
			results <- v // ok: the parent leaves its receive loop only through t.Fatal
		}()
	}
	for range 3 {
		select {
		case v := <-results:
			if v < 0 {
				t.Fatal("negative")
			}
		case <-time.After(time.Second):
			t.Fatal("timeout")
		}
	}
}

// TestHelperFatal: a helper that always fails the test.
func TestHelperFatal(t *testing.T) {
	errc := make(chan error)
	go func() {
		_, err := work(1)
		errc <- err // ok: the timeout case ends the test through fatalf
	}()
	select {
	case err := <-errc:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(time.Second):
		fatalf(t, "timeout after %v", time.Second)
	}
}

// TestMethodFailNow: a FailNow method of a helper type.
func TestMethodFailNow(t *testing.T) {
	f := &failer{t}
	errc := make(chan error)
	go func() {
		_, err := work(1)
		errc <- err // ok: the timeout case ends the test through f.FailNow
	}()
	select {
	case err := <-errc:
		_ = err
	case <-time.After(time.Second):
		f.FailNow()
	}
}

// TestRangeError: t.Error does not end the test, and the return leaves
// the other senders blocked.
func TestRangeError(t *testing.T) {
	results := make(chan int)
	for i := range 3 {
		go func() {
			v, _ := work(i)
			results <- v // want `goroutines send on unbuffered channel results, but TestRangeError stops receiving when it returns on a timeout`
		}()
	}
	for range 3 {
		select {
		case v := <-results:
			if v < 0 {
				t.Fatal("negative")
			}
		case <-time.After(time.Second):
			t.Error("timeout")
			return
		}
	}
}

// TestHelperError: a helper that only logs returns.
func TestHelperError(t *testing.T) {
	errc := make(chan error)
	go func() {
		_, err := work(1)
		errc <- err // want `goroutine sends on unbuffered channel errc, but TestHelperError stops receiving when it returns on a timeout`
	}()
	select {
	case err := <-errc:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(time.Second):
		errorf(t, "timeout after %v", time.Second)
	}
}

func errorf(t *testing.T, format string, args ...any) {
	t.Helper()
	if format != "" {
		t.Fatalf(format, args...)
	}
}

// TestGoroutineFatal: t.Fatal in the goroutine's range body ends only
// that goroutine: its wg.Done is skipped and wg.Wait hangs the test.
func TestGoroutineFatal(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for i := range 3 {
			if _, err := work(i); err != nil {
				t.Fatal(err) // want `goroutine ends here \(FailNow runs only its deferred calls\) without calling wg.Done`
			}
		}
		wg.Done()
	}()
	wg.Wait()
}

// TestGoroutineFatalDeferred: the deferred Done runs on FailNow too.
func TestGoroutineFatalDeferred(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 3 {
			if _, err := work(i); err != nil {
				t.Fatal(err) // ok: FailNow runs the deferred Done
			}
		}
	}()
	wg.Wait()
}

// TestGoroutineError: t.Error and continue: Done always runs.
func TestGoroutineError(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for i := range 3 {
			if _, err := work(i); err != nil {
				t.Error(err) // ok: the goroutine goes on to wg.Done
			}
		}
		wg.Done()
	}()
	wg.Wait()
}

// TestRequireFailNow: testify-style FailNow ends the test through an
// interface call: the name says it does not return.
func TestRequireFailNow(t *testing.T) {
	results := make(chan int)
	for i := range 3 {
		go func() {
			v, _ := work(i)
			results <- v // ok: the parent leaves its receive loop only through FailNow
		}()
	}
	for range 3 {
		select {
		case v := <-results:
			_ = v
		case <-time.After(time.Second):
			require.FailNow(t, "timeout")
		}
	}
}

// TestAssertionsFailNow: the method form, require.New(t).FailNow.
func TestAssertionsFailNow(t *testing.T) {
	r := require.New(t)
	errc := make(chan error)
	go func() {
		_, err := work(1)
		errc <- err // ok: the timeout case ends the test
	}()
	select {
	case err := <-errc:
		require.NoError(t, err)
	case <-time.After(time.Second):
		r.FailNow("timeout")
	}
}

// TestRequireNoError: NoError returns when err is nil: the timeout case
// goes on and returns.
func TestRequireNoError(t *testing.T) {
	errc := make(chan error)
	go func() {
		_, err := work(1)
		errc <- err // want `goroutine sends on unbuffered channel errc, but TestRequireNoError stops receiving when it returns on a timeout`
	}()
	select {
	case err := <-errc:
		require.NoError(t, err)
	case <-time.After(time.Second):
		require.NoError(t, nil)
	}
}

// TestGoroutineRequire: require.FailNow in a goroutine ends only it.
func TestGoroutineRequire(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if _, err := work(1); err != nil {
			require.FailNow(t, err.Error()) // want `goroutine ends here \(FailNow runs only its deferred calls\) without calling wg.Done`
		}
		wg.Done()
	}()
	wg.Wait()
}

type parser struct{ pos int }

// Skip skips a token: a Skip of something that cannot FailNow returns.
func (p *parser) Skip() { p.pos++ }

// TestParserSkip: the goroutine goes on after p.Skip to its Done.
func TestParserSkip(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	p := &parser{}
	go func() {
		if p.pos == 0 {
			p.Skip() // ok: returns
		}
		wg.Done()
	}()
	wg.Wait()
}
