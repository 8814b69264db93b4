package resources_test

import (
	"go/types"
	"path"
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

func TestWithin(t *testing.T) {
	set := resources.NewSet(nil)
	kind := func(pkgPath, name string) *resources.Kind {
		pkg := types.NewPackage(pkgPath, path.Base(pkgPath))
		named := types.NewNamed(types.NewTypeName(0, pkg, name, nil), types.NewStruct(nil, nil), nil)
		return set.KindOf(types.NewPointer(named))
	}
	rows, tx, conn := kind("database/sql", "Rows"), kind("database/sql", "Tx"), kind("database/sql", "Conn")
	sqlxTx := kind("github.com/jmoiron/sqlx", "Tx")
	if rows == nil || tx == nil || conn == nil || sqlxTx == nil {
		t.Fatal("database/sql kinds missing from the table")
	}
	if !rows.IsWithin(tx) || !rows.IsWithin(sqlxTx) {
		t.Error("rows should end with their transaction")
	}
	if rows.IsWithin(conn) || tx.IsWithin(tx) || rows.IsWithin(nil) {
		t.Error("IsWithin holds for a kind that does not end the rows")
	}
	if !tx.EndsWithContext || !rows.EndsWithContext || conn.EndsWithContext {
		t.Error("only transactions and rows end with their context")
	}
}

// TestBorrowed checks that a response handed out next to the session
// that owns it is not a resource of the caller's.
func TestBorrowed(t *testing.T) {
	httpPkg := types.NewPackage("net/http", "http")
	response := types.NewPointer(types.NewNamed(types.NewTypeName(0, httpPkg, "Response", nil), types.NewStruct(nil, nil), nil))
	dialer := func(pkgPath string) *types.Func {
		pkg := types.NewPackage(pkgPath, path.Base(pkgPath))
		named := types.NewNamed(types.NewTypeName(0, pkg, "Dialer", nil), types.NewStruct(nil, nil), nil)
		recv := types.NewVar(0, pkg, "d", types.NewPointer(named))
		sig := types.NewSignatureType(recv, nil, nil, nil, types.NewTuple(types.NewVar(0, pkg, "", response)), false)
		return types.NewFunc(0, pkg, "Dial", sig)
	}
	set := resources.NewSet(nil)
	if k := set.Acquires(dialer("github.com/quic-go/webtransport-go"), response); k != nil {
		t.Errorf("webtransport Dialer.Dial hands out a %s, want nothing", k.Noun)
	}
	if k := set.Acquires(dialer("example.com/other"), response); k == nil {
		t.Error("another Dialer.Dial's response is not a resource")
	}
}
