// Package vetjson reads what go vet -json prints for a vet tool: per
// package, per analyzer, either a list of diagnostics or an error. The
// asynclint command and the precision harness both read it, so the format
// is decoded here once.
package vetjson

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Tree is one package's output: {"pkg": {"analyzer": result}}.
type Tree map[string]map[string]json.RawMessage

// Diagnostic is one diagnostic as unitchecker prints it.
type Diagnostic struct {
	Category       string         `json:"category"`
	Posn           string         `json:"posn"`
	End            string         `json:"end"`
	Message        string         `json:"message"`
	SuggestedFixes []SuggestedFix `json:"suggested_fixes"`
	Related        []RelatedInfo  `json:"related"`
}

// SuggestedFix is a fix with byte-offset edits.
type SuggestedFix struct {
	Message string     `json:"message"`
	Edits   []TextEdit `json:"edits"`
}

// TextEdit replaces bytes [Start, End) of Filename with New.
type TextEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

// RelatedInfo is a second location of a diagnostic.
type RelatedInfo struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// DecodeResult decodes one analyzer's result: its diagnostics, or the
// error it failed with (failure is "" when it did not fail).
func DecodeResult(raw json.RawMessage) (diags []Diagnostic, failure string, err error) {
	var failed struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(raw, &failed) == nil && failed.Error != "" {
		return nil, failed.Error, nil
	}
	if err := json.Unmarshal(raw, &diags); err != nil {
		return nil, "", fmt.Errorf("cannot read diagnostics: %w", err)
	}
	return diags, "", nil
}

// ParsePosn splits "file:line:col" or "file:line" (a //line directive
// without a column gives the latter); the file may itself hold colons.
// Missing numbers are 0.
func ParsePosn(s string) (file string, line, col int) {
	var nums []int
	rest := s
	for len(nums) < 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		nums = append(nums, n)
		rest = rest[:i]
	}
	switch len(nums) {
	case 2:
		return rest, nums[1], nums[0]
	case 1:
		return rest, nums[0], 0
	}
	return rest, 0, 0
}
