package passes_test

import (
	"slices"
	"testing"

	"github.com/asynclint/asynclint/passes"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// TestDirectiveNamesAreTheRegistry: //asynclint:ignore directives may
// name exactly the checks of passes.All. The report package keeps its
// own list because it cannot import the registry; this keeps the two
// one list.
func TestDirectiveNamesAreTheRegistry(t *testing.T) {
	var names []string
	for _, c := range passes.All {
		names = append(names, c.Name())
	}
	if got := report.Checks(); !slices.Equal(got, names) {
		t.Errorf("report.Checks() = %v, passes.All has %v", got, names)
	}
}
