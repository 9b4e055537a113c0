package data

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// boxed returns v as an interface value, the one in last when that holds
// v already: a column whose value repeats row after row is boxed (and
// allocated) once.
func boxed[T comparable](last *any, v T) any {
	if l, ok := (*last).(T); ok && l == v {
		return *last
	}
	*last = v
	return *last
}

// timeText formats times as stored, remembering the last one: the rows
// of one write share their times.
type timeText struct {
	t  time.Time
	s  string
	ok bool
}

func (c *timeText) of(tm time.Time) string {
	if !c.ok || tm != c.t {
		c.t, c.s, c.ok = tm, fmtTime(tm), true
	}
	return c.s
}

// insertRows inserts n rows of width values into table in one statement
// and returns the last row's ID. A column whose value is the same in every
// row (the reason, the date, who acted, ...) is bound once, as a numbered
// parameter that every row names.
func (t *txn) insertRows(table, cols string, width, n int, args []any) (int64, error) {
	var vals []any
	// The statement's shape: the table, columns, rows and which columns are constant.
	shape := make([]byte, 0, len(table)+len(cols)+width+8)
	shape = append(strconv.AppendInt(append(append(append(shape, table...), ' '), cols...), int64(n), 10), ' ')
	for c := 0; c < width; c++ {
		same := n > 1
		for r := 1; r < n && same; r++ {
			same = args[r*width+c] == args[c]
		}
		if same {
			vals = append(vals, args[c])
			shape = append(shape, 'c')
		} else {
			shape = append(shape, 'v')
		}
	}
	consts := len(vals)
	vals = slices.Grow(vals, n*(width-consts))
	for r := 0; r < n; r++ {
		for c := 0; c < width; c++ {
			if shape[len(shape)-width+c] == 'v' {
				vals = append(vals, args[r*width+c])
			}
		}
	}
	q, ok := t.rowsSQL[string(shape)]
	if !ok {
		q = rowsSQL(table, cols, width, n, shape[len(shape)-width:])
		if t.rowsSQL == nil {
			t.rowsSQL = map[string]string{}
		}
		t.rowsSQL[string(shape)] = q
	}
	st, err := t.stmt(q)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(t.ctx, vals...)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.LastInsertId()
}

// rowsSQL is the INSERT of insertRows: n rows of width values, the
// columns marked 'c' in shape bound once (numbered first, in column order),
// the others row by row.
func rowsSQL(table, cols string, width, n int, shape []byte) string {
	var q strings.Builder
	param := make([]string, width)
	next := 1
	for c := range width {
		if shape[c] == 'c' {
			param[c] = "?" + strconv.Itoa(next)
			next++
		}
	}
	q.Grow(len(table) + len(cols) + 32 + n*width*7)
	q.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
	for r := 0; r < n; r++ {
		if r > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for c := 0; c < width; c++ {
			if c > 0 {
				q.WriteByte(',')
			}
			if param[c] != "" {
				q.WriteString(param[c])
				continue
			}
			q.WriteByte('?')
			q.WriteString(strconv.Itoa(next))
			next++
		}
		q.WriteByte(')')
	}
	return q.String()
}

func (t *txn) int64s(q string, args ...any) ([]int64, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, scanInt64)
}
