// Package pool has a resource that asynclint knows only through the
// -unclosed.resources option.
package pool

import "errors"

type Pool struct{}

type Lease struct{ n int }

func (p *Pool) Acquire() (*Lease, error) { return &Lease{}, nil }
func (l *Lease) Release()                {}

// Use leaks the lease when !ok.
func Use(p *Pool, ok bool) error {
	l, err := p.Acquire()
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("not ok")
	}
	l.Release()
	return nil
}
