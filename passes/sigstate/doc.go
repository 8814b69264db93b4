// Package sigstate defines an Analyzer that reports signal handlers
// whose effect never reaches the state the workers read.
//
// # Analyzer sigstate
//
// sigstate: signal handling should reach the goroutines that must stop
//
// See Doc for the full text; asynclint -explain sigstate prints it.
package sigstate

import "github.com/asynclint/asynclint/passes/internal/lintdoc"

// Doc is sigstate's documentation, shown by -explain, SARIF and editors.
var Doc = &lintdoc.Doc{
	Title: "Signal handling should reach the goroutines that must stop",
	Text: `A SIGTERM handler is how a service learns that it must shut down: stop
accepting work, finish what is in flight, close its pools. A handler whose
effect never reaches the goroutines that do the work leaves the process
running until it is killed, losing the in-flight work it meant to save.

sigstate reports signal handling that cannot work:

- signal.Notify with an unbuffered channel: the signal package does not
  block when it delivers a signal, so a signal that arrives while nobody
  is receiving is dropped. Give the channel capacity 1 (go vet's
  sigchanyzer and staticcheck's SA1017 report this too; asynclint reports
  it so that it alone is complete).

- signal.Notify with os.Kill or syscall.SIGKILL/SIGSTOP: these signals
  cannot be caught, so the registration has no effect (staticcheck's
  SA1016 reports this too).`,
	Before: `sigs := make(chan os.Signal)
signal.Notify(sigs, os.Interrupt, os.Kill)`,
	After: `sigs := make(chan os.Signal, 1)
signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)`,
	Since:    "v0.1.0",
	Severity: lintdoc.SeverityWarning,
}
