package knowledge

// A Twin is the context-aware variant of a standard-library call that
// can block without bound: it takes a context.Context first, and Args
// after the original arguments.
type Twin struct {
	Func string // its types.Func.FullName: "(*database/sql.DB).QueryContext"
	Name string // its name, as a fix writes it: "QueryContext"
	Args string // arguments it needs after the original ones: "nil" for BeginTx
}

// contextTwins maps blocking standard-library calls, by full name, to
// their context-aware twins. The twins observe the context they are
// given (ObservesContext).
var contextTwins = map[string]Twin{
	"(*database/sql.DB).Query":      {"(*database/sql.DB).QueryContext", "QueryContext", ""},
	"(*database/sql.DB).QueryRow":   {"(*database/sql.DB).QueryRowContext", "QueryRowContext", ""},
	"(*database/sql.DB).Exec":       {"(*database/sql.DB).ExecContext", "ExecContext", ""},
	"(*database/sql.DB).Prepare":    {"(*database/sql.DB).PrepareContext", "PrepareContext", ""},
	"(*database/sql.DB).Ping":       {"(*database/sql.DB).PingContext", "PingContext", ""},
	"(*database/sql.DB).Begin":      {"(*database/sql.DB).BeginTx", "BeginTx", "nil"},
	"(*database/sql.Tx).Query":      {"(*database/sql.Tx).QueryContext", "QueryContext", ""},
	"(*database/sql.Tx).QueryRow":   {"(*database/sql.Tx).QueryRowContext", "QueryRowContext", ""},
	"(*database/sql.Tx).Exec":       {"(*database/sql.Tx).ExecContext", "ExecContext", ""},
	"(*database/sql.Tx).Prepare":    {"(*database/sql.Tx).PrepareContext", "PrepareContext", ""},
	"(*database/sql.Stmt).Query":    {"(*database/sql.Stmt).QueryContext", "QueryContext", ""},
	"(*database/sql.Stmt).QueryRow": {"(*database/sql.Stmt).QueryRowContext", "QueryRowContext", ""},
	"(*database/sql.Stmt).Exec":     {"(*database/sql.Stmt).ExecContext", "ExecContext", ""},
}

// ContextTwin returns the context-aware twin of the standard-library
// function named fullName (types.Func.FullName form), if it has one.
func ContextTwin(fullName string) (Twin, bool) {
	t, ok := contextTwins[fullName]
	return t, ok
}

// observesContext lists, besides the twins of contextTwins, the
// standard-library functions that observe the cancellation of the
// context they are given, in types.Func.FullName form. Every other std
// function does not: context.WithTimeout and the like derive a context,
// log/slog's *Context methods only log, and runtime/trace only labels.
var observesContext = map[string]bool{
	"context.AfterFunc": true,
	"context.Cause":     true,

	"(*database/sql.DB).Conn":              true,
	"(*database/sql.Conn).BeginTx":         true,
	"(*database/sql.Conn).ExecContext":     true,
	"(*database/sql.Conn).PingContext":     true,
	"(*database/sql.Conn).PrepareContext":  true,
	"(*database/sql.Conn).QueryContext":    true,
	"(*database/sql.Conn).QueryRowContext": true,
	"(*database/sql.Tx).StmtContext":       true,

	"(*net.Dialer).DialContext":        true,
	"(*net.ListenConfig).Listen":       true,
	"(*net.ListenConfig).ListenPacket": true,
	"(*net.Resolver).LookupAddr":       true,
	"(*net.Resolver).LookupCNAME":      true,
	"(*net.Resolver).LookupHost":       true,
	"(*net.Resolver).LookupIP":         true,
	"(*net.Resolver).LookupIPAddr":     true,
	"(*net.Resolver).LookupMX":         true,
	"(*net.Resolver).LookupNS":         true,
	"(*net.Resolver).LookupNetIP":      true,
	"(*net.Resolver).LookupPort":       true,
	"(*net.Resolver).LookupSRV":        true,
	"(*net.Resolver).LookupTXT":        true,

	"net/http.NewRequestWithContext":  true,
	"(*net/http.Request).WithContext": true,
	"(*net/http.Request).Clone":       true,
	"(*net/http.Server).Shutdown":     true,

	"(*crypto/tls.Dialer).DialContext":    true,
	"(*crypto/tls.Conn).HandshakeContext": true,
	"(*crypto/tls.QUICConn).Start":        true,
	"os/exec.CommandContext":              true,
}

// twinFuncs is the set of the twins' full names.
var twinFuncs = func() map[string]bool {
	m := make(map[string]bool, len(contextTwins))
	for _, t := range contextTwins {
		m[t.Func] = true
	}
	return m
}()

// ObservesContext reports whether the standard-library function named
// fullName may fail or stop when the context passed to it is cancelled.
func ObservesContext(fullName string) bool {
	return observesContext[fullName] || twinFuncs[fullName]
}

// cancellers are the functions that return a context and the function
// that cancels it.
var cancellers = map[string]bool{
	"context.WithCancel": true, "context.WithCancelCause": true,
	"context.WithTimeout": true, "context.WithTimeoutCause": true,
	"context.WithDeadline": true, "context.WithDeadlineCause": true,
}

// ReturnsCancel reports whether the function named fullName returns a
// derived context and the function that cancels it.
func ReturnsCancel(fullName string) bool { return cancellers[fullName] }
