// Package redismock is a false positive found in
// github.com/redis/go-redis/v9@v9.14.0 (redis_test.go,
// mockStreamingProvider): the channel field is filled and sent on only
// inside a function literal of a package-level variable initializer
// (a ginkgo Describe block), which is not among buildssa's SrcFuncs.
package redismock

type Credentials struct{ User string }

type provider struct {
	updates chan Credentials
}

func (p *provider) Subscribe(onNext func(Credentials)) {
	go func() { // ok: the Describe block below sends on and closes updates
		for c := range p.updates {
			onNext(c)
		}
	}()
}

func describe(name string, body func()) bool { body(); return true }

var _ = describe("streaming credentials", func() {
	updates := make(chan Credentials, 1)
	p := &provider{updates: updates}
	p.Subscribe(func(Credentials) {})
	p.updates <- Credentials{User: "updated"}
	close(updates)
})

// silentProvider's field is made but never sent on or closed anywhere.
type silentProvider struct {
	updates chan Credentials
}

func (p *silentProvider) Subscribe(onNext func(Credentials)) {
	go func() { // want `goroutine started by \(\*silentProvider\).Subscribe can only stop on the silentProvider field updates, which nothing in the package closes or sends on`
		for c := range p.updates {
			onNext(c)
		}
	}()
}

var _ = describe("silent", func() {
	p := &silentProvider{updates: make(chan Credentials, 1)}
	p.Subscribe(func(Credentials) {})
})
