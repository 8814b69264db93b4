// Package unclosed defines an Analyzer that reports response bodies,
// database handles and connections that some path never releases.
//
// # Analyzer unclosed
//
// unclosed: response bodies, database handles and connections should be released on every path
//
// See Doc for the full text; asynclint -explain unclosed prints it.
package unclosed

import (
	"github.com/asynclint/asynclint/passes/internal/lintdoc"
	"github.com/asynclint/asynclint/passes/internal/report"
)

// Doc is unclosed's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title: "Response bodies, database handles and connections should be released on every path",
	Text: `An http.Response whose Body is never closed keeps its connection out of
the client's pool: the next request dials a new one, and under load the
service runs out of sockets or file descriptors. A *sql.Rows, *sql.Stmt
or *sql.Conn left open, or a *sql.Tx neither committed nor rolled back,
pins a database connection until the pool runs dry and every query
blocks. A net.Conn from Dial or Accept that an error path forgets leaks
a socket.

unclosed follows each resource through the function's SSA form, path by
path, and reports one that reaches a return (or the next iteration of a
loop that acquires another) without being released. The message names
the condition of the leaking path: the branch after which nothing
releases the resource, or the call whose failure leaves it with the
caller. The usual bug is an early return on a bad status code before
the deferred Close:

- the Body of an *http.Response from http.Get/Head/Post/PostForm,
  (*http.Client).Do/Get/Head/Post/PostForm, RoundTrip or any function
  that returns one;
- *sql.Rows, *sql.Stmt and *sql.Conn not closed, *sql.Tx without Commit
  or Rollback (and sqlx's wrappers of them);
- net.Conn (and *net.TCPConn, *tls.Conn) from Dial and Accept;
- defer x.Close() inside a loop: the deferred calls run when the function
  returns, so every iteration's resource stays open until then (not when
  the resource, or a reader or struct holding it, must outlive its
  iteration: it is kept in a field, map or slice element, appended to a
  slice that is read, sent, or handed to a goroutine; not when every path
  to the next iteration closes it or drains it with rows.Next; not when
  the loop did not acquire it, or borrowed an in-memory one such as a
  ResponseRecorder's body; not when every path after the defer leaves
  the loop: a return, a break out of it, a call that does not return,
  or an if/else, switch with a default or select all of whose branches
  do);
- a new http.Transport (alone or inside a new http.Client) built in an
  HTTP handler or a loop and used there to send requests: every call gets
  a connection pool of its own whose idle connections are never reused.

The cure is "defer resp.Body.Close()" (or rows.Close(), tx.Rollback())
right after the error check; the suggested fix inserts it there, or moves
a later one up. Rolling back a committed transaction is a harmless no-op.

Not reported, because the duty to release has moved: the resource is
returned; passed to a function that closes it or takes it over (known
across packages through a "closes parameter i" fact); stored in a field,
map, slice or global; sent on a channel; handed to a goroutine; captured
by a closure that closes it; or wrapped in a value whose own Close
releases it (tls.Client(conn, cfg)). A call that is passed the resource
and returns a value and an error, the value kept beyond the function
(d.enc, err = newEncoder(conn)), takes the resource over when it
succeeds: only its failure path is reported ("not closed when
newEncoder fails"). A release method promoted from an embedded field
releases (c.Close() on a *net.TCPConn).

Also not reported: the err != nil path of the call that produced it
(the resource is nil there), including a path that calls a method on
that error (err.Error() panics on a nil error, so the call failed);
rows whose Next or NextResultSet returned false (they closed
themselves); QueryRow,
which closes its rows; statements from Tx.Stmt, closed with the
transaction; httptest.ResponseRecorder.Result, whose body is in
memory; the response of http.ReadResponse, whose body reads from the
caller's bufio.Reader, so closing it frees nothing (the connection
under the reader is a resource of its own, reported where it was
dialled); the response to a HEAD request (http.Head, Client.Head, or Do and
RoundTrip of a request whose method is the constant "HEAD"), which has
no body (the transport puts the connection back in the pool before it
returns the response); a response returned beside a closable value
(a WebSocket Dial's (*Conn, *http.Response, error): the handshake
response, whose body the connection owns); a response the package
builds in memory (a function, a func-literal transport of a local
http.Client, or a transport's RoundTrip that returns literals whose Body
is http.NoBody or io.NopCloser(...)); paths that end in panic, log.Fatal
or os.Exit; the block guarded by "if !f(..., err)" or "if f(..., err)",
where f takes the error (not the resource) and returns a bool, as
testify's assert.NoError and assert.Error are used: that block is where
the call failed; the failure of a comma-ok assertion of the body to a
writer after the status was found to be 101 Switching Protocols (the
body of such a response is the connection, an io.ReadWriteCloser).

A body read to EOF (io.ReadAll, io.Copy, bytes.Buffer.ReadFrom; not a
JSON decoder, which stops after one value) and not closed holds no
connection: net/http's transport returns it to the pool at EOF, or
closes it on a read error. Such paths are reported only under
-unclosed.read-to-eof, as their own case (category
unclosed.read-to-eof), since Close is still the contract every
RoundTripper may rely on.

The opt-in rule unclosed.unread reports the mirror: a response whose
body the function closes on every path but never reads. net/http
reuses an HTTP/1.x connection only after its body was read to EOF; an
early Close makes the transport close the connection (bodyEOFSignal in
transport.go), so every such call pays a new TCP and TLS handshake.
The function must own the response outright: its body is used by
nothing but Close calls it makes itself and the response is passed to
no call, closure or interface (any of which might read the body).
Responses to HEAD requests (http.Head, Client.Head, Do of a request
made with the constant method "HEAD") and tests are not reported.

A call does not count as handing out a new resource when it also takes
one of the same kind (it passes it through, like a requireOK(resp)
helper); when it also returns the body as []byte (the client read and
closed it); when it also returns a function (the cleanup that releases
it); when a fact says it keeps what it returns (a statement cache) or
replaced the response's body; or when it cannot fail and is not a MustX
function (a getter of a resource someone else owns). A result discarded
with _ is not reported in tests, nor from a call the code expects to
fail (if err == nil, require.Error(t, err), err.Error()).

Rows and statements obtained from a transaction (its Query or Prepare,
a statement prepared on it, or a helper call that is passed it) are
closed by its Commit or Rollback: they are released wherever the
transaction is, and not reported at all when the function does not own
the transaction (a parameter, or a helper's that registers its
rollback), since its owner ends it. A transaction, or rows, acquired
with a context from context.WithCancel (or WithTimeout, WithDeadline)
end when that context is cancelled (database/sql rolls the transaction
back and closes the rows): a call of the cancel function releases them,
a cancel handed on (t.Cleanup(cancel), context.AfterFunc(parent,
cancel), time.AfterFunc(d, cancel), a closure) is taken to be called,
and one deferred or handed on before the acquisition releases them at
every return (not before the loop acquires the next one). When the
function's own transaction leaks too, its rows and statements are not
reported apart: the finding on the transaction names every return that
leaks it, and its deferred Rollback would close them.

Out of reach: rows left open on a transaction that goes on being used
(the next query on it fails while they are open, but no connection
leaks); resources kept in a struct and leaked by the struct's owner;
releases that happen through interface methods or function values
(treated as taking ownership, so silence); and net.Conn values from
other functions than Dial and Accept (a connection pool's Get returns a
connection that must be put back, not closed). A Transport is only
reported where the literal (or Clone) sits in the handler or loop body
itself and is used there to send requests, not when a helper called per
request builds it.`,
	Before: `resp, err := client.Do(req)
if err != nil {
    return err
}
if resp.StatusCode != http.StatusOK {
    return fmt.Errorf("status %s", resp.Status) // leaks the body
}
defer resp.Body.Close()`,
	After: `resp, err := client.Do(req)
if err != nil {
    return err
}
defer resp.Body.Close()
if resp.StatusCode != http.StatusOK {
    return fmt.Errorf("status %s", resp.Status)
}`,
	Options: []string{`-unclosed.resources (golangci-lint setting "resources")
        Extra resource types, comma-separated "importpath.Type:Method"
        entries; "|" separates release methods that are alternatives.
        Calls that return such a type hand over a resource that one of
        the methods must release:
        -unclosed.resources='example.com/pool.Lease:Release,example.com/db.Tx:Commit|Rollback'`},
	Since:    lintdoc.FirstRelease,
	Severity: lintdoc.SeverityWarning,
}

