// Package pool holds the abandoned receives of worker pools: workers
// range over a job channel that is not closed on every path.
package pool

import "errors"

type Job struct{ ID int }

func handle(j Job) {}

func check(j Job) error {
	if j.ID < 0 {
		return errors.New("bad job")
	}
	return nil
}

// Process returns on a bad job before it closes the job channel, so its
// workers range forever.
func Process(jobs []Job) error {
	ch := make(chan Job)
	for i := 0; i < 4; i++ {
		go func() {
			for j := range ch { // want `goroutine receives from ch until it is closed, but Process can return without closing it: the goroutine blocks forever; close ch on every path`
				handle(j)
			}
		}()
	}
	for _, j := range jobs {
		if err := check(j); err != nil {
			return err
		}
		ch <- j
	}
	close(ch)
	return nil
}

// ProcessFixed closes the channel on every path.
func ProcessFixed(jobs []Job) error {
	ch := make(chan Job)
	defer close(ch)
	for i := 0; i < 4; i++ {
		go func() {
			for j := range ch { // ok: closed by the deferred close
				handle(j)
			}
		}()
	}
	for _, j := range jobs {
		if err := check(j); err != nil {
			return err
		}
		ch <- j
	}
	return nil
}

func worker(in <-chan Job) {
	for j := range in { // want `goroutine receives from in until it is closed, but Dispatch can return without closing it`
		handle(j)
	}
}

// Dispatch never closes the channel its named workers range over.
func Dispatch(jobs []Job) {
	in := make(chan Job)
	for i := 0; i < 2; i++ {
		go worker(in)
	}
	for _, j := range jobs {
		in <- j
	}
}

func worker2(in <-chan Job) {
	for j := range in { // ok: DispatchFixed closes in
		handle(j)
	}
}

// DispatchFixed closes it once every job is handed out.
func DispatchFixed(jobs []Job) {
	in := make(chan Job)
	for i := 0; i < 2; i++ {
		go worker2(in)
	}
	for _, j := range jobs {
		in <- j
	}
	close(in)
}
