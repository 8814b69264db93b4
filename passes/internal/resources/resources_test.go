package resources_test

import (
	"go/types"
	"testing"

	"github.com/asynclint/asynclint/passes/internal/resources"
)

func TestParse(t *testing.T) {
	kinds, err := resources.Parse("example.com/pool.Lease:Release, example.com/db.Tx:Commit|Rollback")
	if err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 2 {
		t.Fatalf("got %d kinds, want 2", len(kinds))
	}
	if k := kinds[1]; k.Pkg != "example.com/db" || k.Type != "Tx" || !k.IsRelease("Commit") || !k.IsRelease("Rollback") || k.IsRelease("Close") {
		t.Errorf("second kind = %+v", k)
	}
	if got := kinds[0].Fix; got != "defer %s.Release()" {
		t.Errorf("fix = %q", got)
	}
}

func TestKindOf(t *testing.T) {
	pkg := types.NewPackage("example.com/pool", "pool")
	lease := types.NewNamed(types.NewTypeName(0, pkg, "Lease", nil), types.NewStruct(nil, nil), nil)
	extra, _ := resources.Parse("example.com/pool.Lease:Release")
	set := resources.NewSet(extra)
	if k := set.KindOf(types.NewPointer(lease)); k == nil || k.Type != "Lease" {
		t.Errorf("KindOf(*Lease) = %v, want the Lease kind", k)
	}
	if k := resources.NewSet(nil).KindOf(lease); k != nil {
		t.Errorf("KindOf(Lease) without configuration = %v, want nil", k)
	}
	if !set.HasPackage("net/http") || !set.HasPackage("example.com/pool") {
		t.Error("HasPackage misses a configured package")
	}
}
