package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSARIFLinksFixesTags: code scanning shows a related location only
// when the message links to it ("[text](id)"); fixes are SARIF fixes
// whose byte replacements, applied, give what -fix writes; rules carry
// tags. The output still validates against the schema.
func TestSARIFLinksFixesTags(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "..", "examples"))
	r := asynclint(t, dir, "-f", "sarif", "-checks=all,unjoined.blocked-send", "./...") // the capacity fix's rule is opt-in
	wantCode(t, r, 1)
	validateSARIF(t, r.stdout)
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string
						Properties struct{ Tags []string }
					}
				}
			}
			Results []struct {
				RuleID           string
				Message          struct{ Text string }
				RelatedLocations []struct {
					ID      int
					Message struct{ Text string }
				}
				Fixes []struct {
					Description     struct{ Text string }
					ArtifactChanges []struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Replacements     []struct {
							DeletedRegion   struct{ ByteOffset, ByteLength int }
							InsertedContent *struct{ Text string }
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	for _, rule := range run.Tool.Driver.Rules {
		if !strings.Contains(strings.Join(rule.Properties.Tags, ","), "concurrency") {
			t.Errorf("rule %s tags = %v", rule.ID, rule.Properties.Tags)
		}
	}
	link := regexp.MustCompile(`\[((?:[^\]\\]|\\.)*)\]\((\d+)\)`)
	linked, fixes := 0, 0
	for _, res := range run.Results {
		links := link.FindAllStringSubmatch(res.Message.Text, -1)
		if len(links) != len(res.RelatedLocations) {
			t.Errorf("%s: %d links for %d related locations: %s", res.RuleID, len(links), len(res.RelatedLocations), res.Message.Text)
			continue
		}
		for i, l := range links {
			rel := res.RelatedLocations[i]
			if strconv.Itoa(rel.ID) != l[2] || strings.ReplaceAll(l[1], `\`, "") != rel.Message.Text {
				t.Errorf("link %q does not name related location %d %q", l[0], rel.ID, rel.Message.Text)
			}
			linked++
		}
		for _, fix := range res.Fixes {
			for _, ch := range fix.ArtifactChanges {
				if ch.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.HasPrefix(ch.ArtifactLocation.URI, "/") {
					t.Errorf("fix location %+v is not repository-relative", ch.ArtifactLocation)
				}
			}
			fixes++
		}
	}
	if linked == 0 || fixes == 0 {
		t.Fatalf("examples/ gave %d linked related locations and %d fixes; want some of each", linked, fixes)
	}

	// unjoined's first fix of the unbuffered channel, applied by hand.
	for _, res := range run.Results {
		if !strings.HasPrefix(res.RuleID, "unjoined.") || len(res.Fixes) != 2 || res.Fixes[0].Description.Text != "Give the channel capacity 1" {
			continue
		}
		ch := res.Fixes[0].ArtifactChanges[0]
		file := filepath.Join(dir, filepath.FromSlash(ch.ArtifactLocation.URI))
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rep := ch.Replacements[0]
		got := string(src[:rep.DeletedRegion.ByteOffset]) + rep.InsertedContent.Text + string(src[rep.DeletedRegion.ByteOffset+rep.DeletedRegion.ByteLength:])
		if !strings.Contains(got, "ch := make(chan answer, 1)") {
			t.Errorf("the SARIF fix applied does not buffer the channel:\n%s", got)
		}
		return
	}
	t.Errorf("no unjoined result with the capacity fix in examples/")
}

// TestJSONRelativePaths: -f json names files as the text output does.
func TestJSONRelativePaths(t *testing.T) {
	dir := fixture(t, "service")
	r := asynclint(t, dir, "-f", "json", "./...")
	var out struct {
		Findings []struct {
			File           string
			SuggestedFixes []struct{ Edits []struct{ File string } } `json:"suggested_fixes"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Findings) == 0 || out.Findings[0].File != "store/store.go" {
		t.Fatalf("findings: %+v", out.Findings)
	}
	for _, f := range out.Findings {
		for _, fix := range f.SuggestedFixes {
			for _, e := range fix.Edits {
				if e.File != f.File {
					t.Errorf("edit file %q, finding file %q", e.File, f.File)
				}
			}
		}
	}
}
