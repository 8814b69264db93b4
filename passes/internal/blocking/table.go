package blocking

import "github.com/asynclint/asynclint/passes/internal/knowledge"

// This file is the one place that knows which standard-library calls can
// block a goroutine without bound. Drivers may skip the standard library
// when they compute facts, so this knowledge is data, not derived; facts
// extend it to user code.

// A Kind classifies a blocking operation; it selects the cure that
// messages offer.
type Kind uint8

const (
	KindHTTP   Kind = iota + 1 // an HTTP request with no timeout and no context
	KindDial                   // a dial with no timeout and no context
	KindSQL                    // a database/sql call without a context
	KindExec                   // running a command made by exec.Command
	KindSleep                  // time.Sleep or a receive from a timer
	KindWait                   // sync.WaitGroup.Wait or sync.Cond.Wait
	KindChan                   // a channel send or receive outside a bounded select
	KindSelect                 // a select with no default, ctx.Done() or timer case
	KindConn                   // Read or Write on a connection with no deadline
)

// Cure returns what to do about an operation of kind k, as a clause that
// completes "...: ".
func (k Kind) Cure() string {
	switch k {
	case KindHTTP:
		return "use http.NewRequestWithContext with the request's or loop's context, or a client with a Timeout"
	case KindDial:
		return "use a net.Dialer's DialContext with a context, or net.DialTimeout"
	case KindSQL:
		return "use the ...Context variant with a context"
	case KindExec:
		return "use exec.CommandContext with a context"
	case KindSleep:
		return "wait in a select with a timer case and ctx.Done(), or move the work to a worker goroutine"
	case KindWait:
		return "wait in a select on a done channel and ctx.Done(), or move the wait to a worker goroutine"
	case KindChan:
		return "use a select with a ctx.Done() or default case"
	case KindSelect:
		return "add a ctx.Done(), timer or default case"
	case KindConn:
		return "set a deadline with SetDeadline first"
	}
	return "bound it with a context or a timeout"
}

// Propagates reports whether an operation of kind k makes its function
// block for the callers' purposes, so that facts carry it. Reads and
// writes on connections are left out: a function that reads a connection
// is usually the connection's own goroutine (a hijacked or upgraded HTTP
// connection, a per-connection reader), not an event loop's helper.
func (k Kind) Propagates() bool { return k != KindConn }

// Transitive reports whether a function that calls a function blocking
// in an operation of kind k blocks too, for the facts: true for I/O with
// no deadline, false for sleeps and synchronisation (channels, selects,
// Wait). Whether a channel operation or a Wait is bounded depends on a
// protocol that the function doing it knows (a join after close, a
// semaphore, a buffered queue), and a sleep deep in a helper is usually
// a short bounded back-off on a rare path; followed through libraries
// they mark nearly every function of a large program (nats-server: 191
// findings under a lock from one s2.Writer.Reset). So a function that
// sleeps or synchronises gets a fact, but its callers do not inherit it.
func (k Kind) Transitive() bool {
	switch k {
	case KindHTTP, KindDial, KindSQL, KindExec:
		return true
	}
	return false
}

// A condition says when a call in the table blocks without bound.
type condition uint8

const (
	always          condition = iota
	noClientTimeout           // the receiver is http.DefaultClient or a literal client with no Timeout
	noRequestCtx              // as noClientTimeout, and the request is made by http.NewRequest here
	fromCommand               // the *exec.Cmd is made by exec.Command here
	noDeadline                // no Set*Deadline call in the same function
	streamNetwork             // the network argument is not a constant datagram or local network
	notAfterStop              // no stop signal before, and not a join of quiet goroutines (see join.go)
)

// An Entry describes one blocking standard-library function or method.
type Entry struct {
	Func string // types.Func.FullName of the callee
	Name string // the name messages show
	Kind Kind
	// Twin is the name of the context-aware variant that takes a
	// context.Context first ("QueryContext"); TwinArgs are arguments it
	// needs after the original ones ("nil" for BeginTx). Both come from
	// knowledge.ContextTwin.
	Twin     string
	TwinArgs string
	cond     condition
}

