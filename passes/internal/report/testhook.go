//go:build asynclint_testhook

package report

import "os"

// In a binary built with -tags asynclint_testhook (only tests build one),
// the helper named by $ASYNCLINT_TEST_PANIC_HELPER panics on every
// package, so that tests see a helper's failure through every driver.
func init() { panicHelper = os.Getenv("ASYNCLINT_TEST_PANIC_HELPER") }
