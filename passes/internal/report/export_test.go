package report

// SetPanicHelper makes the helper analyzer named name panic on every
// package until the returned function is called.
func SetPanicHelper(name string) (restore func()) {
	old := panicHelper
	panicHelper = name
	return func() { panicHelper = old }
}
