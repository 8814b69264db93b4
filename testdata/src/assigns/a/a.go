package a

func f() (int, error) { return 0, nil }

func g() {
	ch := make(chan int, 1)        // want `ch = make\(chan int, 1\)` `assigned to ch`
	var done = make(chan struct{}) // want `done = make\(chan struct{}\)` `assigned to done`
	n, err := f()                  // want `assigned to n`
	_, _, _, _ = ch, done, n, err
	println(len(ch)) // ok: not assigned
}
