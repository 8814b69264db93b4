package report

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes/internal/lintdoc"
)

// RulesFlag is the name of the analyzer flag that selects a check's
// rules: -loopblock.rules=default,+lock-chan under go vet; the asynclint
// command sets it from -checks=loopblock.lock-chan.
const RulesFlag = "rules"

// Rules is a check's named rules and the user's selection of them. It
// is the flag.Value of the check's "rules" flag, so every driver (the
// command, go vet, golangci-lint, gopls) selects rules the same way, and
// Guard drops a finding whose rule is not selected.
//
// A selection is a comma-separated list applied from left to right,
// starting from the rules that are on by default: "default", "all" and
// "none" reset it, "NAME" or "+NAME" turns a rule on, "-NAME" off.
type Rules struct {
	list []lintdoc.Rule
	on   map[string]bool
	text string
}

// NewRules returns the rules of a check, with the default selection.
func NewRules(rules ...lintdoc.Rule) *Rules {
	r := &Rules{list: rules}
	r.reset(func(rule lintdoc.Rule) bool { return rule.Default })
	r.text = "default"
	return r
}

// AddFlag adds the rules flag of a check to its Analyzer.Flags; each
// check calls it from init, as it declares its other flags.
func (r *Rules) AddFlag(a *analysis.Analyzer) {
	a.Flags.Var(r, RulesFlag, "rules of "+a.Name+" to report: a comma-separated list applied in order to the default selection (default, all, none, NAME or +NAME, -NAME); see asynclint -explain "+a.Name)
}

// List returns the rules in the order the check documents them.
func (r *Rules) List() []lintdoc.Rule { return r.list }

// Enabled reports whether findings of the named rule are reported.
func (r *Rules) Enabled(name string) bool { return r.on[name] }

func (r *Rules) reset(on func(lintdoc.Rule) bool) {
	r.on = make(map[string]bool, len(r.list))
	for _, rule := range r.list {
		r.on[rule.Name] = on(rule)
	}
}

// String returns the selection as it was last set.
func (r *Rules) String() string {
	if r == nil {
		return ""
	}
	return r.text
}

// Set applies a selection (see Rules). An unknown rule name is an error,
// so a misspelt rule never silently selects nothing.
func (r *Rules) Set(s string) error {
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		switch item {
		case "":
			continue
		case "default":
			r.reset(func(rule lintdoc.Rule) bool { return rule.Default })
			continue
		case "all":
			r.reset(func(lintdoc.Rule) bool { return true })
			continue
		case "none":
			r.reset(func(lintdoc.Rule) bool { return false })
			continue
		}
		on := true
		name := item
		if rest, ok := strings.CutPrefix(item, "-"); ok {
			on, name = false, rest
		} else if rest, ok := strings.CutPrefix(item, "+"); ok {
			name = rest
		}
		if _, ok := lintdoc.Lookup(r.list, name); !ok {
			return fmt.Errorf("unknown rule %q (rules: %s)", name, strings.Join(r.names(), ", "))
		}
		r.on[name] = on
	}
	r.text = s
	return nil
}

func (r *Rules) names() []string {
	var names []string
	for _, rule := range r.list {
		names = append(names, rule.Name)
	}
	slices.Sort(names)
	return names
}

// rulesOf returns the rules of the check a pass runs, or nil for a
// helper analyzer, which has none.
func rulesOf(a *analysis.Analyzer) *Rules {
	f := a.Flags.Lookup(RulesFlag)
	if f == nil {
		return nil
	}
	r, _ := f.Value.(*Rules)
	return r
}

// selected reports whether a finding of a check with rules may be
// reported. A finding must name one of the check's rules in its
// Category: one that names none is a bug in the check, and panics so
// that Guard turns it into an internal error and tests fail.
func (r *Rules) selected(check string, d analysis.Diagnostic) bool {
	if _, ok := lintdoc.Lookup(r.list, d.Category); !ok {
		panic(fmt.Sprintf("%s reported a finding of unknown rule %q: %s", check, d.Category, d.Message))
	}
	return r.on[d.Category]
}
