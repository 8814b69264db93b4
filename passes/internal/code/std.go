package code

import (
	"go/build"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// IsStdPackage reports whether the package under analysis is part of
// the standard library. Fact analyzers skip it: some drivers (go vet)
// never compute facts for std, so what asynclint knows about std lives in
// tables, and computing facts there would only cost time. Its files lie
// under GOROOT; when the tool does not know GOROOT (a -trimpath build),
// the import path decides.
func IsStdPackage(pass *analysis.Pass) bool {
	if len(pass.Files) == 0 {
		return true // nothing to analyse
	}
	if build.Default.GOROOT == "" {
		return IsStdPath(pass.Pkg.Path()) && pass.Module == nil
	}
	tf := pass.Fset.File(pass.Files[0].FileStart)
	if tf == nil {
		return true
	}
	root := filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
	return strings.HasPrefix(tf.Name(), root)
}

// IsStdPath reports whether path is a standard-library import path.
func IsStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return stdRoots[first]
}

// stdRoots are the first elements of the standard library's import
// paths. A table, not "no dot in the first element", since fixture and
// GOPATH packages have dotless paths too.
var stdRoots = map[string]bool{
	"archive": true, "bufio": true, "bytes": true, "cmp": true, "compress": true,
	"container": true, "context": true, "crypto": true, "database": true,
	"debug": true, "embed": true, "encoding": true, "errors": true, "expvar": true,
	"flag": true, "fmt": true, "go": true, "hash": true, "html": true, "image": true,
	"index": true, "internal": true, "io": true, "iter": true, "log": true,
	"maps": true, "math": true, "mime": true, "net": true, "os": true, "path": true,
	"plugin": true, "reflect": true, "regexp": true, "runtime": true, "slices": true,
	"sort": true, "strconv": true, "strings": true, "structs": true, "sync": true,
	"syscall": true, "testing": true, "text": true, "time": true, "unicode": true,
	"unique": true, "unsafe": true, "weak": true, "vendor": true,
}
