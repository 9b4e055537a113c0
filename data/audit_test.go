package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// auditStore returns a store with n audit entries written by the program.
func auditStore(t *testing.T, n int) *Store {
	t.Helper()
	s, _ := openTest(t)
	for i := range n {
		write(t, s, func(tx app.Tx) error {
			return tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "330106198805120015", Action: "修改团员信息",
				Object: fmt.Sprintf("团员%d（330102********001X）", i+1), OrgID: 1, Member: "33010220050315002X", Before: "民族=", After: "民族=汉族"})
		})
	}
	return s
}

// tamper runs SQL on the writer connection, as someone with the file and
// the sqlite3 shell would.
func tamper(t *testing.T, s *Store, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func verify(t *testing.T, s *Store) app.AuditChain {
	t.Helper()
	c, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	return c
}

// wantBroken checks that the chain is reported broken at entry id with a
// problem saying want, and that Check reports it too.
func wantBroken(t *testing.T, s *Store, id int64, want string) {
	t.Helper()
	c := verify(t, s)
	if c.Intact || c.BrokenID != id || len(c.Problems) == 0 || !strings.Contains(strings.Join(c.Problems, "\n"), want) {
		t.Errorf("VerifyAudit = %+v, want broken at %d saying %q", c, id, want)
	}
	problems, err := s.Check(context.Background())
	if err != nil || !strings.Contains(strings.Join(problems, "\n"), want) {
		t.Errorf("Check = %q, %v; want a problem saying %q", problems, err, want)
	}
}

const dropTriggers = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; DROP TRIGGER audit_chain_no_update; DROP TRIGGER audit_chain_no_delete"

// Issue 10 item 6: the entries the program writes form an intact chain,
// sealed before their transaction commits, whether one at a time
// (AppendAudit) or set-wise (the sweep's plain SQL).
func TestAuditChain_IntactAsWritten_Issue10Item6(t *testing.T) {
	s := auditStore(t, 5)
	write(t, s, func(tx app.Tx) error {
		_, err := tx.(*txn).exec(`INSERT INTO audit (at, actor, action) SELECT at, '系统', '默认通过' FROM audit`)
		return err
	})
	c := verify(t, s)
	if !c.Intact || c.Entries != 10 || c.BrokenID != 0 || len(c.Problems) != 0 {
		t.Fatalf("VerifyAudit = %+v, want 10 intact entries", c)
	}
	var unsealed int
	if err := s.r.QueryRow("SELECT count(*) FROM audit WHERE id NOT IN (SELECT id FROM audit_chain)").Scan(&unsealed); err != nil || unsealed != 0 {
		t.Fatalf("%d unsealed entries, %v", unsealed, err)
	}
	if problems, err := s.Check(context.Background()); err != nil || len(problems) != 0 {
		t.Fatalf("Check = %q, %v", problems, err)
	}
	if !strings.Contains(c.Summary(), "操作日志校验链完好：共 10 条记录") {
		t.Errorf("Summary = %q", c.Summary())
	}
	// More entries than are read at once (auditChunk), set-wise, as the sweep writes them.
	write(t, s, func(tx app.Tx) error {
		_, err := tx.(*txn).exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 45000)
			INSERT INTO audit (at, actor, action, object, org_id, member, after) SELECT '2026-09-16T10:00:00+08:00', '系统', '转入审批系统默认通过',
				'转接第 ' || i || ' 号', i % 7, '', '审批中' FROM c`)
		return err
	})
	if c := verify(t, s); !c.Intact || c.Entries != 45010 {
		t.Fatalf("after 45,000 entries in one write: %+v", c)
	}
	// A rolled-back transaction leaves no unsealed entry behind.
	err := s.Write(context.Background(), func(tx app.Tx) error {
		if err := tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "系统", Action: "作废"}); err != nil {
			return err
		}
		return app.Errorf(app.EConflict, "refused")
	})
	if app.ErrorCode(err) != app.EConflict || !verify(t, s).Intact {
		t.Fatalf("after a rollback: %v, %+v", err, verify(t, s))
	}
}

// Issue 10 item 6: the entries and their hashes are append-only: a
// re-seal, a change or a deletion of either is refused.
func TestAuditChain_TriggersKeepBothAppendOnly_Issue10Item6(t *testing.T) {
	s := auditStore(t, 2)
	for _, q := range []string{
		"UPDATE audit_chain SET hash = 'abc' WHERE id = 1",
		"DELETE FROM audit_chain WHERE id = 2",
		"UPDATE audit SET actor = 'x' WHERE id = 2",
		"DELETE FROM audit WHERE id = 2",
	} {
		if _, err := s.w.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only refusal", q, err)
		}
	}
	if _, err := s.w.Exec("INSERT INTO audit_chain (id, hash) VALUES (1, 'abc')"); err == nil {
		t.Error("a second hash for entry 1 was accepted")
	}
	if !verify(t, s).Intact {
		t.Fatal("refused changes broke the chain")
	}
}

// Issue 10 item 6: a forged INSERT (triggers intact) is named by check, and
// later writes of the program do not seal it into the chain.
func TestAuditChain_ForgedInsert_Issue10Item6(t *testing.T) {
	s := auditStore(t, 3)
	tamper(t, s, "INSERT INTO audit (at, actor, action, object) VALUES ('2025-01-01T10:00:00+08:00', '330106198805120015', '删除组织', '法学院团委')")
	wantBroken(t, s, 4, "操作日志第 4 条没有团务台的封存校验值")
	write(t, s, func(tx app.Tx) error {
		return tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "系统", Action: "备份存储"})
	})
	wantBroken(t, s, 4, "可能是伪造的记录")
	if c := verify(t, s); c.Entries != 5 {
		t.Errorf("Entries = %d, want 5", c.Entries)
	}
}

// Issue 10 item 6: entries deleted in the middle or at the end, with the
// triggers dropped (and re-created as they were), are found.
func TestAuditChain_DeletedEntries_Issue10Item6(t *testing.T) {
	pgtest.SQLiteOnly(t, "tampers with SQLite's trigger syntax (PostgreSQL: TestPGAuditTampering)")
	s := auditStore(t, 5)
	tamper(t, s, dropTriggers, "DELETE FROM audit WHERE id = 2")
	wantBroken(t, s, 3, "操作日志第 3 条之前缺少第 2 条到第 2 条")
	wantBroken(t, s, 3, "保护触发器“audit_no_delete”被删除了")

	s = auditStore(t, 5)
	triggers, err := auditTriggers()
	if err != nil {
		t.Fatal(err)
	}
	tamper(t, s, dropTriggers, "DELETE FROM audit WHERE id >= 4")
	for _, text := range triggers {
		tamper(t, s, text)
	}
	wantBroken(t, s, 4, "操作日志应有 5 条，现在只到第 3 条：末尾的记录被删除了")
	if c := verify(t, s); len(c.Problems) != 1 {
		t.Errorf("re-created triggers still reported: %q", c.Problems)
	}
}

// Issue 10 item 6: dropping the triggers, deleting entries and inserting
// them again with other content (even keeping their hashes) is found, at
// the first entry re-created.
func TestAuditChain_RecreatedEntries_Issue10Item6(t *testing.T) {
	pgtest.SQLiteOnly(t, "tampers with SQLite's trigger syntax (PostgreSQL: TestPGAuditTampering)")
	s := auditStore(t, 5)
	tamper(t, s, dropTriggers,
		"CREATE TEMP TABLE keep AS SELECT * FROM audit WHERE id >= 3",
		"DELETE FROM audit WHERE id >= 3",
		"INSERT INTO audit SELECT id, at, '330106198001010011', action, object, org_id, member, before, after FROM temp.keep")
	wantBroken(t, s, 3, "操作日志第 3 条与校验值不符")

	// The same with the old text but a renumbering (an entry left out).
	s = auditStore(t, 5)
	tamper(t, s, dropTriggers,
		"CREATE TEMP TABLE keep AS SELECT * FROM audit WHERE id >= 3",
		"DELETE FROM audit WHERE id >= 2",
		"INSERT INTO audit SELECT id - 1, at, actor, action, object, org_id, member, before, after FROM temp.keep")
	wantBroken(t, s, 2, "操作日志第 2 条与校验值不符")
}

// Issue 10 item 6: with the audit table dropped, check fails and no change
// is saved any more (a change must leave a record).
func TestAuditChain_TableDropped_Issue10Item6(t *testing.T) {
	pgtest.SQLiteOnly(t, "tampers with SQLite's schema (PostgreSQL: TestPGAuditTampering)")
	s := auditStore(t, 2)
	tamper(t, s, "DROP TABLE audit")
	c := verify(t, s)
	if c.Intact || !strings.Contains(strings.Join(c.Problems, ""), "操作日志表（audit）不存在") {
		t.Errorf("VerifyAudit = %+v", c)
	}
	problems, err := s.Check(context.Background())
	if err != nil || len(problems) == 0 {
		t.Errorf("Check with the audit table dropped = %q, %v", problems, err)
	}
	err = s.Write(context.Background(), func(tx app.Tx) error { return tx.SetSetting("x", "y") })
	if app.ErrorCode(err) != app.EStore || !strings.Contains(app.ErrorMessage(err), "操作日志无法写入") {
		t.Errorf("Write with the audit table dropped = %v", err)
	}

	// A table re-created empty, triggers and all: the head says what is missing.
	s = auditStore(t, 2)
	var ddl string
	if err := s.r.QueryRow("SELECT sql FROM sqlite_master WHERE name = 'audit'").Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	triggers, _ := auditTriggers()
	tamper(t, s, "DROP TABLE audit", ddl)
	for name, text := range triggers {
		if strings.HasPrefix(name, "audit_no_") {
			tamper(t, s, text)
		}
	}
	wantBroken(t, s, 1, "操作日志应有 2 条，现在只到第 0 条")
}

// Issue 10 item 6: a store written before the chain existed (schema 4) is
// chained when it is first opened, in migration 0005's transaction.
func TestAuditChain_MigrationChainsExisting_Issue10Item6(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", dsn(path, ""))
	if err != nil {
		t.Fatal(err)
	}
	names, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	old := 0
	for i, n := range names {
		if n == auditChainMigration {
			old = i
			break
		}
		body, err := migrationFS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	for i := range 3 {
		if _, err := db.Exec("INSERT INTO audit (at, actor, action, object) VALUES (?, '系统', '新增组织', ?)", fmtTime(testNow), "组织"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("PRAGMA user_version = " + strconv.Itoa(old)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a schema %d store: %v", old, err)
	}
	defer s.Close()
	if c := verify(t, s); !c.Intact || c.Entries != 3 {
		t.Fatalf("after the migration: %+v, want 3 intact entries", c)
	}
	write(t, s, func(tx app.Tx) error {
		return tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "系统", Action: "备份存储"})
	})
	if c := verify(t, s); !c.Intact || c.Entries != 4 {
		t.Fatalf("after a write: %+v, want 4 intact entries", c)
	}
}

// Issue 10 item 6: entries whose ids do not follow one another (only a
// hand-made store has them) are sealed too, each with its own hash.
func TestAuditChain_SealWithGaps_Issue10Item6(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, id := range []int{1, 2, 5} {
		if _, err := tx.Exec("INSERT INTO audit (id, at, actor, action) VALUES (?, '2025-06-01T10:00:00+08:00', '系统', ?)", id, "第"+strconv.Itoa(id)+"条"); err != nil {
			t.Fatal(err)
		}
	}
	if err := sealAudit(ctx, tx, 0, nil); err != nil {
		t.Fatal(err)
	}
	prev := ""
	err = eachRecord(ctx, tx, 0, math.MaxInt64, true, func(id int64, record, hash string) error {
		if want := chainHash(prev, record); hash != want {
			t.Errorf("entry %d: hash %q, want %q", id, hash, want)
		}
		prev = hash
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
