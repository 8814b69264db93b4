package knowledge

import (
	"go/types"
	"strings"
)

// An End says what a call that never returns ends.
type End int

const (
	// Returns: the call returns (or nothing is known).
	Returns End = iota
	// EndsGoroutine: runtime.Goexit and what calls it (t.FailNow,
	// t.Fatal, t.SkipNow): the goroutine's deferred calls run, then it
	// ends.
	EndsGoroutine
	// Panics: log.Panic: the deferred calls run while the panic unwinds,
	// then the process ends unless something recovers.
	Panics
	// EndsProcess: os.Exit, log.Fatal: the process ends at once, and no
	// deferred call runs.
	EndsProcess
)

// ends lists the standard-library functions that never return. Checks
// consult it besides ctrlflow's facts, which drivers that skip the
// standard library do not give.
var ends = map[string]End{
	"os.Exit": EndsProcess, "syscall.Exit": EndsProcess, "runtime.Goexit": EndsGoroutine,
	"log.Fatal": EndsProcess, "log.Fatalf": EndsProcess, "log.Fatalln": EndsProcess,
	"log.Panic": Panics, "log.Panicf": Panics, "log.Panicln": Panics,
	"(*log.Logger).Fatal": EndsProcess, "(*log.Logger).Fatalf": EndsProcess, "(*log.Logger).Fatalln": EndsProcess,
	"(*log.Logger).Panic": Panics, "(*log.Logger).Panicf": Panics, "(*log.Logger).Panicln": Panics,
	"(*testing.common).FailNow": EndsGoroutine, "(*testing.common).Fatal": EndsGoroutine, "(*testing.common).Fatalf": EndsGoroutine,
	"(*testing.common).SkipNow": EndsGoroutine, "(*testing.common).Skip": EndsGoroutine, "(*testing.common).Skipf": EndsGoroutine,
}

// NoReturn reports whether the standard-library function named fullName
// (types.Func.FullName form) never returns.
func NoReturn(fullName string) bool { return ends[fullName] != Returns }

// conventionalEnds are the names that, on a function or method that
// returns nothing, mean "does not return" by a convention every test
// helper library and logger follows: testing's T, B and F, testify's
// require and suite, gocheck's C, logrus and zap loggers (zap's sugared
// Fatalw). zerolog's Fatal returns an event and is not one.
var conventionalEnds = map[string]bool{
	"Fatal": true, "Fatalf": true, "Fatalln": true, "Fatalw": true, "FailNow": true,
	"Skip": true, "Skipf": true, "SkipNow": true,
}

// EndOf says what a call of fn ends: a function of the table above
// (also vendored), or, by convention, a function or method that returns
// nothing named like one that does not return. subject is the type of
// the call's receiver or first argument (t in require.FailNow(t, ...)),
// or nil: FailNow, or any of the names on a subject that can FailNow,
// ends the goroutine; a logger's Fatal ends the process; a Skip on
// anything else, a parser say, returns.
func EndOf(fn *types.Func, subject types.Type) End {
	if e, ok := ends[Unvendor(fn.Origin().FullName())]; ok {
		return e
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || !conventionalEnds[fn.Name()] || sig.Results().Len() != 0 {
		return Returns
	}
	switch {
	case fn.Name() == "FailNow", subject != nil && hasMethod(subject, "FailNow"):
		return EndsGoroutine // t.Fatal, t.Skip, require.FailNow(t, ...), suite.FailNow
	case strings.HasPrefix(fn.Name(), "Fatal"):
		return EndsProcess // a logger's Fatal
	}
	return Returns // a parser's or an iterator's Skip
}

// hasMethod reports whether t (or *t) has the exported method name.
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// Unvendor removes a vendor directory from a full function name or a
// package path: "(*a/vendor/log.Logger).Fatal" is "(*log.Logger).Fatal".
func Unvendor(name string) string {
	if i := strings.LastIndex(name, "/vendor/"); i >= 0 {
		start := strings.LastIndexAny(name[:i], "(*") + 1
		return name[:start] + name[i+len("/vendor/"):]
	}
	return name
}
