package report

import (
	"strings"
	"testing"

	"github.com/asynclint/asynclint/passes/internal/lintdoc"
)

func TestRulesSet(t *testing.T) {
	newRules := func() *Rules {
		return NewRules(
			lintdoc.Rule{Name: "a", Default: true},
			lintdoc.Rule{Name: "b", Default: true},
			lintdoc.Rule{Name: "c"},
		)
	}
	for _, tc := range []struct {
		spec string
		want string // the rules on, in order
	}{
		{"", "ab"},
		{"default", "ab"},
		{"all", "abc"},
		{"none", ""},
		{"c", "abc"},
		{"+c", "abc"},
		{"-a", "b"},
		{"none,c", "c"},
		{"all,-b", "ac"},
		{"c,default", "ab"},
		{" -a , c ", "bc"},
	} {
		r := newRules()
		if err := r.Set(tc.spec); err != nil {
			t.Errorf("Set(%q): %v", tc.spec, err)
			continue
		}
		var got strings.Builder
		for _, name := range []string{"a", "b", "c"} {
			if r.Enabled(name) {
				got.WriteString(name)
			}
		}
		if got.String() != tc.want {
			t.Errorf("Set(%q) turns on %q, want %q", tc.spec, got.String(), tc.want)
		}
	}
	for _, bad := range []string{"d", "-d", "a,+x"} {
		if err := newRules().Set(bad); err == nil || !strings.Contains(err.Error(), "unknown rule") {
			t.Errorf("Set(%q) = %v, want an unknown rule error", bad, err)
		}
	}
}

func TestRulesDefault(t *testing.T) {
	r := NewRules(lintdoc.Rule{Name: "on", Default: true}, lintdoc.Rule{Name: "off"})
	if !r.Enabled("on") || r.Enabled("off") || r.String() != "default" {
		t.Errorf("default selection: on=%v off=%v %q", r.Enabled("on"), r.Enabled("off"), r.String())
	}
}
