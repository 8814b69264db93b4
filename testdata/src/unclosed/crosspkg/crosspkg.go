package crosspkg

import (
	"database/sql"
	"errors"
	"net/http"

	"unclosed/lib"
)

// ok: lib.Drain closes the body (fact from another package).
func drained(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	lib.Drain(resp)
	return nil
}

// ok: lib.CloseRows closes its second argument.
func rows(db *sql.DB) error {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return err
	}
	lib.CloseRows("q", rows)
	return nil
}

// ok: the client keeps it.
func kept(c *lib.Client, url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	c.Keep(resp)
	return nil
}

// lib.Status does not close: still a leak.
func status(url string) int {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return 0
	}
	return lib.Status(resp)
}

// ok: lib.Count reads the rows to the end (sqlx's own tests do this).
func counted(db *sql.DB) int {
	rows, err := db.Query("SELECT 1")
	if err != nil {
		return 0
	}
	return lib.Count(rows)
}

// ok: lib.Execute has read a bad response's body into memory
// (github.com/minio/minio-go's executeMethod).
func rebodied(c *http.Client, req *http.Request) error {
	resp, err := lib.Execute(c, req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return errors.New(resp.Status)
	}
	return resp.Body.Close()
}

// ok: the cache owns the statement (github.com/Masterminds/squirrel).
func cached(sc *lib.StmtCache) error {
	stmt, err := sc.Prepare("SELECT 1")
	if err != nil {
		return err
	}
	_, err = stmt.Exec()
	return err
}
