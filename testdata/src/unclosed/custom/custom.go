// Package custom has a resource configured with -resources.
package custom

import "errors"

type Pool struct{}

type Lease struct{ n int }

func (p *Pool) Acquire() (*Lease, error) { return &Lease{}, nil }
func (l *Lease) Release()                {}

func leak(p *Pool, ok bool) error {
	l, err := p.Acquire() // want `Lease from p.Acquire is not released when !ok: what it holds stays taken; add defer l.Release\(\) after the error check`
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("not ok")
	}
	l.Release()
	return nil
}

// ok: released by the deferred call.
func fine(p *Pool) error {
	l, err := p.Acquire()
	if err != nil {
		return err
	}
	defer l.Release()
	return nil
}
