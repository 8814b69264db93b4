// Package plugin registers asynclint as a golangci-lint (v2) module
// plugin named "asynclint". Build a golangci-lint binary that contains it
// with `golangci-lint custom` (see .custom-gcl.yml at the repository root
// and docs/integrations.md), then enable it in .golangci.yml:
//
//	linters:
//	  enable:
//	    - asynclint
//	  settings:
//	    custom:
//	      asynclint:
//	        type: module
//	        settings:
//	          checks: [sigstate, unclosed]   # default: every check
//	          unclosed:                      # options of one check
//	            resources: [example.com/pool.Conn]
//
// The plugin takes its checks from passes.All, so every registered check
// is available without a change here. A check's options are its
// analyzer's flags (the same ones `asynclint -CHECK.FLAG` takes): a
// scalar is passed as the flag's text and a list as one comma-separated
// value. An unknown setting, check or flag is an error that names what
// exists, never silently ignored.
//
// Findings carry golangci-lint's linter name "asynclint", so
// //nolint:asynclint silences them; the text starts with the check name.
package plugin

import (
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes"
)

// Name is the linter name under which golangci-lint reports asynclint's
// findings and which //nolint directives use.
const Name = "asynclint"

func init() {
	register.Plugin(Name, New)
}

// Plugin is asynclint as a golangci-lint module plugin.
type Plugin struct {
	analyzers []*analysis.Analyzer
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New builds the plugin from the raw settings golangci-lint read from
// linters.settings.custom.asynclint.settings. It sets the analyzers'
// flags from the per-check options, so it must not run concurrently
// with analysis (golangci-lint calls it once, before analysing).
func New(settings any) (register.LinterPlugin, error) {
	as, err := configure(passes.All, settings)
	if err != nil {
		return nil, err
	}
	return &Plugin{analyzers: as}, nil
}

// BuildAnalyzers returns the enabled checks' analyzers.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return p.analyzers, nil
}

// GetLoadMode asks for type information: every check needs it.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}

// checksKey is the setting that lists the checks to run; every other
// key names a check whose options follow.
const checksKey = "checks"

// configure decodes settings, applies each check's options to its
// analyzer's flags and returns the analyzers of the enabled checks, in
// registry order.
func configure(all []passes.Check, settings any) ([]*analysis.Analyzer, error) {
	raw, err := register.DecodeSettings[map[string]json.RawMessage](settings)
	if err != nil {
		return nil, fmt.Errorf("asynclint settings: %w", err)
	}
	byName := make(map[string]passes.Check, len(all))
	for _, c := range all {
		byName[c.Analyzer.Name] = c
	}

	enabled := make(map[string]bool, len(all))
	if msg, ok := raw[checksKey]; ok {
		var names []string
		if err := json.Unmarshal(msg, &names); err != nil {
			return nil, fmt.Errorf("asynclint settings: %q must be a list of check names (%s): %w", checksKey, checkNames(all), err)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("asynclint settings: %q is empty: list the checks to run (%s), or leave it out to run them all", checksKey, checkNames(all))
		}
		for _, name := range names {
			if _, ok := byName[name]; !ok {
				return nil, fmt.Errorf("asynclint settings: %q lists unknown check %q; the checks are %s", checksKey, name, checkNames(all))
			}
			enabled[name] = true
		}
	} else {
		for name := range byName {
			enabled[name] = true // default: every check.
		}
	}

	for _, key := range sortedKeys(raw) {
		if key == checksKey {
			continue
		}
		c, ok := byName[key]
		if !ok {
			return nil, fmt.Errorf("asynclint settings: unknown setting %q: want %q or the name of a check to configure (%s)", key, checksKey, checkNames(all))
		}
		if err := setOptions(c.Analyzer, raw[key]); err != nil {
			return nil, fmt.Errorf("asynclint settings: %s: %w", key, err)
		}
	}

	var as []*analysis.Analyzer
	for _, c := range all {
		if enabled[c.Analyzer.Name] {
			as = append(as, c.Analyzer)
		}
	}
	return as, nil
}

// setOptions sets a's flags from the options object msg.
func setOptions(a *analysis.Analyzer, msg json.RawMessage) error {
	var opts map[string]any
	if err := json.Unmarshal(msg, &opts); err != nil {
		return fmt.Errorf("options must be a mapping from option name to value: %w", err)
	}
	for _, name := range sortedKeys(opts) {
		f := a.Flags.Lookup(name)
		if f == nil {
			return fmt.Errorf("unknown option %q; %s", name, flagNames(a))
		}
		text, err := flagText(opts[name])
		if err != nil {
			return fmt.Errorf("option %q: %w", name, err)
		}
		if err := f.Value.Set(text); err != nil {
			return fmt.Errorf("option %q: invalid value %q: %w", name, text, err)
		}
	}
	return nil
}

// flagText renders a decoded YAML/JSON value as flag text: scalars as
// written, a list as its elements joined by commas (the convention of
// list-valued analyzer flags).
func flagText(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case []any:
		elems := make([]string, len(v))
		for i, e := range v {
			if _, nested := e.([]any); nested {
				return "", fmt.Errorf("nested lists are not supported")
			}
			s, err := flagText(e)
			if err != nil {
				return "", err
			}
			elems[i] = s
		}
		return strings.Join(elems, ","), nil
	case nil:
		return "", fmt.Errorf("missing value")
	default:
		return "", fmt.Errorf("want a string, number, boolean or list, not %T", v)
	}
}

// checkNames lists the registered check names for error messages.
func checkNames(all []passes.Check) string {
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = c.Analyzer.Name
	}
	return strings.Join(names, ", ")
}

// flagNames describes a's options for error messages.
func flagNames(a *analysis.Analyzer) string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		return "check " + a.Name + " has no options"
	}
	return "the options of " + a.Name + " are " + strings.Join(names, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