// table lists the standard-library calls that can block without bound.
var table = indexEntries([]Entry{
	{Func: "net/http.Get", Name: "http.Get", Kind: KindHTTP},
	{Func: "net/http.Post", Name: "http.Post", Kind: KindHTTP},
	{Func: "net/http.Head", Name: "http.Head", Kind: KindHTTP},
	{Func: "net/http.PostForm", Name: "http.PostForm", Kind: KindHTTP},
	{Func: "(*net/http.Client).Get", Name: "http.Client.Get", Kind: KindHTTP, cond: noClientTimeout},
	{Func: "(*net/http.Client).Post", Name: "http.Client.Post", Kind: KindHTTP, cond: noClientTimeout},
	{Func: "(*net/http.Client).Head", Name: "http.Client.Head", Kind: KindHTTP, cond: noClientTimeout},
	{Func: "(*net/http.Client).PostForm", Name: "http.Client.PostForm", Kind: KindHTTP, cond: noClientTimeout},
	{Func: "(*net/http.Client).Do", Name: "http.Client.Do", Kind: KindHTTP, cond: noRequestCtx},

	// Dialing a datagram or local socket does not wait for a peer
	// (caddy's sd_notify dials a unixgram socket), so net.DialUnix is
	// not listed and net.Dial counts only for stream networks.
	{Func: "net.Dial", Name: "net.Dial", Kind: KindDial, cond: streamNetwork},
	{Func: "net.DialTCP", Name: "net.DialTCP", Kind: KindDial},

	{Func: "(*database/sql.DB).Query", Name: "sql.DB.Query", Kind: KindSQL},
	{Func: "(*database/sql.DB).QueryRow", Name: "sql.DB.QueryRow", Kind: KindSQL},
	{Func: "(*database/sql.DB).Exec", Name: "sql.DB.Exec", Kind: KindSQL},
	{Func: "(*database/sql.DB).Prepare", Name: "sql.DB.Prepare", Kind: KindSQL},
	{Func: "(*database/sql.DB).Ping", Name: "sql.DB.Ping", Kind: KindSQL},
	{Func: "(*database/sql.DB).Begin", Name: "sql.DB.Begin", Kind: KindSQL},
	{Func: "(*database/sql.Tx).Query", Name: "sql.Tx.Query", Kind: KindSQL},
	{Func: "(*database/sql.Tx).QueryRow", Name: "sql.Tx.QueryRow", Kind: KindSQL},
	{Func: "(*database/sql.Tx).Exec", Name: "sql.Tx.Exec", Kind: KindSQL},
	{Func: "(*database/sql.Tx).Prepare", Name: "sql.Tx.Prepare", Kind: KindSQL},
	{Func: "(*database/sql.Stmt).Query", Name: "sql.Stmt.Query", Kind: KindSQL},
	{Func: "(*database/sql.Stmt).QueryRow", Name: "sql.Stmt.QueryRow", Kind: KindSQL},
	{Func: "(*database/sql.Stmt).Exec", Name: "sql.Stmt.Exec", Kind: KindSQL},

	{Func: "(*os/exec.Cmd).Run", Name: "exec.Cmd.Run", Kind: KindExec, cond: fromCommand},
	{Func: "(*os/exec.Cmd).Output", Name: "exec.Cmd.Output", Kind: KindExec, cond: fromCommand},
	{Func: "(*os/exec.Cmd).CombinedOutput", Name: "exec.Cmd.CombinedOutput", Kind: KindExec, cond: fromCommand},
	{Func: "(*os/exec.Cmd).Wait", Name: "exec.Cmd.Wait", Kind: KindExec, cond: fromCommand},

	{Func: "time.Sleep", Name: "time.Sleep", Kind: KindSleep},
	// A Wait after close(quit) or cancel() joins goroutines that have
	// been told to stop (amqp091-go's consumers.close); one for
	// goroutines started on the spot that do not block joins them
	// (river's startstop.StopAllParallel). See join.go.
	{Func: "(*sync.WaitGroup).Wait", Name: "sync.WaitGroup.Wait", Kind: KindWait, cond: notAfterStop},
	{Func: "(*sync.Cond).Wait", Name: "sync.Cond.Wait", Kind: KindWait},

	{Func: "(net.Conn).Read", Name: "net.Conn.Read", Kind: KindConn, cond: noDeadline},
	{Func: "(net.Conn).Write", Name: "net.Conn.Write", Kind: KindConn, cond: noDeadline},
	{Func: "(*net.TCPConn).Read", Name: "net.TCPConn.Read", Kind: KindConn, cond: noDeadline},
	{Func: "(*net.TCPConn).Write", Name: "net.TCPConn.Write", Kind: KindConn, cond: noDeadline},
	{Func: "(*net.UnixConn).Read", Name: "net.UnixConn.Read", Kind: KindConn, cond: noDeadline},
	{Func: "(*net.UnixConn).Write", Name: "net.UnixConn.Write", Kind: KindConn, cond: noDeadline},
	{Func: "(*crypto/tls.Conn).Read", Name: "tls.Conn.Read", Kind: KindConn, cond: noDeadline},
	{Func: "(*crypto/tls.Conn).Write", Name: "tls.Conn.Write", Kind: KindConn, cond: noDeadline},
})

func indexEntries(entries []Entry) map[string]*Entry {
	m := make(map[string]*Entry, len(entries))
	for i := range entries {
		if twin, ok := knowledge.ContextTwin(entries[i].Func); ok {
			entries[i].Twin, entries[i].TwinArgs = twin.Name, twin.Args
		}
		m[entries[i].Func] = &entries[i]
	}
	return m
}

// Lookup returns the table entry of the named function (in
// types.Func.FullName form), if the table lists it. The entry says the
// function can block; whether a given call does depends on its receiver
// and arguments (see Result.Call).
func Lookup(fullName string) (*Entry, bool) {
	e, ok := table[fullName]
	return e, ok
}
