package main

import (
	"fmt"
	"io"
	"strings"
)

// unifiedDiff writes the changes from old to new as a unified diff with
// three lines of context, under the names "a/"+name and "b/"+name (so
// that `patch -p1` and `git apply` take it). It writes nothing when the
// texts are equal.
func unifiedDiff(w io.Writer, name string, old, new []byte) {
	a, b := splitLines(string(old)), splitLines(string(new))
	ops := diffLines(a, b)
	if len(ops) == 0 {
		return
	}
	fmt.Fprintf(w, "--- a/%s\n+++ b/%s\n", name, name)
	const context = 3
	for i := 0; i < len(ops); {
		// A hunk takes every change within 2*context lines of the last.
		j := i
		for j+1 < len(ops) && ops[j+1].aStart-ops[j].aEnd <= 2*context {
			j++
		}
		aStart := max(ops[i].aStart-context, 0)
		aEnd := min(ops[j].aEnd+context, len(a))
		bStart := ops[i].bStart - (ops[i].aStart - aStart)
		bEnd := ops[j].bEnd + (aEnd - ops[j].aEnd)
		fmt.Fprintf(w, "@@ -%s +%s @@\n", hunkRange(aStart, aEnd), hunkRange(bStart, bEnd))
		at := aStart
		for _, op := range ops[i : j+1] {
			writeLines(w, " ", a[at:op.aStart])
			writeLines(w, "-", a[op.aStart:op.aEnd])
			writeLines(w, "+", b[op.bStart:op.bEnd])
			at = op.aEnd
		}
		writeLines(w, " ", a[at:aEnd])
		i = j + 1
	}
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func writeLines(w io.Writer, prefix string, lines []string) {
	for _, l := range lines {
		io.WriteString(w, prefix+l)
		if !strings.HasSuffix(l, "\n") {
			io.WriteString(w, "\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats a hunk's line range: "start,count", 1-based, where
// an empty range names the line before it.
func hunkRange(start, end int) string {
	switch n := end - start; n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	default:
		return fmt.Sprintf("%d,%d", start+1, n)
	}
}

// A lineOp replaces a[aStart:aEnd] by b[bStart:bEnd].
type lineOp struct{ aStart, aEnd, bStart, bEnd int }

// diffLines returns the replacements that turn a into b, in order. It
// trims the common prefix and suffix (a fix changes a few lines) and
// aligns the rest by a longest common subsequence; a middle too large
// for that is replaced as one block, which is still a correct diff.
func diffLines(a, b []string) []lineOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma) == 0 && len(mb) == 0 {
		return nil
	}
	if len(ma)*len(mb) > 4_000_000 {
		return []lineOp{{pre, pre + len(ma), pre, pre + len(mb)}}
	}
	// lcs[i][j] is the length of the LCS of ma[i:] and mb[j:].
	lcs := make([][]int, len(ma)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(mb)+1)
	}
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []lineOp
	var cur *lineOp
	i, j := 0, 0
	for i < len(ma) || j < len(mb) {
		switch {
		case i < len(ma) && j < len(mb) && ma[i] == mb[j]:
			cur = nil
			i, j = i+1, j+1
			continue
		case cur == nil:
			ops = append(ops, lineOp{pre + i, pre + i, pre + j, pre + j})
			cur = &ops[len(ops)-1]
		}
		if j < len(mb) && (i == len(ma) || lcs[i][j+1] >= lcs[i+1][j]) {
			j++
			cur.bEnd = pre + j
		} else {
			i++
			cur.aEnd = pre + i
		}
	}
	return ops
}
