// Package checktest holds what the checks' analysistest tests share.
package checktest

import (
	"path/filepath"
	"runtime"
)

// TestData returns the absolute path of the top-level testdata
// directory, whose src/<check>/<case> packages are the fixtures of every
// check (analysistest needs an absolute GOPATH entry).
func TestData() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("checktest: no caller information")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}
