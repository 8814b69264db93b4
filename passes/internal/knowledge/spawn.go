package knowledge

// spawners lists the functions that run one of their arguments, a
// function, on a goroutine of their own, with the index of that argument
// (a method's receiver not counted).
var spawners = map[string]int{
	"context.AfterFunc":                         1,
	"time.AfterFunc":                            1,
	"(*sync.WaitGroup).Go":                      0,
	"(*golang.org/x/sync/errgroup.Group).Go":    0,
	"(*golang.org/x/sync/errgroup.Group).TryGo": 0,
}

// SpawnedArg returns the index of the argument that the function named
// fullName (types.Func.FullName form, unvendored) runs on a goroutine of
// its own.
func SpawnedArg(fullName string) (int, bool) {
	i, ok := spawners[fullName]
	return i, ok
}
