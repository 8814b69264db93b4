package fanin

import "errors"

func work(string) error { return nil }

// closedFirst fills and closes the queue before the workers start: their
// range ends at once, whatever path the parent takes.
func closedFirst(dirs []string) error { // ok
	todo := make(chan string, len(dirs))
	result := make(chan error, len(dirs))
	for _, d := range dirs {
		todo <- d
	}
	close(todo)
	for i := 0; i < 2; i++ {
		go func() {
			for d := range todo {
				result <- work(d)
			}
		}()
	}
	for range dirs {
		if err := <-result; err != nil {
			return err
		}
	}
	return nil
}

// closedLater closes only on the success path, after the workers start.
func closedLater(dirs []string, fail bool) error {
	todo := make(chan string)
	go func() {
		for d := range todo { // want `goroutine receives from todo until it is closed, but closedLater can return without closing it`
			_ = work(d)
		}
	}()
	if fail {
		return errors.New("fail")
	}
	for _, d := range dirs {
		todo <- d
	}
	close(todo)
	return nil
}
