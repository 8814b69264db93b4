package passes_test

import (
	"bytes"
	"go/format"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/txtar"

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

// TestFixesLeaveNoFindingOfTheirCheck is the fix quality rule over every
// golden file: a check's suggested fix, applied, leaves no finding of
// that check on the lines it changed (a fix must not trade one finding
// for another, as turning a shadowing := into an unsynchronized write
// would). Each section of a txtar golden (one per alternative fix) is
// checked apart. Goldens that do not type-check on their own (fixtures
// importing other fixture packages) give no diagnostics and pass.
func TestFixesLeaveNoFindingOfTheirCheck(t *testing.T) {
	root := filepath.Join(checktest.TestData(), "src")
	checked := 0
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".go.golden") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		check, ok := passes.Lookup(strings.Split(filepath.ToSlash(rel), "/")[0])
		if !ok {
			t.Errorf("%s: not under a check's directory", rel)
			return nil
		}
		input, err := os.ReadFile(strings.TrimSuffix(path, ".golden"))
		if err != nil {
			t.Error(err)
			return nil
		}
		golden, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			return nil
		}
		sections := map[string][]byte{"": golden}
		if bytes.HasPrefix(golden, []byte("-- ")) {
			sections = make(map[string][]byte)
			for _, f := range txtar.Parse(golden).Files {
				sections[f.Name] = f.Data
			}
		}
		for name, fixed := range sections {
			t.Run(rel+" "+name, func(t *testing.T) {
				diags, err := checktest.RunSource(string(fixed), []*analysis.Analyzer{check.Analyzer})
				if err != nil {
					t.Fatal(err)
				}
				changed := changedLines(string(input), string(fixed))
				for _, d := range diags {
					if line := lineOf(fixed, d.Pos); changed[line] {
						t.Errorf("line %d, changed by a fix, has a %s finding: %s", line, check.Name(), d.Message)
					}
				}
			})
			checked++
		}
		return nil
	})
	if checked == 0 {
		t.Fatal("no golden files found")
	}
}

// lineOf returns the 1-based line of pos in src, as RunSource parses it
// (one file in a fresh FileSet, so its base is 1).
func lineOf(src []byte, pos token.Pos) int {
	off := int(pos) - 1
	if off < 0 || off > len(src) {
		return 0
	}
	return bytes.Count(src[:off], []byte("\n")) + 1
}

// changedLines returns the 1-based lines of b that a longest common
// subsequence of lines does not match to a line of a. Lines are compared
// by their code alone, so gofmt realigning a line's comment after a fix
// on the line next to it does not count as a change.
func changedLines(a, b string) map[int]bool {
	la, lb := codeLines(a), codeLines(b)
	lcs := make([][]int, len(la)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(lb)+1)
	}
	for i := len(la) - 1; i >= 0; i-- {
		for j := len(lb) - 1; j >= 0; j-- {
			if la[i] == lb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	changed := make(map[int]bool)
	i, j := 0, 0
	for j < len(lb) {
		switch {
		case i < len(la) && la[i] == lb[j]:
			i, j = i+1, j+1
		case i < len(la) && lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			changed[j+1] = true
			j++
		}
	}
	return changed
}

// codeLines splits src into lines with comments after the code dropped
// and white space collapsed.
func codeLines(src string) []string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		for j := 0; j+1 < len(l); j++ {
			if l[j] == '/' && l[j+1] == '/' && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t') {
				l = l[:j]
				break
			}
		}
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return lines
}
