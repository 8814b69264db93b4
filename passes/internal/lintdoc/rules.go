package lintdoc

import (
	"fmt"
	"strings"
)

// A Rule is one named kind of finding of a check, such as loopblock's
// "lock-chan" (a channel operation while a mutex is held). Every finding
// a check reports belongs to exactly one of its rules: the rule's name
// is the diagnostic's Category, and users name it as CHECK.RULE to turn
// it on or off. A rule is on by default only when its precision,
// measured on real modules nobody tuned the check on, is at least 95 %.
type Rule struct {
	Name      string // lower-case words joined by '-': "lock-chan"
	Title     string // what it reports, one line: "a channel operation while a mutex is held"
	Default   bool   // reported unless the user turns it off
	Precision string // how it measured on untuned code, e.g. "12 of 12 findings true (untouched pool, 2026-12-06)"; "" if it never reported there
}

// Lookup returns the rule of rules with the given name.
func Lookup(rules []Rule, name string) (Rule, bool) {
	for _, r := range rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// ExplainRules renders the Rules section of a check's -explain page.
func ExplainRules(check string, rules []Rule) string {
	if len(rules) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nRules (turn one on or off with -checks=" + check + ".RULE or -checks=-" + check + ".RULE)\n")
	for _, r := range rules {
		state := "opt-in"
		if r.Default {
			state = "default"
		}
		fmt.Fprintf(&b, "    %s.%s (%s): %s\n", check, r.Name, state, r.Title)
		if r.Precision != "" {
			fmt.Fprintf(&b, "        precision: %s\n", r.Precision)
		}
	}
	return b.String()
}
