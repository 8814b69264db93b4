package knowledge

// noReturn lists the standard-library calls that do not return: the
// process or the goroutine ends. Checks consult it besides ctrlflow's
// facts, which drivers that skip the standard library do not give.
var noReturn = map[string]bool{
	"os.Exit": true, "runtime.Goexit": true,
	"log.Fatal": true, "log.Fatalf": true, "log.Fatalln": true,
	"log.Panic": true, "log.Panicf": true, "log.Panicln": true,
	"(*log.Logger).Fatal": true, "(*log.Logger).Fatalf": true, "(*log.Logger).Fatalln": true,
	"(*testing.common).FailNow": true, "(*testing.common).Fatal": true, "(*testing.common).Fatalf": true,
	"(*testing.common).SkipNow": true, "(*testing.common).Skip": true, "(*testing.common).Skipf": true,
}

// NoReturn reports whether the standard-library function named fullName
// (types.Func.FullName form) never returns.
func NoReturn(fullName string) bool { return noReturn[fullName] }
