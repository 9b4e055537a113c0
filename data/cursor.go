package data

import (
	"database/sql"
	"fmt"
	"strconv"
)

// cursorBatch is how many rows a server-side cursor fetches at a time.
const cursorBatch = 2000

// eachRow runs query in the transaction and calls row for each row, in
// order. On SQLite the rows stream from the file as they are read. On
// PostgreSQL the driver reads a result whole before returning it
// (pgdriver.go: the store's code runs other queries while it walks rows),
// which for a 1,000,000-member roster would hold every row in memory: the
// query runs instead as a server-side cursor (DECLARE … NO SCROLL CURSOR,
// in the read's transaction and snapshot) fetched cursorBatch rows at a
// time, so that at most one batch is held while row runs (and row may
// query the transaction meanwhile).
//
// limit is the most rows the query returns (its LIMIT; 0 for none): a
// page no larger than a batch (a search's 20 or 50) is one plain query,
// not three statements.
func (t *txn) eachRow(query string, args []any, limit int, row func(*sql.Rows) error) error {
	if !t.s.pg || (limit > 0 && limit <= cursorBatch) {
		st, err := t.stmt(query)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(t.ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := row(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	// One name per depth (a row may walk another cursor): the statements'
	// texts stay few, for the driver's caches.
	t.cursors++
	defer func() { t.cursors-- }()
	name := "tuanwu_cursor_" + strconv.Itoa(t.cursors)
	if _, err := t.tx.ExecContext(t.ctx, "DECLARE "+name+" NO SCROLL CURSOR FOR "+query, args...); err != nil {
		return fmt.Errorf("declare cursor: %w", err)
	}
	open := true
	defer func() {
		if open { // left early: the transaction may go on
			t.tx.ExecContext(t.ctx, "CLOSE "+name)
		}
	}()
	fetch := "FETCH FORWARD " + strconv.Itoa(cursorBatch) + " FROM " + name
	for {
		rows, err := t.tx.QueryContext(t.ctx, fetch)
		if err != nil {
			return fmt.Errorf("fetch: %w", err)
		}
		n := 0
		for rows.Next() {
			n++
			if err := row(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("fetch: %w", err)
		}
		if n < cursorBatch {
			break
		}
	}
	open = false
	if _, err := t.tx.ExecContext(t.ctx, "CLOSE "+name); err != nil {
		return fmt.Errorf("close cursor: %w", err)
	}
	return nil
}
