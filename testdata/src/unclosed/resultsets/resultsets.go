// Package resultsets holds rows read through NextResultSet, which closes
// the rows when it returns false (no further result set, or an error),
// as Next does at the end of the last one.
package resultsets

import "database/sql"

// ok: NextResultSet's false closes the rows; the second set is read to
// its end.
func secondSet(db *sql.DB) ([]int, error) {
	rows, err := db.Query("CALL two_sets()")
	if err != nil {
		return nil, err
	}
	if !rows.NextResultSet() {
		return nil, rows.Err()
	}
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ok: every set drained in turn.
func everySet(db *sql.DB) (int, error) {
	rows, err := db.Query("CALL many_sets()")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.NextResultSet() {
		for rows.Next() {
			n++
		}
	}
	return n, rows.Err()
}

// NextResultSet's true leaves the rows open: reading one row of the
// next set and returning leaks them.
func firstRowOfSecond(db *sql.DB) (int, error) {
	rows, err := db.Query("CALL two_sets()") // want `rows from db.Query is not closed on the path to this return`
	if err != nil {
		return 0, err
	}
	if !rows.NextResultSet() {
		return 0, rows.Err()
	}
	var n int
	if rows.Next() {
		err = rows.Scan(&n)
	}
	return n, err
}

// Returning as soon as there is a next set leaks the rows.
func hasSecond(db *sql.DB) (bool, error) {
	rows, err := db.Query("CALL two_sets()") // want `rows from db.Query is not closed when rows.NextResultSet\(\)`
	if err != nil {
		return false, err
	}
	if rows.NextResultSet() {
		return true, nil
	}
	return false, rows.Err()
}
