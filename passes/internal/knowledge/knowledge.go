// Package knowledge is the one home of asynclint's knowledge of the
// standard library (and of the few golang.org/x packages that mirror
// it), as tables keyed by object or by full name, in the manner of
// staticcheck's knowledge package. Checks and helper analyzers ask here
// instead of keeping their own copies; facts extend these tables to user
// code (see passes/internal/doc.go for the layering).
//
// What it knows: the context-aware twins of blocking calls and the
// calls that observe a context (context.go), the calls that never return
// (noreturn.go) and the signals that cannot be trapped (here). The
// blocking calls themselves (blocking/table.go) and the resources to
// release (passes/internal/resources) are still kept beside the analyzers
// that interpret their conditions.
//
// Tables are keyed by object or full name, never by value: the numbers of signals,
// for one, differ between operating systems (SIGSTOP is 19 on Linux but
// 17 on Darwin and FreeBSD, where 19 is SIGCONT).
package knowledge

import (
	"go/types"
	"strings"
)

// uncatchableSignals maps the package-level objects that denote a signal
// no process can catch, block or ignore, by "importpath.Name", to the
// signal's name.
var uncatchableSignals = map[string]string{
	"os.Kill":                       "SIGKILL",
	"syscall.SIGKILL":               "SIGKILL",
	"syscall.SIGSTOP":               "SIGSTOP",
	"golang.org/x/sys/unix.SIGKILL": "SIGKILL",
	"golang.org/x/sys/unix.SIGSTOP": "SIGSTOP",
}

// UncatchableSignal reports whether obj is one of the package-level
// variables or constants that denote SIGKILL or SIGSTOP (os.Kill,
// syscall.SIGKILL, syscall.SIGSTOP, and x/sys/unix's), with the
// signal's name. It judges by object, so it holds on every GOOS.
func UncatchableSignal(obj types.Object) (name string, ok bool) {
	if obj == nil || obj.Pkg() == nil || obj.Parent() != obj.Pkg().Scope() {
		return "", false
	}
	name, ok = uncatchableSignals[obj.Pkg().Path()+"."+obj.Name()]
	return name, ok
}

// onlyFormats lists the standard-library functions that read their
// variadic arguments only to format them: a value passed to one is not
// taken over (it is neither closed nor kept).
var onlyFormats = map[string]bool{
	"fmt.Print": true, "fmt.Printf": true, "fmt.Println": true,
	"fmt.Sprint": true, "fmt.Sprintf": true, "fmt.Sprintln": true,
	"fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true,
	"fmt.Errorf": true, "fmt.Appendf": true,
	"log.Print": true, "log.Printf": true, "log.Println": true,
	"log.Fatal": true, "log.Fatalf": true, "log.Fatalln": true,
	"log.Panic": true, "log.Panicf": true, "log.Panicln": true,
	"(*log.Logger).Print": true, "(*log.Logger).Printf": true, "(*log.Logger).Println": true,
	"(*testing.common).Log": true, "(*testing.common).Logf": true,
	"(*testing.common).Error": true, "(*testing.common).Errorf": true,
	"(*testing.common).Fatal": true, "(*testing.common).Fatalf": true,
}

// OnlyFormats reports whether the standard-library function named
// fullName only formats its variadic arguments.
func OnlyFormats(fullName string) bool { return onlyFormats[fullName] }

// levelTriggered lists the client packages (import path prefixes) whose
// writes are declarative and whose callers converge by running again: a
// Kubernetes client writes the desired state of an object, and the
// controller that made the call reconciles it once more when it fails
// half way. A cancellation between two such writes is the idempotent
// retry of the design, not a half update.
var levelTriggered = []string{"sigs.k8s.io/controller-runtime/", "k8s.io/client-go/"}

// LevelTriggered reports whether the package at path is a client whose
// writes converge when retried (see levelTriggered).
func LevelTriggered(path string) bool {
	path = Unvendor(path)
	for _, p := range levelTriggered {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
