package plugin

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes"
)

// fakeChecks is a registry with options of every kind, so the settings
// code is tested whatever flags the real checks have today.
func fakeChecks() (all []passes.Check, resources, strict *string, limit *int) {
	withFlags := &analysis.Analyzer{Name: "withflags", Doc: "has options"}
	resources = withFlags.Flags.String("resources", "", "comma-separated resource types")
	strict = new(string)
	withFlags.Flags.Func("strict", "a boolean-ish option", func(s string) error { *strict = s; return nil })
	limit = withFlags.Flags.Int("limit", 3, "a number")
	plain := &analysis.Analyzer{Name: "plain", Doc: "has no options"}
	return []passes.Check{{Analyzer: withFlags}, {Analyzer: plain}}, resources, strict, limit
}

func names(as []*analysis.Analyzer) string {
	var ns []string
	for _, a := range as {
		ns = append(ns, a.Name)
	}
	return strings.Join(ns, ",")
}

func TestDefaultIsEveryCheck(t *testing.T) {
	all, _, _, _ := fakeChecks()
	for _, settings := range []any{nil, map[string]any{}} {
		as, err := configure(all, settings)
		if err != nil {
			t.Fatalf("configure(%v): %v", settings, err)
		}
		if got := names(as); got != "withflags,plain" {
			t.Errorf("configure(%v) enabled %q, want every check", settings, got)
		}
	}
}

func TestChecksSelectsInRegistryOrder(t *testing.T) {
	all, _, _, _ := fakeChecks()
	as, err := configure(all, map[string]any{"checks": []any{"plain"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(as); got != "plain" {
		t.Errorf("enabled %q, want plain", got)
	}
	as, err = configure(all, map[string]any{"checks": []any{"plain", "withflags"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(as); got != "withflags,plain" {
		t.Errorf("enabled %q, want registry order withflags,plain", got)
	}
}

func TestOptionsSetFlags(t *testing.T) {
	all, resources, strict, limit := fakeChecks()
	// The shape golangci-lint hands over after reading YAML.
	settings := map[string]any{
		"withflags": map[string]any{
			"resources": []any{"example.com/pool.Conn", "example.com/db.Tx"},
			"strict":    true,
			"limit":     7,
		},
	}
	if _, err := configure(all, settings); err != nil {
		t.Fatal(err)
	}
	if *resources != "example.com/pool.Conn,example.com/db.Tx" {
		t.Errorf("resources = %q, want the list joined by commas", *resources)
	}
	if *strict != "true" {
		t.Errorf("strict = %q, want true", *strict)
	}
	if *limit != 7 {
		t.Errorf("limit = %d, want 7", *limit)
	}
}

func TestSettingErrors(t *testing.T) {
	for _, tc := range []struct {
		settings any
		want     string
	}{
		{map[string]any{"chekcs": []any{"plain"}}, `unknown setting "chekcs": want "checks" or the name of a check to configure (withflags, plain)`},
		{map[string]any{"checks": []any{"nosuch"}}, `"checks" lists unknown check "nosuch"; the checks are withflags, plain`},
		{map[string]any{"checks": "plain"}, `"checks" must be a list of check names`},
		{map[string]any{"checks": []any{}}, `"checks" is empty: list the checks to run (withflags, plain), or leave it out`},
		{map[string]any{"withflags": map[string]any{"resource": "x"}}, `withflags: unknown option "resource"; the options of withflags are limit, resources, strict`},
		{map[string]any{"plain": map[string]any{"x": 1}}, `plain: unknown option "x"; check plain has no options`},
		{map[string]any{"withflags": []any{"resources"}}, `withflags: options must be a mapping`},
		{map[string]any{"withflags": map[string]any{"limit": "many"}}, `option "limit": invalid value "many"`},
		{map[string]any{"withflags": map[string]any{"resources": map[string]any{"a": 1}}}, `option "resources": want a string, number, boolean or list`},
		{map[string]any{"withflags": map[string]any{"resources": []any{[]any{"a"}}}}, `nested lists are not supported`},
		{map[string]any{"withflags": map[string]any{"resources": nil}}, `option "resources": missing value`},
		{[]any{"sigstate"}, `asynclint settings: decoding settings`},
	} {
		_, err := configure(fakeChecksOnly(), tc.settings)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("configure(%v) error = %v, want it to contain %q", tc.settings, err, tc.want)
		}
	}
}

func fakeChecksOnly() []passes.Check {
	all, _, _, _ := fakeChecks()
	return all
}

// TestRegistered checks the plugin as golangci-lint sees it: found by
// name, built from the real registry, asking for type information.
func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("asynclint")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"checks": []any{"sigstate"}})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if got := names(as); got != "sigstate" {
		t.Errorf("BuildAnalyzers() = %q, want sigstate", got)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}

	p, err = newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	as, _ = p.BuildAnalyzers()
	if want := passes.Analyzers(); len(as) != len(want) {
		t.Errorf("default BuildAnalyzers() = %q, want all %d registered checks", names(as), len(want))
	}

	if _, err := newPlugin(map[string]any{"sigstate": map[string]any{"nosuch": 1}}); err == nil ||
		!strings.Contains(err.Error(), `sigstate: unknown option "nosuch"`) {
		t.Errorf("unknown sigstate option: error = %v, want it to name the option", err)
	}
}

// TestRulesSetting checks that a check's rules are chosen in the
// plugin's settings like any other option: a list of rule selections
// (opt-in rules by name, "-NAME" to turn one off), and that an unknown
// rule is an error naming it.
func TestRulesSetting(t *testing.T) {
	newPlugin, err := register.GetPlugin("asynclint")
	if err != nil {
		t.Fatal(err)
	}
	rules := passes.All[0].Rules
	check := passes.All[0].Name()
	var optIn, onByDefault string
	for _, r := range rules.List() {
		if r.Default && onByDefault == "" {
			onByDefault = r.Name
		}
		if !r.Default && optIn == "" {
			optIn = r.Name
		}
	}
	if optIn == "" || onByDefault == "" {
		t.Skipf("%s has no opt-in rule and default rule to test with", check)
	}
	defer rules.Set("default")
	if _, err := newPlugin(map[string]any{check: map[string]any{"rules": []any{optIn, "-" + onByDefault}}}); err != nil {
		t.Fatal(err)
	}
	if !rules.Enabled(optIn) || rules.Enabled(onByDefault) {
		t.Errorf("after rules [%s, -%s]: %s on = %v, %s on = %v", optIn, onByDefault, optIn, rules.Enabled(optIn), onByDefault, rules.Enabled(onByDefault))
	}
	if _, err := newPlugin(map[string]any{check: map[string]any{"rules": []any{"nosuch"}}}); err == nil ||
		!strings.Contains(err.Error(), `unknown rule "nosuch"`) {
		t.Errorf("unknown rule: error = %v, want it to name the rule", err)
	}
}
