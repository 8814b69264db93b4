package unclosed_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/asynclint/asynclint/internal/checktest"
	"github.com/asynclint/asynclint/passes/unclosed"
)

func Test(t *testing.T) {
	checktest.AllRules(t, unclosed.Analyzer)
	// The fixtures' bodies closed without a read are TestUnread's.
	if err := unclosed.Analyzer.Flags.Set("rules", "all,-unread"); err != nil {
		t.Fatal(err)
	}
	testdata := checktest.TestData()
	analysistest.Run(t, testdata, unclosed.Analyzer,
		"unclosed/httpok", "unclosed/sqlok", "unclosed/netconn", "unclosed/loops", "unclosed/crosspkg",
		"unclosed/flowconn",
		"unclosed/flowhttp",
		"unclosed/flowtx",
		"unclosed/resultsets", "unclosed/noconn", "unclosed/errpath", "unclosed/loopsleave", "unclosed/wrapvar", "unclosed/upgrade", "unclosed/pgx", "unclosed/notowned", "unclosed/testserver",
	)
	analysistest.RunWithSuggestedFixes(t, testdata, unclosed.Analyzer, "unclosed/http", "unclosed/sql")
	analysistest.Run(t, testdata, unclosed.Analyzer, "unclosed/loopsheld")
}

// TestResourcesFlag checks a user-configured resource. It sets the
// analyzer's flag, so it does not run in parallel.
func TestResourcesFlag(t *testing.T) {
	checktest.AllRules(t, unclosed.Analyzer)
	flag := unclosed.Analyzer.Flags.Lookup("resources")
	if err := flag.Value.Set("unclosed/custom.Lease:Release"); err != nil {
		t.Fatal(err)
	}
	defer flag.Value.Set("")
	analysistest.RunWithSuggestedFixes(t, checktest.TestData(), unclosed.Analyzer, "unclosed/custom")
}

func TestResourcesFlagErrors(t *testing.T) {
	flag := unclosed.Analyzer.Flags.Lookup("resources")
	for _, bad := range []string{"Lease:Release", "unclosed/custom.Lease", "unclosed/custom.Lease:", "x.T:A||B"} {
		if err := flag.Value.Set(bad); err == nil {
			t.Errorf("Set(%q) succeeded, want an error", bad)
		}
	}
}

// TestReadToEOF checks the opt-in case of bodies read to EOF: reported
// with its own category, the other findings without it. It sets the
// analyzer's flag, so it does not run in parallel.
func TestReadToEOF(t *testing.T) {
	checktest.AllRules(t, unclosed.Analyzer)
	for _, res := range analysistest.Run(t, checktest.TestData(), unclosed.Analyzer, "unclosed/readeofopt") {
		for _, d := range res.Diagnostics {
			eof := strings.Contains(d.Message, "read to EOF")
			if eof != (d.Category == unclosed.ReadToEOFCategory) {
				t.Errorf("%s: category %q for %q", res.Pass.Fset.Position(d.Pos), d.Category, d.Message)
			}
		}
	}
}

// TestDefaults runs the fixture of the default rules: a leaked body is
// a finding only of the opt-in body rule.
func TestDefaults(t *testing.T) {
	checktest.DefaultRules(t, unclosed.Analyzer, "unclosed/defaults")
}

// TestReadToEOFSilent runs the fixture of bodies read to EOF with every
// rule on but read-to-eof: they are silent, their leaking twins are not.
func TestReadToEOFSilent(t *testing.T) {
	checktest.AllRules(t, unclosed.Analyzer)
	if err := unclosed.Analyzer.Flags.Set("rules", "all,-read-to-eof"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, checktest.TestData(), unclosed.Analyzer, "unclosed/readeof")
}

// TestUnread runs the fixture of the opt-in unread rule: bodies closed
// on every path without a read, and their look-alikes that read, hand
// on or send HEAD.
func TestUnread(t *testing.T) {
	checktest.AllRules(t, unclosed.Analyzer)
	analysistest.Run(t, checktest.TestData(), unclosed.Analyzer, "unclosed/unread")
}
