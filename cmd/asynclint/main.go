// Command asynclint reports the concurrency pitfalls of network services:
// blocking the event loop, leaked responses and connections, goroutines
// nobody joins, updates split by a cancellation point, and signal
// handlers whose effect never reaches the workers.
//
// Usage:
//
//	asynclint [flags] [packages]
//	go vet -vettool=$(which asynclint) [packages]
//
// Run asynclint -help for the flags; README.md has the rest.
package main

import (
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/asynclint/asynclint/passes"
)

// Exit statuses, documented in README.md.
const (
	exitClean         = 0 // no findings
	exitFindings      = 1 // findings were reported
	exitUsage         = 2 // bad flags or arguments
	exitLoadError     = 3 // some packages could not be loaded or type-checked
	exitInternalError = 4 // a check crashed on some package; other results were printed
)

func main() {
	if isVetProtocol(os.Args[1:]) {
		// The go command runs us as a vet tool: speak its protocol,
		// as multichecker does, before any flag of our own is parsed.
		unitchecker.Main(passes.Analyzers()...)
		return // not reached
	}
	os.Exit(runCommand(os.Args[1:], os.Stdout, os.Stderr))
}

// isVetProtocol reports whether the arguments are those the go command
// passes to a -vettool: "-V=full", "-flags", or a unit's *.cfg file last.
func isVetProtocol(args []string) bool {
	for _, a := range args {
		if a == "-V=full" || a == "-flags" || a == "--V=full" || a == "--flags" {
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}
