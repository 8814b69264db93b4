package report

// panicHelper names a helper analyzer that panics on every package; it
// is set only by tests (export_test.go, and testhook.go in binaries
// built with -tags asynclint_testhook).
var panicHelper string

// injectPanic panics when name is panicHelper.
func injectPanic(name string) {
	if panicHelper != "" && panicHelper == name {
		panic("injected panic in helper " + name)
	}
}
