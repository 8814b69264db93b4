// Package lib releases resources on behalf of its callers; its facts
// tell the unclosed check so in the packages that import it.
package lib

import (
	"bytes"
	"database/sql"
	"io"
	"net/http"
)

// Drain reads what is left of the body and closes it.
func Drain(resp *http.Response) { // want Drain:`closes\(0\)`
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// CloseRows closes through another function.
func CloseRows(label string, rows *sql.Rows) { // want CloseRows:`closes\(1\)`
	closeIt(rows)
}

func closeIt(c io.Closer) { // want closeIt:`closes\(0\)`
	c.Close()
}

// Status only reads the response: no fact.
func Status(resp *http.Response) int {
	return resp.StatusCode
}

type Client struct{ last *http.Response }

// Keep stores the response: the client owns it.
func (c *Client) Keep(resp *http.Response) { // want Keep:`closes\(0\)`
	c.last = resp
}

// Count reads the rows to the end, which closes them.
func Count(rows *sql.Rows) int { // want Count:`closes\(0\)`
	n := 0
	for rows.Next() {
		n++
	}
	return n
}

// Execute reads an error response's body into memory and closes the
// connection, as github.com/minio/minio-go's executeMethod does.
func Execute(c *http.Client, req *http.Request) (*http.Response, error) { // want Execute:`keeps\(0\)`
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode == http.StatusOK {
		return res, nil
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res, err
}

// StmtCache keeps the statements it prepares, as
// github.com/Masterminds/squirrel's StmtCache does.
type StmtCache struct {
	db    *sql.DB
	cache map[string]*sql.Stmt
}

// Prepare returns a cached statement: the cache owns it.
func (sc *StmtCache) Prepare(query string) (*sql.Stmt, error) { // want Prepare:`keeps\(0\)`
	stmt, ok := sc.cache[query]
	if ok {
		return stmt, nil
	}
	stmt, err := sc.db.Prepare(query)
	if err == nil {
		sc.cache[query] = stmt
	}
	return stmt, err
}
