package passes_test

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/asynclint/asynclint/passes"
)

// TestHelperContract checks the helper contract on every asynclint
// helper analyzer the checks Require, directly or not: it runs under
// report.WrapRun, so its ResultType is a *report.Result[T]; and its
// result keeps no *analysis.Pass, since the analysis API forbids using a
// pass (ImportObjectFact, ...) after Run returned. (A func-typed field
// could still capture one; no result has such a field.)
func TestHelperContract(t *testing.T) {
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		if a.ResultType == nil || !strings.HasPrefix(a.ResultType.String(), "*report.Result[") && !isOurs(a.ResultType) {
			return // a check, or an x/tools analyzer (inspect, ctrlflow, buildssa).
		}
		if !strings.HasPrefix(a.ResultType.String(), "*report.Result[") {
			t.Errorf("helper %s: ResultType %v, want *report.Result[...] (report.WrapRun)", a.Name, a.ResultType)
		}
		if path, ok := reaches(a.ResultType, reflect.TypeFor[*analysis.Pass](), make(map[reflect.Type]bool)); ok {
			t.Errorf("helper %s: its result keeps an *analysis.Pass at %s", a.Name, path)
		}
	}
	for _, a := range passes.Analyzers() {
		visit(a)
	}
	if len(seen) < 10 {
		t.Fatalf("visited %d analyzers; the walk is broken", len(seen))
	}
}

// isOurs reports whether t is declared in asynclint's module.
func isOurs(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.HasPrefix(t.PkgPath(), "github.com/asynclint/asynclint/")
}

// reaches reports whether a value of type t can hold a value of type
// target (through fields, pointers, slices, arrays and maps), and where.
func reaches(t, target reflect.Type, seen map[reflect.Type]bool) (string, bool) {
	if t == target {
		return t.String(), true
	}
	if seen[t] {
		return "", false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return reaches(t.Elem(), target, seen)
	case reflect.Map:
		if p, ok := reaches(t.Key(), target, seen); ok {
			return p, true
		}
		return reaches(t.Elem(), target, seen)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if p, ok := reaches(f.Type, target, seen); ok {
				return t.String() + "." + f.Name + " -> " + p, true
			}
		}
	}
	return "", false
}
