package main_test

import (
	"encoding/json"
	"github.com/asynclint/asynclint/passes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSARIF validates -f sarif output against the SARIF 2.1.0 schema and
// checks what GitHub code scanning relies on: one run, rules with
// descriptions and help, repository-relative URIs, fingerprints, and a
// non-zero exit status when there are findings.
func TestSARIF(t *testing.T) {
	dir := fixture(t, "service")
	r := asynclint(t, dir, "-f", "sarif", "./...")
	wantCode(t, r, 1)
	validateSARIF(t, r.stdout)

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						Help             struct{ Text string }
						HelpURI          string
					}
				}
			}
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	want := 0
	for _, c := range passes.All {
		want += 1 + len(c.Rules.List()) // the check, and each of its rules
	}
	if len(run.Tool.Driver.Rules) != want {
		t.Errorf("%d rules, want %d", len(run.Tool.Driver.Rules), want)
	}
	ids := make(map[string]bool)
	for _, rule := range run.Tool.Driver.Rules {
		ids[rule.ID] = true
		check, _, _ := strings.Cut(rule.ID, ".")
		if rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" || rule.Help.Text == "" ||
			rule.HelpURI != "https://github.com/asynclint/asynclint#"+check {
			t.Errorf("rule %s incomplete: %+v", rule.ID, rule)
		}
	}
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	seen := make(map[string]bool)
	for _, res := range run.Results {
		if !ids[res.RuleID] || !strings.Contains(res.RuleID, ".") {
			t.Errorf("result's ruleId %q is not a rule of a check", res.RuleID)
		}
		loc := res.Locations[0].PhysicalLocation
		if strings.HasPrefix(loc.ArtifactLocation.URI, "/") || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("URI %q (base %q) is not repository-relative", loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID)
		}
		fp := res.PartialFingerprints["asynclint/v1"]
		if fp == "" || seen[fp] {
			t.Errorf("missing or duplicate fingerprint %q", fp)
		}
		seen[fp] = true
	}
	first := run.Results[0].Locations[0].PhysicalLocation
	if first.ArtifactLocation.URI != "store/store.go" || first.Region.StartLine != 12 || first.Region.StartColumn != 16 {
		t.Errorf("first location = %+v", first)
	}

	clean := asynclint(t, dir, "-f", "sarif", "./clean")
	wantCode(t, clean, 0)
	validateSARIF(t, clean.stdout)
}

// TestSARIFColumns checks that columns count UTF-16 code units, SARIF's
// default, not bytes.
func TestSARIFColumns(t *testing.T) {
	dir := fixture(t, "service")
	file := filepath.Join(dir, "store", "store.go")
	data, _ := os.ReadFile(file)
	// "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units.
	data = []byte(strings.Replace(string(data), "\tsignal.Notify(hup", "\t/*é😀*/ signal.Notify(hup", 1))
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	text := asynclint(t, dir, "./store")
	if !strings.HasPrefix(text.stdout, "store/store.go:12:27:") { // bytes: tab, 10 of comment, space, 14
		t.Fatalf("text column: %s", text.stdout)
	}
	r := asynclint(t, dir, "-f", "sarif", "./store")
	if !strings.Contains(r.stdout, `"startColumn": 24`) { // UTF-16 units: 3 fewer than bytes
		t.Errorf("SARIF column is not in UTF-16 units:\n%s", r.stdout)
	}
}

func validateSARIF(t *testing.T, out string) {
	t.Helper()
	schemaFile := filepath.Join("..", "..", "testdata", "sarif", "sarif-2.1.0-rtm.5.json")
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("SARIF output does not validate: %v", err)
	}
}
