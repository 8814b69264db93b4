package passes_test

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes"
)

// TestGoldenFixesAreClean checks every golden file of every check's
// fixtures: the fixed code is gofmt-clean, and where it type-checks on
// its own, running all checks on it again offers no further fix (fixes
// are idempotent).
func TestGoldenFixesAreClean(t *testing.T) {
	var goldens []string
	filepath.WalkDir(filepath.Join(checktest.TestData(), "src"), func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".go.golden") {
			goldens = append(goldens, path)
		}
		return nil
	})
	if len(goldens) == 0 {
		t.Fatal("no golden files found")
	}
	for _, path := range goldens {
		rel, _ := filepath.Rel(checktest.TestData(), path)
		t.Run(rel, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(string(src), "-- ") {
				t.Skip("txtar golden with alternative fixes")
			}
			formatted, err := format.Source(src)
			if err != nil {
				t.Fatalf("fixed code does not parse: %v", err)
			}
			if !bytes.Equal(formatted, src) {
				t.Errorf("fixed code is not gofmt-clean")
			}
			diags, err := checktest.RunSource(string(src), passes.Analyzers())
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diags {
				if len(d.SuggestedFixes) > 0 {
					t.Errorf("fixed code still offers a fix: %s", d.Message)
				}
			}
		})
	}
}
