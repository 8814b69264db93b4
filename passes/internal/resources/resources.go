// Package resources is asynclint's table of resources that must be
// released: which types they are, which calls hand them out and which
// methods release them. It is data, in one place, so that teaching the
// unclosed check a new resource is one line in Table (or one entry of
// the check's -resources flag for user types).
package resources

import (
	"fmt"
	"go/types"
	"slices"
	"strings"
)

// A Kind is one sort of resource.
type Kind struct {
	// Pkg and Type name the resource's type; a value of type T or *T
	// (or the interface type itself) is a resource of this kind.
	Pkg, Type string
	// Noun is what messages call the resource: "response body", "rows".
	Noun string
	// Field, when set, names the field of the resource that is released
	// rather than the resource itself: resp.Body.Close().
	Field string
	// Release lists the methods, any one of which releases the resource.
	Release []string
	// Sources, when set, lists the only calls (types.Func.FullName form)
	// that hand out a new resource; when empty, every call that returns
	// the type does, except Borrowed.
	Sources []string
	// Borrowed lists calls that return the type without handing over
	// the duty to release it.
	Borrowed []string
	// ExhaustedBy names the methods whose false result means the resource
	// released itself: rows.Next() closes the rows when it returns false.
	ExhaustedBy []string
	// Within lists resource types ("importpath.Type") whose release also
	// releases this one when it was obtained from them: a transaction's
	// Commit or Rollback closes its rows and statements.
	Within []string
	// EndsWithContext says the resource is released when the context
	// passed to the call that acquires it is done: database/sql rolls
	// back a transaction, and closes rows, whose context is cancelled.
	EndsWithContext bool
	// Verb says what release does ("closed"); "closed" when empty.
	Verb string
	// Why says what a leak costs: "its connection is not reused".
	Why string
	// Fix is the statement a suggested fix inserts, with %s for the
	// variable: "defer %s.Body.Close()".
	Fix string
	// Rule names the unclosed rule its leaks belong to: "body", "sql",
	// "conn", or "custom" for resources the user configures.
	Rule string
}

// Table lists the resources asynclint knows. Adding one is one line.
var Table = []Kind{
	{Pkg: "net/http", Type: "Response", Rule: "body", Noun: "response body", Field: "Body", Release: []string{"Close"}, Fix: "defer %s.Body.Close()", Why: "its connection can be neither reused nor freed",
		Borrowed: []string{
			"(*net/http/httptest.ResponseRecorder).Result", // its body is an in-memory buffer
			// The CONNECT response's stream belongs to the session Dial
			// also returns: closing the session releases it, and closing
			// the body would cancel the session's reads.
			"(*github.com/quic-go/webtransport-go.Dialer).Dial",
			// Its body reads from the caller's bufio.Reader: closing it
			// drains that reader and frees nothing. The connection under
			// the reader is a resource of its own, reported where dialled.
			"net/http.ReadResponse",
			// A response to HEAD has no body: the transport returns the
			// connection to the pool before it returns the response.
			"net/http.Head",
			"(*net/http.Client).Head",
		}},
	{Pkg: "database/sql", Type: "Rows", Rule: "sql", Noun: "rows", ExhaustedBy: exhausters, Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyDB,
		Within: txTypes, EndsWithContext: true},
	{Pkg: "database/sql", Type: "Stmt", Rule: "sql", Noun: "statement", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyStmt,
		Borrowed: []string{"(*database/sql.Tx).Stmt", "(*database/sql.Tx).StmtContext"}, // closed with the transaction
		Within:   txTypes},
	{Pkg: "database/sql", Type: "Conn", Rule: "sql", Noun: "connection", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyDB},
	{Pkg: "database/sql", Type: "Tx", Rule: "sql", Noun: "transaction", Release: []string{"Commit", "Rollback"}, Fix: "defer %s.Rollback()", Verb: "committed or rolled back", Why: whyDB,
		EndsWithContext: true},
	{Pkg: "net", Type: "Conn", Rule: "conn", Noun: "connection", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: "its socket stays open",
		Sources: []string{"net.Dial", "net.DialTimeout", "(*net.Dialer).Dial", "(*net.Dialer).DialContext", "(net.Listener).Accept"}},
	{Pkg: "net", Type: "TCPConn", Rule: "conn", Noun: "connection", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: "its socket stays open",
		Sources: []string{"net.DialTCP", "(*net.TCPListener).AcceptTCP"}},
	{Pkg: "crypto/tls", Type: "Conn", Rule: "conn", Noun: "connection", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: "its socket stays open",
		Sources: []string{"crypto/tls.Dial", "crypto/tls.DialWithDialer", "(*crypto/tls.Dialer).DialContext"}},
	{Pkg: "github.com/jmoiron/sqlx", Type: "Rows", Rule: "sql", Noun: "rows", ExhaustedBy: exhausters, Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyDB,
		Within: txTypes, EndsWithContext: true},
	{Pkg: "github.com/jmoiron/sqlx", Type: "Stmt", Rule: "sql", Noun: "statement", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyStmt,
		Borrowed: []string{"(*github.com/jmoiron/sqlx.Tx).Stmtx", "(*github.com/jmoiron/sqlx.Tx).StmtxContext"},
		Within:   txTypes},
	{Pkg: "github.com/jmoiron/sqlx", Type: "Conn", Rule: "sql", Noun: "connection", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyDB},
	{Pkg: "github.com/jmoiron/sqlx", Type: "Tx", Rule: "sql", Noun: "transaction", Release: []string{"Commit", "Rollback"}, Fix: "defer %s.Rollback()", Verb: "committed or rolled back", Why: whyDB,
		EndsWithContext: true},
	{Pkg: "github.com/jmoiron/sqlx", Type: "NamedStmt", Rule: "sql", Noun: "statement", Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyStmt,
		Within: txTypes},
}

