package mutation

import "testing"

func TestVerb(t *testing.T) {
	for name, want := range map[string]string{
		"CreateUser": "create", "insertRow": "insert", "Exec": "exec",
		"HTTPPost": "http", "LRUCache": "lru", "_delete": "delete", "set_status": "set",
		"Put2": "put", "": "",
	} {
		if got := Verb(name); got != want {
			t.Errorf("Verb(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestClassifyName(t *testing.T) {
	for name, want := range map[string]Kind{
		"Debit": Update, "Credit": Update, "InsertOrder": Update,
		"ExecContext": Update, "Rollback": Compensation, "DeleteUser": Compensation,
		"Refund": Compensation, "GetUser": None, "ListJobs": None,
		"QueryContext": None, "Debug": None, "Settings": None,
		"Exec": Update, "MustExec": Update, "NamedExecContext": Update,
		"SAdd": Update, "HSet": Update, "HDel": Compensation, "HGet": None,
		"Unlock": Release, "deallocateInvalidatedCachedStatements": Release,
		"ExecAttach": None, "ExecCreate": None, "CleanupStaleLocks": None,
	} {
		if got := ClassifyName(name); got != want {
			t.Errorf("ClassifyName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIgnoredType(t *testing.T) {
	for name, want := range map[string]bool{
		"RequestLogger": true, "metricsSink": true, "Spanner": false,
		"Store": false, "LRUCache": true, "EventStore": false,
	} {
		if got := isIgnoredType(name); got != want {
			t.Errorf("isIgnoredType(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("RunInTransaction_x2HTTPServer")
	want := []string{"run", "in", "transaction", "x", "http", "server"}
	if len(got) != len(want) {
		t.Fatalf("Words = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("Words = %v, want %v", got, want)
		}
	}
}
