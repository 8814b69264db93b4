// Package mutation is asynclint's one list of what counts as an update.
//
// A check that asks "does this call change durable or shared state?"
// (halfupdate does; others may) asks Classify. The answer comes from two
// places, in this order:
//
//  1. A table of standard-library functions (std knowledge lives in
//     tables, not in name guesses): database/sql's Exec and ExecContext
//     mutate, Query/QueryRow/Ping/Prepare/Begin do not, (*sql.Tx).Rollback
//     compensates. Every other std function is None: std has no other
//     context-taking call that changes durable state.
//  2. For code outside std, the first camel-case word of the function or
//     method name: "CreateUser", "insertRow", "Debit", "SetStatus" are
//     updates; "Rollback", "DeleteUser", "Refund" compensate (undo an
//     update); "GetUser", "ListJobs", "Query" are None.
//
// Releases ("Unlock", "Release", "Free") are a kind of their own: they
// compensate in a cleanup, but do not count as a change of data.
//
// Calls that change state nobody else depends on are None whatever their
// name: methods of loggers, tracers, metric instruments and caches
// (receiver type names in ignoredTypeWords, packages in ignoredPkgPrefixes).
// A failed cache fill or a lost metric does not leave a half update.
//
// The list is deliberately short and was tuned on real storage, queue and
// migration code (see halfupdate's doc): a verb is listed only if calls
// starting with it that take a context are, in that code, writes.
package mutation

import (
	"go/types"
	"strings"
	"unicode"

	"github.com/asynclint/asynclint/passes/internal/code"
)

// A Kind says what a call does to durable or shared state.
type Kind int

const (
	// None: a read, a pure computation, or an update nobody depends on
	// (logs, metrics, traces, caches).
	None Kind = iota
	// Update: the call changes durable or shared state (a row, a message,
	// a payment, a key).
	Update
	// Compensation: the call undoes an earlier update (rollback, delete
	// of what was created, refund). It changes data too; IsUpdate reports
	// true for it.
	Compensation
	// Release: the call gives back a hold on a resource (release, unlock,
	// free, deallocate). It is a compensation for a cleanup, but not a
	// change of data: deallocating cached statements before a query is
	// housekeeping, not the first half of an update (pgx v5.12.0,
	// (*Conn).Exec).
	Release
)

func (k Kind) String() string {
	switch k {
	case Update:
		return "update"
	case Compensation:
		return "compensation"
	case Release:
		return "release"
	default:
		return "none"
	}
}

// std lists the standard-library functions that are updates or
// compensations, in types.Func.FullName form. Every other std function is
// None.
var std = map[string]Kind{
	"(*database/sql.DB).Exec":          Update,
	"(*database/sql.DB).ExecContext":   Update,
	"(*database/sql.Conn).ExecContext": Update,
	"(*database/sql.Stmt).Exec":        Update,
	"(*database/sql.Stmt).ExecContext": Update,
	"(*database/sql.Tx).Exec":          Update,
	"(*database/sql.Tx).ExecContext":   Update,
	"(*database/sql.Tx).Rollback":      Compensation,
}

// updateVerbs are the first words of names of calls that change state.
var updateVerbs = setOf(
	"insert", "update", "upsert", "delete", "remove", "put", "set", "create",
	"publish", "send", "charge", "write", "save", "store", "add", "append",
	"credit", "debit", "transfer", "withdraw", "deposit", "capture", "pay",
	"enqueue", "push", "patch", "replace", "increment", "incr", "decrement",
	"decr", "mark", "assign", "grant", "revoke", "register",
	"unregister", "upload", "reserve", "allocate", "persist", "move", "rename",
	"drop", "truncate", "ack", "nack", "complete", "finish", "settle",
)

// compensationVerbs are the first words of names of calls that undo an
// earlier update; they are updates too. Not "cleanup":
// CleanupStaleLocks before a retry is housekeeping, not the undoing of
// an update (goose v3.29.0, lock/internal/table).
var compensationVerbs = setOf(
	"rollback", "undo", "revert", "compensate", "refund", "restore",
	"unreserve", "void", "reverse", "delete", "del", "remove", "cancel",
)

// releaseVerbs are the first words of names of calls that give back a
// hold on a resource.
var releaseVerbs = setOf("release", "unlock", "abort", "discard", "deallocate", "free")

// ignoredTypeWords, found in a receiver's type name, mark state nobody
// depends on for correctness.
var ignoredTypeWords = setOf(
	"log", "logger", "logging", "metric", "metrics", "meter", "counter",
	"gauge", "histogram", "summary", "tracer", "tracing", "span", "recorder",
	"cache", "stats", "observer", "telemetry", "audit",
)