// pgx (v4 and v5): rows close themselves when Next returns false and
// must be closed on every other path (the connection stays busy until
// then); a connection acquired from a pgxpool.Pool goes back with
// Release; a transaction ends with Commit or Rollback (its context only
// bounds the BEGIN).
func init() {
	for _, v := range []string{"v4", "v5"} {
		pgx, pool := "github.com/jackc/pgx/"+v, "github.com/jackc/pgx/"+v+"/pgxpool"
		Table = append(Table,
			Kind{Pkg: pgx, Type: "Rows", Rule: "sql", Noun: "rows", ExhaustedBy: []string{"Next"}, Release: []string{"Close"}, Fix: "defer %s.Close()", Why: whyPgx},
			Kind{Pkg: pgx, Type: "Tx", Rule: "sql", Noun: "transaction", Release: []string{"Commit", "Rollback"}, Verb: "committed or rolled back", Why: whyPgx},
			Kind{Pkg: pool, Type: "Conn", Rule: "sql", Noun: "pooled connection", Release: []string{"Release", "Hijack"}, Fix: "defer %s.Release()", Verb: "released", Why: "the pool never gets it back",
				Sources: []string{"(*" + pool + ".Pool).Acquire"}},
		)
	}
}

const whyPgx = "its connection stays busy, and a pool's is never returned"

// ReadsToEOF lists the standard-library calls that read a reader to its
// end (or to the first error), with the index of that reader among the
// call's arguments (a method's receiver is argument 0). A response body
// read to EOF has given its connection back: net/http's transport
// (bodyEOFSignal in transport.go) returns it to the pool at io.EOF and
// closes it on any other read error. json.Decoder.Decode is not one: it
// stops after the first value.
var ReadsToEOF = map[string]int{
	"io.ReadAll":               0,
	"io/ioutil.ReadAll":        0,
	"io.Copy":                  1,
	"io.CopyBuffer":            1,
	"(*bytes.Buffer).ReadFrom": 1,
	"(*bufio.Writer).ReadFrom": 1,
}

// OpenWrappers lists the standard-library calls that wrap a reader in a
// closable one whose Close does not close the reader it wraps: closing
// the wrapper leaves a response body (or any resource) open.
var OpenWrappers = map[string]bool{
	"compress/gzip.NewReader":  true, // (*gzip.Reader).Close: "does not close the underlying io.Reader"
	"compress/zlib.NewReader":  true,
	"compress/flate.NewReader": true,
	"io.NopCloser":             true,
	"io/ioutil.NopCloser":      true,
}

// exhausters are the methods of database/sql.Rows that close the rows
// when they return false: Next at the end of the last result set, and
// NextResultSet when there is no further one (or it fails).
var exhausters = []string{"Next", "NextResultSet"}

const whyDB = "it pins a database connection until the pool runs dry"

