package main

import (
	"bytes"
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// -fix applies the suggested fix of each finding. It never leaves a
// file worse than it was:
//   - a finding that offers alternative fixes gets none: which one is
//     right is the user's choice, so it is named on stderr and left open;
//   - a fix that overlaps one already chosen is skipped and reported
//     (run -fix again to apply it against the new text);
//   - a file whose fixed text does not parse and format is left as it is;
//   - files are written atomically (a temporary file in the same
//     directory, then rename) and keep their mode;
//   - no file outside the module root is written, even through symlinks.
//
// -diff plans the same changes and prints them as a unified diff on
// stdout instead of writing them.

// applyFixes applies what it can (or, with diff set, prints it to
// stdout) and returns the findings still open.
func applyFixes(fs []finding, moduleRoot string, diff bool, stdout, stderr io.Writer) []finding {
	root := moduleRoot
	if root == "" {
		root, _ = os.Getwd()
	}
	chosen, open := chooseFixes(fs, stderr)
	byFile := make(map[string][]textEdit)
	for _, i := range chosen {
		for _, e := range fs[i].Fixes[0].Edits {
			byFile[e.File] = append(byFile[e.File], e)
		}
	}
	failed := make(map[string]bool)
	files := make([]string, 0, len(byFile))
	for file := range byFile {
		files = append(files, file)
	}
	sort.Strings(files)
	fixedFiles := 0
	for _, file := range files {
		old, new, perm, err := fixFile(file, byFile[file], root)
		if err == nil && !bytes.Equal(old, new) {
			if diff {
				unifiedDiff(stdout, filepath.ToSlash(displayPath(file)), old, new)
			} else {
				err = writeAtomically(file, new, perm)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "asynclint: -fix: %s: %v; the file was left unchanged\n", displayPath(file), err)
			failed[file] = true
			continue
		}
		fixedFiles++
	}
	fixed := 0
	for _, i := range chosen {
		if touchesFailed(fs[i], failed) {
			open = append(open, i)
			continue
		}
		fixed++
	}
	if diff {
		// Nothing was written: every finding is still open.
		return fs
	}
	if fixed > 0 {
		fmt.Fprintf(stderr, "asynclint: applied %d fixes in %d files\n", fixed, fixedFiles)
	}
	sort.Ints(open)
	var rest []finding
	for _, i := range open {
		rest = append(rest, fs[i])
	}
	return rest
}

// chooseFixes picks, in finding order, the fixes whose edits overlap no
// fix picked before. It returns the indexes of the findings whose fix
// was picked and of those left open. A finding that offers alternative
// fixes is left open.
func chooseFixes(fs []finding, stderr io.Writer) (chosen, open []int) {
	taken := make(map[string][]textEdit) // per file, edits already chosen
	for i, f := range fs {
		if len(f.Fixes) == 0 {
			open = append(open, i)
			continue
		}
		if len(f.Fixes) > 1 {
			var names []string
			for _, fix := range f.Fixes {
				names = append(names, strconv.Quote(fix.Message))
			}
			fmt.Fprintf(stderr, "asynclint: -fix: %s:%d offers %d alternative fixes (%s); -fix takes none of them: choose one and make it by hand\n",
				displayPath(f.Pos.File), f.Pos.Line, len(f.Fixes), strings.Join(names, ", "))
			open = append(open, i)
			continue
		}
		fix := f.Fixes[0]
		if conflictsWith(fix.Edits, taken) {
			fmt.Fprintf(stderr, "asynclint: -fix: skipped %q for %s:%d: it overlaps another fix; run asynclint -fix again to apply it\n",
				fix.Message, displayPath(f.Pos.File), f.Pos.Line)
			open = append(open, i)
			continue
		}
		for _, e := range fix.Edits {
			taken[e.File] = append(taken[e.File], e)
		}
		chosen = append(chosen, i)
	}
	return chosen, open
}

// conflictsWith reports whether an edit overlaps a taken edit of the
// same file. Two insertions at one offset conflict too (their order
// would be a guess), unless they are the same edit.
func conflictsWith(edits []textEdit, taken map[string][]textEdit) bool {
	for _, e := range edits {
		for _, t := range taken[e.File] {
			if e == t {
				continue
			}
			if e.Start < t.End && t.Start < e.End || e.Start == t.Start {
				return true
			}
		}
	}
	return false
}

func touchesFailed(f finding, failed map[string]bool) bool {
	for _, e := range f.Fixes[0].Edits {
		if failed[e.File] {
			return true
		}
	}
	return false
}

// fixFile applies edits to one file's text and returns the text before
// and after (gofmt'd), and the file's mode.
func fixFile(file string, edits []textEdit, root string) (old, new []byte, perm os.FileMode, err error) {
	if filepath.Ext(file) != ".go" {
		// A //line directive names another file, but the offsets are
		// those of the Go file: writing them there would corrupt it.
		return nil, nil, 0, fmt.Errorf("the fix is positioned through a //line directive, so asynclint will not apply it")
	}
	if err := checkInside(file, root); err != nil {
		return nil, nil, 0, err
	}
	info, err := os.Stat(file)
	if err != nil {
		return nil, nil, 0, err
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, 0, err
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return nil, nil, 0, err
	}
	formatted, err := format.Source(out)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("the fixed text would not be valid Go (%w)", err)
	}
	return src, formatted, info.Mode().Perm(), nil
}

// checkInside refuses files that are not, after resolving symlinks,
// below the module root.
func checkInside(file, root string) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	realFile, err := filepath.EvalSymlinks(file)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(realRoot, realFile)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("it lies outside the module root %s, so asynclint will not write it", root)
	}
	return nil
}

// applyEdits applies non-overlapping byte-offset edits to src.
func applyEdits(src []byte, edits []textEdit) ([]byte, error) {
	sorted := append([]textEdit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var out bytes.Buffer
	last := 0
	for i, e := range sorted {
		if i > 0 && e == sorted[i-1] {
			continue // the same edit from a package and its test variant
		}
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("a fix does not match the file's current text (was it edited since the analysis?)")
		}
		out.Write(src[last:e.Start])
		out.WriteString(e.New)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// writeAtomically replaces file with data through a temporary file in
// the same directory, so a crash leaves either the old or the new text.
func writeAtomically(file string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".asynclint-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
