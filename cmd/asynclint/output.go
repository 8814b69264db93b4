package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/asynclint/asynclint/passes"
)

func printFindings(format string, w io.Writer, res *results, checks []passes.Check) error {
	switch format {
	case "json":
		return printJSON(w, res)
	case "sarif":
		return printSARIF(w, res, checks)
	default:
		printText(w, res.findings)
		return nil
	}
}

// printText prints "file:line:col: message (check)", one finding a line,
// with file names relative to the working directory where they are
// below it.
func printText(w io.Writer, fs []finding) {
	for _, f := range fs {
		fmt.Fprintf(w, "%s: %s (%s)\n", displayPosition(f.Pos), f.Message, f.ruleID())
		for _, r := range f.Related {
			fmt.Fprintf(w, "\t%s: %s\n", displayPosition(r.Pos), r.Message)
		}
	}
}

// displayPosition prints file:line:col, or file:line when the column is
// unknown (after a //line directive without one).
func displayPosition(p position) string {
	if p.Col == 0 {
		return fmt.Sprintf("%s:%d", displayPath(p.File), p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", displayPath(p.File), p.Line, p.Col)
}

// displayPath shortens an absolute file name to one relative to the
// working directory when the file lies below it.
func displayPath(file string) string {
	wd, err := os.Getwd()
	if err != nil {
		return file
	}
	rel, err := filepath.Rel(wd, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return file
	}
	return rel
}

// The -f json document. Its shape is part of asynclint's interface:
// fields are only ever added. File names are those of the text output:
// relative to the working directory when below it, else absolute.
type jsonOutput struct {
	Findings []jsonFinding `json:"findings"`
	Errors   []string      `json:"errors"`
}

type jsonFinding struct {
	Check    string        `json:"check"`
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Column   int           `json:"column"`
	EndLine  int           `json:"end_line,omitempty"`
	EndCol   int           `json:"end_column,omitempty"`
	Message  string        `json:"message"`
	Category string        `json:"category,omitempty"`
	Fixes    []jsonFix     `json:"suggested_fixes,omitempty"`
	Related  []jsonRelated `json:"related,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	File  string `json:"file"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func printJSON(w io.Writer, res *results) error {
	out := jsonOutput{Findings: []jsonFinding{}, Errors: res.loadErrors}
	if out.Errors == nil {
		out.Errors = []string{}
	}
	for _, f := range res.findings {
		jf := jsonFinding{
			Check: f.Check, File: displayPath(f.Pos.File), Line: f.Pos.Line, Column: f.Pos.Col,
			EndLine: f.End.Line, EndCol: f.End.Col, Message: f.Message, Category: f.Category,
		}
		for _, fix := range f.Fixes {
			jfix := jsonFix{Message: fix.Message, Edits: []jsonEdit{}}
			for _, e := range fix.Edits {
				je := jsonEdit(e)
				je.File = displayPath(e.File)
				jfix.Edits = append(jfix.Edits, je)
			}
			jf.Fixes = append(jf.Fixes, jfix)
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{File: displayPath(r.Pos.File), Line: r.Pos.Line, Column: r.Pos.Col, Message: r.Message})
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