// whyStmt: a statement holds no connection between uses, but stays
// prepared on the server (and tracked by the pool) until it is closed;
// servers cap those (MySQL's max_prepared_stmt_count).
const whyStmt = "it stays prepared on the database server until the pool is closed"

// txTypes are the transactions whose end closes the rows and statements
// obtained from them (database/sql's Tx.Commit and Tx.Rollback).
var txTypes = []string{"database/sql.Tx", "github.com/jmoiron/sqlx.Tx"}

// ReleaseNames are the method names that release some resource. The
// "closes its argument" facts treat a call of one of them on a parameter
// as releasing it, whatever the type, so that user-configured resources
// are covered too.
var ReleaseNames = []string{"Close", "Commit", "Rollback", "Release", "Shutdown", "Free", "Dispose", "Disconnect", "Terminate"}

// A Set is the table in use: Table plus the user's extra kinds.
type Set struct{ kinds []Kind }

// NewSet returns the set of Table and extra.
func NewSet(extra []Kind) *Set {
	return &Set{kinds: append(slices.Clip(Table), extra...)}
}

// KindOf returns the kind of resource whose type t is, or nil.
func (s *Set) KindOf(t types.Type) *Kind {
	if t == nil {
		return nil
	}
	for i := range s.kinds {
		k := &s.kinds[i]
		if isNamed(t, k.Pkg, k.Type) {
			return k
		}
	}
	return nil
}

// Acquires returns the kind of resource that a call to callee (nil if
// dynamic) returning a value of type t hands to its caller, or nil.
func (s *Set) Acquires(callee *types.Func, t types.Type) *Kind {
	k := s.KindOf(t)
	if k == nil {
		return nil
	}
	name := ""
	if callee != nil {
		name = callee.Origin().FullName()
	}
	if slices.Contains(k.Borrowed, name) {
		return nil
	}
	if len(k.Sources) > 0 && !slices.Contains(k.Sources, name) {
		return nil
	}
	return k
}

// IsWithin reports whether a resource of kind k obtained from one of
// kind outer is released with it.
func (k *Kind) IsWithin(outer *Kind) bool {
	return outer != nil && slices.Contains(k.Within, outer.Pkg+"."+outer.Type)
}

// IsRelease reports whether method name releases resources of kind k.
func (k *Kind) IsRelease(name string) bool { return slices.Contains(k.Release, name) }

// isNamed reports whether t is pkg.name or *pkg.name.
func isNamed(t types.Type, pkg, name string) bool {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkg
}

// Parse reads user-configured kinds: a comma-separated list of
// "importpath.Type:Method" entries, where Method may list alternatives
// separated by "|" ("example.com/db.Tx:Commit|Rollback").
func Parse(s string) ([]Kind, error) {
	var kinds []Kind
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		typ, methods, ok := strings.Cut(entry, ":")
		dot := strings.LastIndex(typ, ".")
		if !ok || dot <= 0 || dot == len(typ)-1 || methods == "" {
			return nil, fmt.Errorf("resource %q: want importpath.Type:Method", entry)
		}
		release := strings.Split(methods, "|")
		if slices.Contains(release, "") {
			return nil, fmt.Errorf("resource %q: empty method name", entry)
		}
		pkg, name := strings.TrimPrefix(typ[:dot], "*"), typ[dot+1:]
		kinds = append(kinds, Kind{
			Pkg: pkg, Type: name, Rule: "custom", Noun: name, Release: release, Verb: "released", Why: "what it holds stays taken",
			Fix: "defer %s." + release[len(release)-1] + "()",
		})
	}
	return kinds, nil
}

// Flag is the flag.Value of the unclosed check's -resources flag: it
// holds the user's extra kinds, set once before analysis starts.
type Flag struct {
	text  string
	Kinds []Kind
}

func (f *Flag) String() string { return f.text }

// Set parses s (see Parse).
func (f *Flag) Set(s string) error {
	kinds, err := Parse(s)
	if err != nil {
		return err
	}
	f.text, f.Kinds = s, kinds
	return nil
}

// HasPackage reports whether some kind's type is declared in package path.
func (s *Set) HasPackage(path string) bool {
	return slices.ContainsFunc(s.kinds, func(k Kind) bool { return k.Pkg == path })
}

// Released is the participle messages use: "closed".
func (k *Kind) Released() string {
	if k.Verb == "" {
		return "closed"
	}
	return k.Verb
}
