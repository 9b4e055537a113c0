package data

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"tuanwu/app"

	"tuanwu/data/pgtest"
)

// The store tests run twice (issue 14: one test suite, two backends): on
// SQLite files, then, when TUANWU_TEST_PG names a server, on PostgreSQL,
// where openTest gives each test a fresh database. Tests of what only a
// file store has (PRAGMAs, WAL files, VACUUM, restore of files) say so with
// pgtest.SQLiteOnly and are skipped in the second run.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "data")) }

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

// Issue 14, item 2: two desks (two stores on one database), eight
// goroutines each, start transfers and issue letters at the same moment:
// every transfer number and each committee's letter numbers are unique and
// consecutive, nothing fails, and the audit chain the desks wrote together
// verifies.
func TestPGConcurrentDesks_Issue14Item2(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only: desks sharing one server")
	}
	s1, loc := openTest(t)
	var root app.Org
	write(t, s1, func(tx app.Tx) error {
		root = addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		return nil
	})
	s2, err := Open(loc)
	if err != nil {
		t.Fatalf("second desk: %v", err)
	}
	defer s2.Close()
	const per = 15
	var wg sync.WaitGroup
	errs := make(chan error, 16*per)
	for g := 0; g < 16; g++ {
		st := s1
		if g%2 == 1 {
			st = s2
		}
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				errs <- st.Write(context.Background(), func(tx app.Tx) error {
					tr := &app.Transfer{IDNo: fmt.Sprintf("desk%02d-%02d", g, i), Name: "张三", FromOrg: root.ID, Reason: app.ReasonStudy,
						Initiator: "转出组织", StartedBy: "系统", State: app.StateApproving, CreatedAt: testNow}
					if err := tx.InsertTransfers([]*app.Transfer{tr}); err != nil {
						return err
					}
					l := &app.Letter{Recipient: "某团委", Names: []string{"张三"}, DuesYear: 2025, DuesMonth: 6, Date: testNow, ValidDays: 30}
					if _, err := tx.InsertLetter(root.ID, l, "系统", []int64{tr.No}, testNow); err != nil {
						return err
					}
					return tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "系统", Action: "开具介绍信", Object: fmt.Sprint(tr.No)})
				})
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a desk's write failed: %v", err)
		}
	}
	var n, maxNo, distinct, letters, maxLetter int
	if err := s1.r.QueryRow("SELECT count(*), max(id), count(DISTINCT id) FROM transfers").Scan(&n, &maxNo, &distinct); err != nil {
		t.Fatal(err)
	}
	if n != 16*per || maxNo != n || distinct != n {
		t.Errorf("transfers: %d rows, largest number %d, %d distinct; want 1..%d", n, maxNo, distinct, 16*per)
	}
	if err := s1.r.QueryRow("SELECT count(DISTINCT no), max(no) FROM letters WHERE issuer_org = ?", root.ID).Scan(&letters, &maxLetter); err != nil {
		t.Fatal(err)
	}
	if letters != 16*per || maxLetter != letters {
		t.Errorf("letters: %d distinct numbers up to %d; want 1..%d", letters, maxLetter, 16*per)
	}
	noProblems(t, s1)
}

// Issue 14, item 1 with issue 10, item 6: on PostgreSQL the audit trail is
// append-only by triggers too, and check names every way around them: a
// dropped or disabled trigger, a replaced trigger function, and entries
// deleted once the triggers are gone.
func TestPGAuditTampering(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only (SQLite: TestAuditChain_*)")
	}
	for _, c := range []struct {
		name  string
		stmts []string
		want  string
	}{
		{"update refused", []string{"UPDATE audit SET actor = 'x'"}, ""},
		{"delete refused", []string{"DELETE FROM audit"}, ""},
		{"truncate refused", []string{"TRUNCATE audit_chain"}, ""},
		{"trigger dropped", []string{"DROP TRIGGER audit_no_update ON audit"}, "触发器“audit_no_update”被删除了"},
		{"trigger disabled", []string{"ALTER TABLE audit DISABLE TRIGGER audit_no_delete"}, "触发器“audit_no_delete”被改动过"},
		{"function replaced", []string{"CREATE OR REPLACE FUNCTION tuanwu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$"},
			"被改动过"},
		{"entries deleted behind dropped triggers", []string{"DROP TRIGGER audit_no_delete ON audit", "DELETE FROM audit WHERE id = 2"},
			"缺少第 2 条"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := auditStore(t, 3)
			var failed error
			for _, q := range c.stmts {
				if _, err := s.w.Exec(pgNative + q); err != nil {
					failed = err
					break
				}
			}
			chain := verify(t, s)
			if c.want == "" {
				if failed == nil || !strings.Contains(failed.Error(), "append-only") {
					t.Fatalf("%v: error %v, want the append-only refusal", c.stmts, failed)
				}
				if !chain.Intact || chain.Entries != 3 {
					t.Fatalf("after a refused change: %+v", chain)
				}
				return
			}
			if failed != nil {
				t.Fatalf("%v: %v", c.stmts, failed)
			}
			if chain.Intact || !strings.Contains(strings.Join(chain.Problems, "\n"), c.want) {
				t.Fatalf("VerifyAudit = %+v, want a problem with %q", chain, c.want)
			}
		})
	}
}

// Issue 14, Proof (server killed mid-transaction): the desk's connection
// to the server dies in the middle of a write; the use case ends with the
// Chinese “无法连接学校服务器” sentence, nothing of it is written, and the
// next write works on a new connection.
func TestPGConnectionLostMidWrite_Issue14(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only")
	}
	s, loc := openTest(t)
	db := loc[strings.LastIndex(loc, "/")+1:]
	db = db[:strings.IndexByte(db, '?')]
	err := s.Write(context.Background(), func(tx app.Tx) error {
		addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		pgtest.Exec(t, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+db+"' AND application_name = 'tuanwu'")
		o := app.Org{Name: "法学院团委", Kind: app.KindCommittee, Province: "浙江", CreatedAt: testNow}
		return tx.InsertOrg(&o)
	})
	if err == nil || !strings.Contains(app.ErrorMessage(err), "无法连接学校服务器") {
		t.Fatalf("write over a lost connection: %v, want 无法连接学校服务器", err)
	}
	var n int
	read(t, s, func(tx app.Tx) (err error) { n, err = tx.CountOrgs(); return err })
	if n != 0 {
		t.Fatalf("%d organizations after the lost write, want 0 (nothing half-written)", n)
	}
	write(t, s, func(tx app.Tx) error {
		addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		return nil
	})
	noProblems(t, s)
}
