package main

import (
	"strings"
	"testing"
)

// TestSelectChecksRules checks how -checks turns into each check's rules
// flag: CHECK.RULE adds a rule, -CHECK.RULE removes one, CHECK.all and
// CHECK.none reset the selection, and -CHECK.all (which would read as
// "turn every rule off" or "on") is refused.
func TestSelectChecksRules(t *testing.T) {
	for spec, want := range map[string]string{
		"all,loopblock.lock-chan":              "+lock-chan",
		"all,-loopblock.loop-io":               "-loop-io",
		"loopblock.none,loopblock.lock-chan":   "none,+lock-chan",
		"all,loopblock.all,-loopblock.loop-io": "all,-loop-io",
	} {
		_, rules, err := selectChecks(spec)
		if err != nil {
			t.Errorf("selectChecks(%q): %v", spec, err)
			continue
		}
		if rules["loopblock"] != want {
			t.Errorf("selectChecks(%q): loopblock rules %q, want %q", spec, rules["loopblock"], want)
		}
	}
	for spec, msg := range map[string]string{
		"all,-loopblock.all":   "cannot be turned off",
		"all,loopblock.nosuch": `has no rule named "nosuch"`,
		"nosuch.rule":          `no check named "nosuch"`,
	} {
		if _, _, err := selectChecks(spec); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("selectChecks(%q) = %v, want an error containing %q", spec, err, msg)
		}
	}
}