// Rules are unclosed's named findings, one per family of resource (the
// resources table in passes/internal/resources names each kind's rule)
// and one for a release deferred in a loop.
var Rules = report.NewRules(
	lintdoc.Rule{Name: "body", Title: "an HTTP response body that some path never closes", Precision: "128 of 352 true on untouched pools (14 of 17 on 2026-12-07g; 3 of 9 on 2026-12-07f; 17 of 119 on 2026-12-06e; 7 of 21 on 2026-12-06d; 22 of 81 on 2026-12-06c; 55 of 66 on 2026-12-06b; 10 of 39 on 2026-12-06)"},
	lintdoc.Rule{Name: "sql", Title: "database rows, a statement, a connection or a transaction that some path never releases", Precision: "74 of 88 true on untouched pools (10 of 12 on 2026-12-07g; 8 of 9 on 2026-12-07f; 0 of 6 on 2026-12-06e; 8 of 8 on 2026-12-06d; 48 of 53 on 2026-12-06)"},
	lintdoc.Rule{Name: "conn", Title: "a network connection that some path never closes", Precision: "37 of 50 true on untouched pools (4 of 4 on 2026-12-07f; 4 of 5 on 2026-12-06e; 8 of 10 on 2026-12-06d; 6 of 8 on 2026-12-06c; 7 of 9 on 2026-12-06b; 8 of 14 on 2026-12-06)"},
	lintdoc.Rule{Name: "custom", Title: "a resource configured with -unclosed.resources that some path never releases", Default: true, Precision: "no finding on the seven untouched pools (240 modules): unmeasured"},
	lintdoc.Rule{Name: "read-to-eof", Title: "a response body read to EOF but not closed on some path: its connection is back in the pool, but Close is the RoundTripper contract", Default: true, Precision: "63 of 64 true on untouched pools (16 of 16 on 2026-12-07f; 6 of 6 on 2026-12-06e; 14 of 14 on 2026-12-06d; 1 of 1 on 2026-12-06c; 17 of 18 on 2026-12-06b; 9 of 9 on 2026-12-06)"},
	lintdoc.Rule{Name: "transport-per-request", Title: "a new http.Transport made per request or per call, whose idle connections are never reused or closed", Precision: "1 of 2 true on untouched pools (0 of 1 on 2026-12-06b; 1 of 1 on 2026-12-06)"},
	lintdoc.Rule{Name: "unread", Title: "a response body closed on every path but never read: net/http closes the HTTP/1.x connection instead of reusing it", Precision: "7 of 13 true on untouched pools (2 of 2 on 2026-12-07g; 2 of 2 on 2026-12-07f; 3 of 9 on 2026-12-06e)"},
	lintdoc.Rule{Name: "defer-loop", Title: "a release deferred inside a loop, holding every iteration's resource until the function returns", Precision: "3 of 13 true on untouched pools (2 of 2 on 2026-12-07f; 0 of 2 on 2026-12-06e; 0 of 1 on 2026-12-06d; 1 of 3 on 2026-12-06c; 0 of 5 on 2026-12-06)"},
)
