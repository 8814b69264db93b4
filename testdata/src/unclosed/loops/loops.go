package loops

import (
	"database/sql"
	"net/http"
)

// Only the first row is read: the rows stay open until the return.
func deferInLoop(db *sql.DB, queries []string) error {
	for _, q := range queries {
		rows, err := db.Query(q)
		if err != nil {
			return err
		}
		defer rows.Close() // want `defer rows.Close\(\) in a loop runs only when the function returns, keeping every iteration's rows open until then`
		if rows.Next() {
		}
	}
	return nil
}

func deferBodyInLoop(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
	}
}

// ok: the loop returns right after the defer: it runs once.
func retry(urls []string) (*http.Response, error) {
	var last error
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			last = err
			continue
		}
		defer resp.Body.Close()
		return nil, nil
	}
	return nil, last
}

// ok: the defer is in a function literal called per iteration.
func perIteration(db *sql.DB, queries []string) {
	for _, q := range queries {
		func() {
			rows, err := db.Query(q)
			if err != nil {
				return
			}
			defer rows.Close()
		}()
	}
}

func handler(w http.ResponseWriter, r *http.Request) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 10}} // want `new http.Transport in an HTTP handler: every call gets its own connection pool`
	resp, err := client.Get("http://backend/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

func fanOut(reqs []*http.Request) {
	for _, req := range reqs {
		tr := &http.Transport{} // want `new http.Transport in a loop`
		resp, err := tr.RoundTrip(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
	}
}

// ok: the loop sends one request: every path after the Transport leaves it.
func toLeader(reqs []*http.Request, leader func(*http.Request) bool) {
	for _, req := range reqs {
		if !leader(req) {
			continue
		}
		client := &http.Client{Transport: &http.Transport{}}
		resp, err := client.Do(req)
		if err != nil {
			return
		}
		resp.Body.Close()
		break
	}
}

// A loop that leaves only on some paths makes a Transport per turn.
func untilLeader(reqs []*http.Request) {
	for _, req := range reqs {
		client := &http.Client{Transport: &http.Transport{}} // want `new http.Transport in a loop`
		resp, err := client.Do(req)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
	}
}

var shared = &http.Client{Transport: &http.Transport{}} // ok: built once

// ok: one client per backend, built once at start-up and kept.
func clients(backends []string) map[string]*http.Client {
	m := make(map[string]*http.Client)
	for _, b := range backends {
		m[b] = &http.Client{Transport: &http.Transport{}}
	}
	return m
}

// ok: the pool is closed when the handler is done with it.
func closedPool(w http.ResponseWriter, r *http.Request) {
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	resp, err := c.Get("http://backend/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

// ok: a handler that uses the shared client.
func sharedHandler(w http.ResponseWriter, r *http.Request) {
	resp, err := shared.Get("http://backend/")
	if err != nil {
		return
	}
	resp.Body.Close()
}

func cloned(w http.ResponseWriter, r *http.Request) {
	tr := http.DefaultTransport.(*http.Transport).Clone() // want `new http.Transport in an HTTP handler`
	tr.DisableCompression = true
	c := &http.Client{Transport: tr}
	resp, err := c.Do(r)
	if err != nil {
		return
	}
	resp.Body.Close()
}
