package data

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"tuanwu/data/pgtest"
)

// The store tests run twice (issue 14: one test suite, two backends): on
// SQLite files, then, when TUANWU_TEST_PG names a server, on PostgreSQL,
// where openTest gives each test a fresh database. Tests of what only a
// file store has (PRAGMAs, WAL files, VACUUM, restore of files) say so with
// sqliteOnly and are skipped in the second run.
var onPG bool

func TestMain(m *testing.M) {
	code := 0
	if !pgtest.Only() {
		code = m.Run()
	}
	if code == 0 && pgtest.Enabled() {
		onPG = true
		fmt.Println("--- data: the same tests on PostgreSQL (" + pgtest.Env + ")")
		code = m.Run()
	}
	os.Exit(code)
}

// sqliteOnly skips a test of the file store in the PostgreSQL run.
func sqliteOnly(t testing.TB, why string) {
	t.Helper()
	if onPG {
		t.Skip("SQLite only: " + why)
	}
}

func TestPGRewrite(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT a FROM t WHERE x = ? AND y = ?", "SELECT a FROM t WHERE x = $1 AND y = $2"},
		{"SELECT ?2, ?1, ?", "SELECT $2, $1, $3"},
		{"SELECT 'a?b', ?", "SELECT 'a?b', $1"},
		{"SELECT ifnull(a, 0), instr(b, ?) FROM t", "SELECT coalesce(a, 0), strpos(b, $1) FROM t"},
		{"SELECT count(*) FROM (SELECT 1 FROM t LIMIT 1)", "SELECT count(*) FROM (SELECT 1 FROM t LIMIT 1) AS sub1"},
		{"SELECT x FROM (SELECT 1 AS x) g WHERE 1", "SELECT x FROM (SELECT 1 AS x) g WHERE 1"},
		{"WHERE t.id_no = ? AND +t.state IN (?)", "WHERE t.id_no = $1 AND t.state IN ($2)"},
		{"SELECT i + 1, '+1 day'", "SELECT i + 1, '+1 day'"},
		{"DELETE FROM temp.sweep_due", "DELETE FROM pg_temp.sweep_due"},
		{"x > date(m.developed_on, '+1 month')", "x > to_char(CAST(NULLIF(m.developed_on, '') AS date) + interval '1 month', 'YYYY-MM-DD')"},
		{"length(CAST(a.id AS BLOB))", "octet_length(CAST(a.id AS TEXT))"},
	} {
		if got := rewrite(c.in).sql; got != c.want {
			t.Errorf("rewrite(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
	q := rewrite("SELECT a FROM t LIMIT ? OFFSET ?")
	if len(q.limits) != 1 || q.limits[0] != 0 {
		t.Errorf("limits = %v, want [0]", q.limits)
	}
	ins := rewrite("INSERT INTO members (a) VALUES (?)")
	if !ins.returning || !strings.HasSuffix(ins.sql, " RETURNING id") {
		t.Errorf("insert: %+v", ins)
	}
	if set := rewrite("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"); set.returning {
		t.Errorf("settings insert got RETURNING: %s", set.sql)
	}
}
