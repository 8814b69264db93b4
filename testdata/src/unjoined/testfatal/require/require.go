// Package require mimics testify's require: its FailNow ends the test
// through an interface call, which control-flow facts cannot follow.
package require

type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

// FailNow reports the failure and stops the test.
func FailNow(t TestingT, msg string) {
	t.Errorf("%s", msg)
	t.FailNow()
}

// NoError stops the test when err is not nil, and returns otherwise.
func NoError(t TestingT, err error) {
	if err != nil {
		t.Errorf("%v", err)
		t.FailNow()
	}
}

// Assertions is require.New(t).
type Assertions struct{ t TestingT }

func New(t TestingT) *Assertions { return &Assertions{t} }

// FailNow is FailNow(a.t, msg).
func (a *Assertions) FailNow(msg string) { FailNow(a.t, msg) }
