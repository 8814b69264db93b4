package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Findings are identified across edits by what they say and the code
// they point at, never by line number: the baseline (-baseline) and
// SARIF's partialFingerprints both use fingerprint, so inserting lines
// above an old finding neither revives it in CI nor duplicates its code
// scanning alert.

// sourceCache reads each file once per run.
type sourceCache map[string][]string

func (c sourceCache) line(file string, n int) string {
	lines, ok := c[file]
	if !ok {
		lines = readLines(file)
		c[file] = lines
	}
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

func readLines(file string) []string {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

var lineNumbers = regexp.MustCompile(`\bline \d+|:\d+(:\d+)?\b`)

// normalizeMessage removes the line numbers a message may quote.
func normalizeMessage(msg string) string {
	return lineNumbers.ReplaceAllString(msg, "#")
}

// fingerprints returns one fingerprint per finding: a hash of the check,
// the file relative to root, the message without line numbers and the
// text of the reported line, plus the number of earlier findings with
// the same hash, so that two identical lines in one file stay distinct.
func fingerprints(fs []finding, root string, src sourceCache) []string {
	seen := make(map[string]int)
	out := make([]string, len(fs))
	for i, f := range fs {
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", f.Check, relPath(root, f.Pos.File),
			normalizeMessage(f.Message), strings.TrimSpace(src.line(f.Pos.File, f.Pos.Line)))
		sum := hex.EncodeToString(h.Sum(nil))[:32]
		out[i] = fmt.Sprintf("%s:%d", sum, seen[sum])
		seen[sum]++
	}
	return out
}

// relPath returns file relative to root in slash form, or file itself
// when it lies outside root.
func relPath(root, file string) string {
	if root == "" {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(root, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(rel)
}

// repoRoot is the directory that SARIF and baseline paths are relative
// to: the git work tree holding the working directory, else the module
// root, else the working directory.
func repoRoot(moduleRoot string) string {
	if out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" {
			return dir
		}
	}
	if moduleRoot != "" {
		return moduleRoot
	}
	wd, _ := os.Getwd()
	return wd
}

// utf16Column converts a 1-based byte column of line into the 1-based
// UTF-16 code unit column that SARIF expects by default.
func utf16Column(line string, byteCol int) int {
	if byteCol < 1 {
		return 1
	}
	if byteCol-1 > len(line) {
		return byteCol // the line is not what the analysis saw; keep bytes
	}
	col := 1
	for _, r := range line[:byteCol-1] {
		if r == utf8.RuneError {
			col++
			continue
		}
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
	}
	return col
}
