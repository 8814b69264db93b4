package memory

import (
	"context"
	"errors"
	"sync"
)

type User struct{ ID, Name string }

type Registry struct {
	mu     sync.Mutex
	byID   map[string]*User
	byName map[string]*User
	count  int
	state  string
}

func (r *Registry) persist(ctx context.Context, u *User) error { return ctx.Err() }
func (r *Registry) undo(id string)                             { delete(r.byID, id) }

// add indexes by ID, then gives up on cancellation before the name index.
func (r *Registry) add(ctx context.Context, u *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[u.ID] = u
	if err := ctx.Err(); err != nil { // want `return on ctx.Err\(\) leaves r.byID updated but not r.byName: the in-memory update is half applied`
		return err
	}
	r.byName[u.Name] = u
	r.count++
	return nil
}

// save returns on the error of a cancellable call between the two writes.
func (r *Registry) save(ctx context.Context, u *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[u.ID] = u
	if err := r.persist(ctx, u); err != nil { // want `return on the error of r.persist leaves r.byID updated but not r.count`
		return err
	}
	r.count++
	return nil
}

// wait returns on <-ctx.Done() with the state flag set but the counter not.
func (r *Registry) wait(ctx context.Context, ch chan *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = "waiting"
	select {
	case <-ctx.Done(): // want `return on <-ctx.Done\(\) leaves r.state updated but not r.count`
		return ctx.Err()
	case u := <-ch:
		r.byID[u.ID] = u
	}
	r.count++
	return nil
}

// ok: the cancellation check comes before the first write.
func (r *Registry) checkFirst(ctx context.Context, u *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	r.byID[u.ID] = u
	r.byName[u.Name] = u
	return nil
}

// ok: the early return undoes the first write.
func (r *Registry) undone(ctx context.Context, u *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[u.ID] = u
	if err := ctx.Err(); err != nil {
		delete(r.byID, u.ID)
		return err
	}
	r.byName[u.Name] = u
	return nil
}

// ok: the early return calls a method of the registry that restores it.
func (r *Registry) undoneByMethod(ctx context.Context, u *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[u.ID] = u
	if err := ctx.Err(); err != nil {
		r.undo(u.ID)
		return err
	}
	r.byName[u.Name] = u
	return nil
}

// ok: a deferred restore runs on every early path.
func (r *Registry) deferredRestore(ctx context.Context, u *User) (err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[u.ID] = u
	defer func() {
		if err != nil {
			delete(r.byID, u.ID)
		}
	}()
	if err := ctx.Err(); err != nil {
		return err
	}
	r.byName[u.Name] = u
	return nil
}

// No lock, but the type keeps byID and byName in step (its other
// methods write both): the return leaves them apart.
func (r *Registry) unlocked(ctx context.Context, u *User) error {
	r.byID[u.ID] = u
	if err := ctx.Err(); err != nil { // want `return on ctx.Err\(\) leaves r.byID updated but not r.byName`
		return err
	}
	r.byName[u.Name] = u
	return nil
}

// ok: the write after the return is to the same field, not a second one.
func (r *Registry) sameField(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.count++
	if err := ctx.Err(); err != nil {
		return err
	}
	r.count++
	return nil
}

// ok: the return is on a plain error, not a cancellation point.
func (r *Registry) plainError(u *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[u.ID] = u
	if u.Name == "" {
		return errors.New("no name")
	}
	r.byName[u.Name] = u
	return nil
}

// ok: the writes go to a local value nobody else sees.
func (r *Registry) local(ctx context.Context) (*Registry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n Registry
	n.count = 1
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n.state = "new"
	return &n, nil
}

// relock releases the lock with only the ID index updated, persists,
// then finishes the update under a second lock.
func (r *Registry) relock(ctx context.Context, u *User) error {
	r.mu.Lock()
	r.byID[u.ID] = u
	r.mu.Unlock()
	if err := r.persist(ctx, u); err != nil { // want `return on the error of r.persist leaves r.byID updated but not r.byName`
		return err
	}
	r.mu.Lock()
	r.byName[u.Name] = u
	r.mu.Unlock()
	return nil
}

// ok: the persisted call's context is detached: not a cancellation point.
func (r *Registry) detached(ctx context.Context, u *User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[u.ID] = u
	if err := r.persist(context.WithoutCancel(ctx), u); err != nil {
		return err
	}
	r.byName[u.Name] = u
	return nil
}

type Job struct {
	label   string
	retries int
	state   string
}

// ok: no lock, and nothing else writes label and retries together: no
// invariant ties them.
func (j *Job) configure(ctx context.Context, label string) error {
	j.label = label
	if err := ctx.Err(); err != nil {
		return err
	}
	j.retries = 3
	return nil
}

// A state flipped and flipped back stays transient on the early return.
func (j *Job) run(ctx context.Context, work func(context.Context) error) error {
	j.state = "running"
	if err := work(ctx); errors.Is(err, context.Canceled) { // want `return on the error of work leaves j.state = "running", which it sets back to "idle" only after`
		return err
	}
	j.state = "idle"
	return nil
}

// ok: the state is set back by a defer on every path.
func (j *Job) runDeferred(ctx context.Context, work func(context.Context) error) error {
	j.state = "running"
	defer func() { j.state = "idle" }()
	return work(ctx)
}

// ok: the two writes set the same value (a redo), not a flip.
func (j *Job) touch(ctx context.Context) error {
	j.state = "seen"
	if err := ctx.Err(); err != nil {
		return err
	}
	j.state = "seen"
	return nil
}
