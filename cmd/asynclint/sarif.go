package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/asynclint/asynclint/passes"
)

// SARIF 2.1.0, the subset GitHub code scanning reads
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/). One run; one rule
// per check; URIs relative to the repository root through %SRCROOT%;
// columns in UTF-16 code units (SARIF's default columnKind).

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool                   `json:"tool"`
	OriginalURIBaseID map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results           []sarifResult               `json:"results"`
	Invocations       []sarifInvocation           `json:"invocations"`
	ColumnKind        string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifMessage    `json:"shortDescription"`
	FullDescription      sarifMessage    `json:"fullDescription"`
	Help                 sarifMarkdown   `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifProperties `json:"properties"`
}

// sarifProperties are a rule's property bag; GitHub code scanning shows
// and filters by the tags.
type sarifProperties struct {
	Tags []string `json:"tags"`
	// Precision is, for a rule of a check, how its findings measured on
	// real modules nobody tuned it on.
	Precision string `json:"precision,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifMarkdown struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	Level   string `json:"level"`
	Enabled *bool  `json:"enabled,omitempty"` // false for an opt-in rule
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifByteRegion `json:"deletedRegion"`
	InsertedContent *sarifContent   `json:"insertedContent,omitempty"`
}

// sarifByteRegion is a region given by byte offsets, as go vet's edits
// are; byteLength 0 is an insertion.
type sarifByteRegion struct {
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

type sarifContent struct {
	Text string `json:"text"`
}

type sarifLocation struct {
	ID               int                   `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

func printSARIF(w io.Writer, res *results, checks []passes.Check) error {
	root := repoRoot(res.moduleRoot)
	src := make(sourceCache)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "asynclint", Version: version, InformationURI: "https://github.com/asynclint/asynclint",
		}},
		OriginalURIBaseID: map[string]sarifArtifactLoc{
			"%SRCROOT%": {URI: fileURI(root, true)},
		},
		Results:     []sarifResult{},
		ColumnKind:  "utf16CodeUnits",
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(res.loadErrors) == 0 && res.internalErrors == 0}},
	}
	// One descriptor per check (its own findings: internal errors,
	// directives) and one per rule of it, "loopblock.lock-chan", which
	// findings name.
	ruleIndex := make(map[string]int)
	tags := []string{"go", "concurrency", "reliability"}
	for _, c := range checks {
		ruleIndex[c.Name()] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   c.Name(),
			Name:                 c.Name(),
			ShortDescription:     sarifMessage{Text: c.Title()},
			FullDescription:      sarifMessage{Text: c.Text()},
			Help:                 sarifMarkdown{Text: c.Explain(), Markdown: c.HelpMarkdown()},
			HelpURI:              c.URL(),
			DefaultConfiguration: sarifRuleConfig{Level: c.Level()},
			Properties:           sarifProperties{Tags: tags},
		})
		for _, rule := range c.Rules.List() {
			id := c.Name() + "." + rule.Name
			ruleIndex[id] = len(run.Tool.Driver.Rules)
			enabled := rule.Default
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
				ID:                   id,
				Name:                 id,
				ShortDescription:     sarifMessage{Text: rule.Title},
				FullDescription:      sarifMessage{Text: c.Text()},
				Help:                 sarifMarkdown{Text: c.Explain(), Markdown: c.HelpMarkdown()},
				HelpURI:              c.URL(),
				DefaultConfiguration: sarifRuleConfig{Level: c.Level(), Enabled: &enabled},
				Properties:           sarifProperties{Tags: tags, Precision: rule.Precision},
			})
		}
	}
	for _, e := range res.loadErrors {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: e}})
	}
	prints := fingerprints(res.findings, root, src)
	for i, f := range res.findings {
		idx, ok := ruleIndex[f.ruleID()]
		if !ok {
			continue // not a selected check (cannot happen with go vet's flags)
		}
		r := sarifResult{
			RuleID:              f.ruleID(),
			RuleIndex:           idx,
			Level:               run.Tool.Driver.Rules[idx].DefaultConfiguration.Level,
			Message:             sarifMessage{Text: linkedMessage(f)},
			Locations:           []sarifLocation{location(root, src, f.Pos, f.End, "")},
			PartialFingerprints: map[string]string{"asynclint/v1": prints[i]},
		}
		for j, rel := range f.Related {
			loc := location(root, src, rel.Pos, position{}, rel.Message)
			loc.ID = j + 1
			r.RelatedLocations = append(r.RelatedLocations, loc)
		}
		for _, fix := range f.Fixes {
			r.Fixes = append(r.Fixes, sarifFixOf(root, fix))
		}
		run.Results = append(run.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Version: "2.1.0", Schema: sarifSchema, Runs: []sarifRun{run}})
}

// linkedMessage is the finding's message with its related locations
// linked from it ("[text](id)", SARIF §3.11.6), which is how code
// scanning shows them; literal brackets are escaped.
func linkedMessage(f finding) string {
	esc := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)
	if len(f.Related) == 0 {
		return f.Message // no embedded links: brackets stay literal
	}
	var b strings.Builder
	b.WriteString(esc.Replace(f.Message))
	for j, rel := range f.Related {
		if j == 0 {
			b.WriteString(" (see ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "[%s](%d)", esc.Replace(rel.Message), j+1)
	}
	b.WriteString(")")
	return b.String()
}

// sarifFixOf converts a suggested fix, whose edits are byte ranges.
func sarifFixOf(root string, fix suggestedFix) sarifFix {
	sf := sarifFix{Description: sarifMessage{Text: fix.Message}, ArtifactChanges: []sarifArtifactChange{}}
	byFile := make(map[string]int) // index in ArtifactChanges
	for _, e := range fix.Edits {
		i, ok := byFile[e.File]
		if !ok {
			i = len(sf.ArtifactChanges)
			byFile[e.File] = i
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: artifactLocation(root, e.File)})
		}
		rep := sarifReplacement{DeletedRegion: sarifByteRegion{ByteOffset: e.Start, ByteLength: e.End - e.Start}}
		if e.New != "" {
			rep.InsertedContent = &sarifContent{Text: e.New}
		}
		sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, rep)
	}
	return sf
}

// artifactLocation names a file relative to the repository root, or by
// its file: URI outside it.
func artifactLocation(root, file string) sarifArtifactLoc {
	if rel := relPath(root, file); !filepath.IsAbs(rel) {
		return sarifArtifactLoc{URI: (&url.URL{Path: rel}).String(), URIBaseID: "%SRCROOT%"}
	}
	return sarifArtifactLoc{URI: fileURI(file, false)}
}

func location(root string, src sourceCache, start, end position, msg string) sarifLocation {
	line := src.line(start.File, start.Line)
	region := sarifRegion{StartLine: max(start.Line, 1), StartColumn: utf16Column(line, start.Col)}
	if end.Line >= start.Line && end.Line > 0 {
		region.EndLine = end.Line
		region.EndColumn = utf16Column(src.line(end.File, end.Line), end.Col)
		if region.EndLine == region.StartLine && region.EndColumn < region.StartColumn {
			region.EndColumn = region.StartColumn
		}
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: artifactLocation(root, start.File), Region: region}}
	if msg != "" {
		loc.Message = &sarifMessage{Text: msg}
	}
	return loc
}

// fileURI returns the file: URI of an absolute path; a directory's ends
// in a slash, as SARIF requires of uriBaseIds.
func fileURI(path string, dir bool) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
