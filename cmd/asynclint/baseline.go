package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// A baseline records the findings a team has accepted, so that CI fails
// only on new ones. Entries are matched by check, file, message (without
// line numbers) and a fingerprint of the reported line's code; see
// fingerprint.go.
type baselineFile struct {
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Check       string `json:"check"`
	File        string `json:"file"` // relative to the repository root
	Message     string `json:"message"`
	Fingerprint string `json:"fingerprint"`
}

func writeBaseline(path string, fs []finding) error {
	root := repoRoot(moduleRoot())
	prints := fingerprints(fs, root, make(sourceCache))
	b := baselineFile{Version: 1, Findings: []baselineEntry{}}
	for i, f := range fs {
		b.Findings = append(b.Findings, baselineEntry{
			Check: f.Check, File: relPath(root, f.Pos.File), Message: f.Message, Fingerprint: prints[i],
		})
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// filterBaseline returns the findings the baseline does not record.
func filterBaseline(path string, fs []finding) ([]finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read baseline: %w", err)
	}
	var b baselineFile
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline %s is not an asynclint baseline: %w", path, err)
	}
	known := make(map[string]bool)
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	prints := fingerprints(fs, repoRoot(moduleRoot()), make(sourceCache))
	var kept []finding
	for i, f := range fs {
		if !known[prints[i]] {
			kept = append(kept, f)
		}
	}
	return kept, nil
}
