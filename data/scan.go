package data

import (
	"database/sql"

	"tuanwu/app"
)

// scanAll reads every row of rows with scan, in order, and closes rows
// whatever happens: the error is scan's, else the iteration's (rows.Err),
// else Close's. No rows give a nil slice.
func scanAll[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	return appendRows(nil, rows, scan)
}

// appendRows is scanAll appending to out (which may have room made for
// the rows already).
func appendRows[T any](out []T, rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// eachRow calls fn for every row of rows, in order, and closes rows
// whatever happens, with scanAll's errors.
func eachRow(rows *sql.Rows, fn func(*sql.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// scanInt64 is a row of one integer.
func scanInt64(rows *sql.Rows) (int64, error) {
	var v int64
	err := rows.Scan(&v)
	return v, err
}

// scanString is a row of one text.
func scanString(rows *sql.Rows) (string, error) {
	var v string
	err := rows.Scan(&v)
	return v, err
}

// scanOrgRow is scanOrg for scanAll.
func scanOrgRow(rows *sql.Rows) (app.Org, error) { return scanOrg(rows) }

// scanStepRow is scanStep for scanAll.
func scanStepRow(rows *sql.Rows) (app.Step, error) { return scanStep(rows) }
