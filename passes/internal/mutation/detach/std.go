package detach

// stdObserves lists the standard-library functions that observe the
// cancellation of the context they are given, in types.Func.FullName
// form. Every other std function does not: context.WithTimeout and the
// like derive a context (the walker follows it), log/slog's *Context
// methods only log, and runtime/trace only labels.
var stdObserves = map[string]bool{
	"context.AfterFunc": true,
	"context.Cause":     true,

	"(*database/sql.DB).BeginTx":           true,
	"(*database/sql.DB).Conn":              true,
	"(*database/sql.DB).ExecContext":       true,
	"(*database/sql.DB).PingContext":       true,
	"(*database/sql.DB).PrepareContext":    true,
	"(*database/sql.DB).QueryContext":      true,
	"(*database/sql.DB).QueryRowContext":   true,
	"(*database/sql.Conn).BeginTx":         true,
	"(*database/sql.Conn).ExecContext":     true,
	"(*database/sql.Conn).PingContext":     true,
	"(*database/sql.Conn).PrepareContext":  true,
	"(*database/sql.Conn).QueryContext":    true,
	"(*database/sql.Conn).QueryRowContext": true,
	"(*database/sql.Tx).ExecContext":       true,
	"(*database/sql.Tx).PrepareContext":    true,
	"(*database/sql.Tx).QueryContext":      true,
	"(*database/sql.Tx).QueryRowContext":   true,
	"(*database/sql.Tx).StmtContext":       true,
	"(*database/sql.Stmt).ExecContext":     true,
	"(*database/sql.Stmt).QueryContext":    true,
	"(*database/sql.Stmt).QueryRowContext": true,

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