// ignoredPkgPrefixes are import paths of logging, tracing and metrics
// libraries whose calls never count as updates.
var ignoredPkgPrefixes = []string{
	"go.opentelemetry.io/", "go.opencensus.io/", "github.com/prometheus/",
	"go.uber.org/zap", "github.com/sirupsen/logrus", "github.com/rs/zerolog",
	"github.com/go-logr/", "github.com/DataDog/", "gopkg.in/DataDog/",
	"github.com/getsentry/", "github.com/newrelic/", "k8s.io/klog",
	"k8s.io/client-go/tools/record", "k8s.io/client-go/tools/cache",
	"github.com/hashicorp/go-hclog", "github.com/patrickmn/go-cache",
}

// Classify reports what a call of fn does to durable or shared state.
// A nil fn (dynamic call, conversion, builtin) is None.
func Classify(fn *types.Func) Kind {
	if fn == nil || fn.Pkg() == nil {
		return None
	}
	fn = fn.Origin()
	path := fn.Pkg().Path()
	if code.IsStdPath(path) {
		return std[fn.FullName()]
	}
	if hasPrefix(path, ignoredPkgPrefixes) {
		return None
	}
	if recv := receiverName(fn); recv != "" && isIgnoredType(recv) {
		return None
	}
	return ClassifyName(fn.Name())
}

// ClassifyName classifies a function or method name by its first
// camel-case word. It is Classify's heuristic alone, for callers that
// have only a name.
func ClassifyName(name string) Kind {
	verb := Verb(name)
	if words := Words(name); len(verb) == 1 && len(words) > 1 {
		verb = words[1] // Redis commands: SAdd, HSet, LPush, ZAdd, HDel.
	}
	switch {
	case compensationVerbs[verb]:
		return Compensation
	case releaseVerbs[verb]:
		return Release
	case updateVerbs[verb], isExec(name):
		return Update
	}
	return None
}

// isExec reports whether name runs a statement: Exec, ExecContext,
// MustExec, NamedExecContext (pgx, sqlx, bun). "exec" is not a verb of
// its own: ExecCreate and ExecAttach (Docker) start processes, they do
// not write (goose v3.29.0, pkg/dockermanage).
func isExec(name string) bool {
	words := Words(name)
	n := len(words)
	return (n > 0 && words[n-1] == "exec") || (n > 1 && words[n-2] == "exec" && words[n-1] == "context")
}

// IsUpdate reports whether a call of fn changes durable or shared data
// (compensations included, releases not).
func IsUpdate(fn *types.Func) bool {
	k := Classify(fn)
	return k == Update || k == Compensation
}

// IsCompensation reports whether a call of fn undoes an earlier update
// or releases a hold taken for it.
func IsCompensation(fn *types.Func) bool {
	k := Classify(fn)
	return k == Compensation || k == Release
}

// Verb returns the first camel-case word of name in lower case:
// "CreateUser" → "create", "insertRow" → "insert", "HTTPPost" → "http",
// "set_status" → "set".
func Verb(name string) string {
	w, _ := firstWord(name)
	return w
}

// firstWord splits name into its first camel-case word (in lower case)
// and the rest.
func firstWord(name string) (word, rest string) {
	name = strings.TrimLeft(name, "_")
	rs := []rune(name)
	end := len(rs)
	for i := 1; i < len(rs); i++ {
		r, prev := rs[i], rs[i-1]
		if r == '_' || unicode.IsDigit(r) {
			end = i
			break
		}
		if !unicode.IsUpper(r) {
			continue
		}
		nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
		if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
			end = i
			break
		}
	}
	return strings.ToLower(string(rs[:end])), string(rs[end:])
}

func receiverName(fn *types.Func) string {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return named.Obj().Name()
	}
	return ""
}

// isIgnoredType reports whether one of the camel-case words of a type
// name marks state nobody depends on ("RequestLogger", "metricsSink";
// not "Spanner").
func isIgnoredType(name string) bool {
	for _, w := range Words(name) {
		if ignoredTypeWords[w] {
			return true
		}
	}
	return false
}

func hasPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Words splits a Go identifier into its camel-case words, in lower case:
// "BeginTx" → [begin tx], "RunInTransaction" → [run in transaction].
func Words(name string) []string {
	var words []string
	for name != "" {
		w, rest := firstWord(name)
		if w == "" {
			break
		}
		words = append(words, w)
		name = strings.TrimLeft(rest, "_0123456789")
	}
	return words
}
