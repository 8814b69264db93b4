package internal_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/asynclint/asynclint/"

// layers gives every package under passes/ its layer (see doc.go), and
// whether packages of one layer may import each other.
var layers = map[string]int{
	"passes/internal/knowledge": 1, "passes/internal/resources": 1,
	"passes/internal/code": 2, "passes/internal/mutation": 2, "passes/internal/report": 2, "passes/internal/lintdoc": 2,
	"passes/internal/assigns": 3, "passes/internal/locks": 3, "passes/internal/index": 3,
	"passes/internal/blocking": 4, "passes/internal/chanflow": 4, "passes/internal/closes": 4, "passes/internal/mutation/detach": 4,
	"passes/loopblock": 5, "passes/unclosed": 5, "passes/unjoined": 5, "passes/halfupdate": 5, "passes/sigstate": 5,
	"passes":          6,
	"passes/internal": 0, // this package: doc.go only
}

var sameLayerImports = map[int]bool{1: true, 2: true, 3: true, 4: true}

// violation says why from (a package of asynclint, relative to the
// module) may not import to, or "" when it may.
func violation(from, to string) string {
	if !strings.HasPrefix(from, "passes") {
		return "" // commands, benchmarks and test support stand outside the layers.
	}
	lf, ok := layers[from]
	if !ok {
		return from + " has no layer: add it to passes/internal/doc.go and the layers table"
	}
	if !strings.HasPrefix(to, "passes") {
		return from + " is an analysis package and imports " + to + ", which stands outside the layers (test support, commands)"
	}
	lt, ok := layers[to]
	switch {
	case !ok:
		return to + " has no layer: add it to passes/internal/doc.go and the layers table"
	case lt > lf:
		return from + " (layer " + itoa(lf) + ") imports " + to + " of a later layer (" + itoa(lt) + "); a layer imports only earlier ones"
	case lt == lf && !sameLayerImports[lf]:
		return from + " imports " + to + " of its own layer, which this layer does not allow"
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestLayering checks the imports of every non-test package of the
// module (go list -json) against doc.go's layers.
func TestLayering(t *testing.T) {
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports", module+"...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	n := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		from, ok := strings.CutPrefix(p.ImportPath, module)
		if !ok {
			continue // the module's root package, if any
		}
		n++
		if _, ok := layers[from]; !ok && strings.HasPrefix(from, "passes") {
			t.Errorf("%s", violation(from, ""))
			continue
		}
		for _, imp := range p.Imports {
			if to, ok := strings.CutPrefix(imp, module); ok {
				if v := violation(from, to); v != "" {
					t.Error(v)
				}
			}
		}
	}
	if n < len(layers) {
		t.Fatalf("go list named %d packages, fewer than the %d with a layer", n, len(layers))
	}
}

// TestViolation checks the rule on imports that break it.
func TestViolation(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		bad      bool
	}{
		{"passes/loopblock", "passes/internal/blocking", false},
		{"passes/internal/chanflow", "passes/internal/blocking", false}, // a helper Requires a helper
		{"passes/internal/mutation/detach", "passes/internal/mutation", false},
		{"passes/internal/code", "passes/internal/knowledge", false},
		{"passes/internal/knowledge", "passes/internal/code", true},
		{"passes/internal/code", "passes/internal/blocking", true},
		{"passes/internal/blocking", "passes/loopblock", true},
		{"passes/internal/assigns", "passes/internal/closes", true},
		{"passes/unclosed", "passes/loopblock", true}, // a check imports no check
		{"passes/sigstate", "passes", true},
		{"passes/internal/report", "internal/checktest", true}, // test support
		{"passes/internal/newthing", "passes/internal/code", true},
		{"cmd/asynclint", "passes", false},
	} {
		if got := violation(tc.from, tc.to) != ""; got != tc.bad {
			t.Errorf("violation(%s, %s) = %q, want bad=%v", tc.from, tc.to, violation(tc.from, tc.to), tc.bad)
		}
	}
}
