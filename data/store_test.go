package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

var testNow = time.Date(2025, 6, 1, 10, 0, 0, 0, app.Shanghai)

// openTest opens a fresh store in t.TempDir and closes it after the test.
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tuanwu.db")
	if pgtest.OnPG() {
		path = pgtest.URL(t)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// pragma returns a PRAGMA's value on one of the store's pools.
func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

func idOf(t testing.TB, first17 string) string {
	t.Helper()
	c := app.IDCheckChar(first17)
	if c == 0 {
		t.Fatalf("IDCheckChar(%q) = 0", first17)
	}
	return first17 + string(c)
}

func write(t *testing.T, s *Store, fn func(tx app.Tx) error) {
	t.Helper()
	if err := s.Write(context.Background(), fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

func read(t *testing.T, s *Store, fn func(tx app.Tx) error) {
	t.Helper()
	if err := s.Read(context.Background(), fn); err != nil {
		t.Fatalf("Read: %v", err)
	}
}

func mustCode(t *testing.T, what string, err error, code app.Code) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func noProblems(t *testing.T, s *Store) {
	t.Helper()
	p, err := s.Check(context.Background())
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(p) != 0 {
		t.Fatalf("Check found problems: %q", p)
	}
}

func addOrg(t *testing.T, tx app.Tx, parent int64, name, kind string) app.Org {
	t.Helper()
	o := app.Org{ParentID: parent, Name: name, Kind: kind, Province: "浙江", CreatedAt: testNow}
	if kind == app.KindBranch {
		o.Category = app.CatNormal
	}
	if err := tx.InsertOrg(&o); err != nil {
		t.Fatalf("InsertOrg %s: %v", name, err)
	}
	return o
}

func newMember(orgID int64, name, id, no string) app.Member {
	return app.Member{OrgID: orgID, Name: name, IDNo: id, MemberNo: no, JoinMonth: "2019-05", Political: "共青团员",
		Status: app.StatusActive, CreatedAt: testNow, UpdatedAt: testNow}
}

func addMember(t *testing.T, tx app.Tx, m app.Member) app.Member {
	t.Helper()
	if err := tx.InsertMember(&m); err != nil {
		t.Fatalf("InsertMember %s: %v", m.Name, err)
	}
	return m
}

func orgCount(t *testing.T, s *Store, id int64) int {
	t.Helper()
	var n int
	read(t, s, func(tx app.Tx) error {
		o, err := tx.Org(id)
		n = o.MemberCount
		return err
	})
	return n
}

// A fresh file gets the latest schema, WAL journal mode and foreign keys on
// every connection; reopening it changes nothing.
func TestOpen_FreshFile(t *testing.T) {
	pgtest.SQLiteOnly(t, "PRAGMAs, WAL and the file's mode")
	s, path := openTest(t)
	if LatestVersion() < 1 {
		t.Fatalf("LatestVersion() = %d, want at least 1", LatestVersion())
	}
	if s.SchemaVersion() != LatestVersion() {
		t.Errorf("SchemaVersion() = %d, want %d", s.SchemaVersion(), LatestVersion())
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	if !IsStoreFile(path) {
		t.Errorf("IsStoreFile(%s) = false after Open", path)
	}
	checks := []struct {
		name   string
		db     *sql.DB
		pragma string
		want   string
	}{
		{"writer user_version", s.w, "user_version", fmt.Sprint(LatestVersion())},
		{"reader user_version", s.r, "user_version", fmt.Sprint(LatestVersion())},
		{"writer journal_mode", s.w, "journal_mode", "wal"},
		{"reader journal_mode", s.r, "journal_mode", "wal"},
		{"writer foreign_keys", s.w, "foreign_keys", "1"},
		{"reader foreign_keys", s.r, "foreign_keys", "1"},
		{"reader query_only", s.r, "query_only", "1"},
		{"writer query_only", s.w, "query_only", "0"},
		{"writer synchronous NORMAL", s.w, "synchronous", "1"},
		{"writer busy_timeout", s.w, "busy_timeout", "10000"},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if got := pragma(t, c.db, c.pragma); got != c.want {
				t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
			}
		})
	}
	for _, table := range []string{"orgs", "members", "accounts", "cadres", "admins", "audit", "settings"} {
		var n int
		if err := s.r.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: %d, %v", table, n, err)
		}
	}
	noProblems(t, s)

	t.Run("foreign keys are enforced", func(t *testing.T) {
		err := s.Write(context.Background(), func(tx app.Tx) error {
			m := newMember(999, "王小红", idOf(t, "33010220050315002"), "")
			return tx.InsertMember(&m)
		})
		mustCode(t, "member of a missing org", err, app.EConflict)
	})

	t.Run("reopen keeps the schema and the data", func(t *testing.T) {
		write(t, s, func(tx app.Tx) error { return tx.SetSetting("k", "v") })
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		s2, err := Open(path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer s2.Close()
		if s2.SchemaVersion() != LatestVersion() {
			t.Errorf("SchemaVersion after reopen = %d", s2.SchemaVersion())
		}
		var v string
		read(t, s2, func(tx app.Tx) (err error) { v, err = tx.Setting("k"); return err })
		if v != "v" {
			t.Errorf("setting after reopen = %q, want v", v)
		}
	})
}

// Open creates a missing folder.
func TestOpen_CreatesFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "tuanwu.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if !IsStoreFile(path) {
		t.Errorf("%s is not a store file", path)
	}
}

// A file that is not a store, or comes from a newer program, is refused with
// EStore and left byte for byte as it was.
func TestOpen_RefusesAndLeavesFileUnchanged(t *testing.T) {
	junk := bytes.Repeat([]byte("这不是数据库 not a database \x00\x01\x02\xff"), 200)
	tests := []struct {
		name    string
		make    func(t *testing.T, path string)
		wantMsg []string
	}{
		{"junk bytes", func(t *testing.T, path string) {
			if err := os.WriteFile(path, junk, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"不是团务台数据文件"}},
		{"short text file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("姓名,身份证号\n王小红,330102200503150029\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"不是团务台数据文件"}},
		// Issue 10, item 8: an empty or zero-header file is never initialised.
		{"empty file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"不是团务台数据文件", "是空的"}},
		{"zero header", func(t *testing.T, path string) {
			if err := os.WriteFile(path, make([]byte, 8192), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"不是团务台数据文件"}},
		{"another program's database", func(t *testing.T, path string) {
			db, err := sql.Open("sqlite3", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES('私人笔记')"); err != nil {
				t.Fatal(err)
			}
			db.Close()
		}, []string{"不是团务台数据文件", "别的程序"}},
		{"newer schema version", func(t *testing.T, path string) {
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			write(t, s, func(tx app.Tx) error { return tx.SetSetting("root_org", "1") })
			if _, err := s.w.Exec(fmt.Sprintf("PRAGMA user_version = %d", LatestVersion()+1)); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}, []string{"更新版本", fmt.Sprintf("结构版本 %d", LatestVersion()+1), "请升级团务台"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "store.db")
			tc.make(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			entriesBefore, _ := os.ReadDir(dir)
			s, err := Open(path)
			if err == nil {
				s.Close()
				t.Fatalf("Open accepted the file")
			}
			mustCode(t, "Open", err, app.EStore)
			for _, m := range tc.wantMsg {
				if !strings.Contains(app.ErrorMessage(err), m) {
					t.Errorf("message %q does not contain %q", app.ErrorMessage(err), m)
				}
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Errorf("Open changed the refused file (%d → %d bytes)", len(before), len(after))
			}
			entriesAfter, _ := os.ReadDir(dir)
			if len(entriesAfter) != len(entriesBefore) {
				var names []string
				for _, e := range entriesAfter {
					names = append(names, e.Name())
				}
				t.Errorf("Open left files behind: %v", names)
			}
		})
	}
	t.Run("a folder", func(t *testing.T) {
		_, err := Open(t.TempDir())
		mustCode(t, "Open(folder)", err, app.EStore)
		if !strings.Contains(app.ErrorMessage(err), "是一个文件夹") {
			t.Errorf("message %q", app.ErrorMessage(err))
		}
	})
	t.Run("a read-only file", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can write read-only files")
		}
		path := filepath.Join(t.TempDir(), "ro.db")
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		_, err = Open(path)
		mustCode(t, "Open(read-only)", err, app.EStore)
	})
	if IsStoreFile(filepath.Join(t.TempDir(), "missing.db")) {
		t.Error("IsStoreFile(missing) = true")
	}
}

// R-X6: the audit trail is append-only: the schema refuses UPDATE and DELETE,
// even on the writer connection.
func TestAudit_AppendOnly_R_X6(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	entries := []app.AuditEntry{
		{At: testNow, Actor: "330106198805120015", Action: "新增组织", Object: "浙江明理大学团委", OrgID: 1, After: "团委 "},
		{At: testNow.Add(time.Hour), Actor: "330106198805120015", Action: "新增团员", Object: "王小红（330102********0029）",
			OrgID: 2, Member: "330102200503150029", After: "浙江明理大学团委/2023级计算机1班团支部"},
		{At: testNow.Add(2 * time.Hour), Actor: "系统", Action: "修改团员信息", OrgID: 2, Member: "330102200503150029",
			Before: "手机号码=", After: "手机号码=13912345678"},
	}
	write(t, s, func(tx app.Tx) error {
		for _, e := range entries {
			if err := tx.AppendAudit(e); err != nil {
				return err
			}
		}
		return nil
	})
	attacks := []struct{ name, sql string }{
		{"update one", "UPDATE audit SET actor = 'someone' WHERE id = 1"},
		{"update all", "UPDATE audit SET before = '', after = ''"},
		{"delete one", "DELETE FROM audit WHERE id = 2"},
		{"delete all", "DELETE FROM audit"},
	}
	for _, a := range attacks {
		t.Run("writer refuses "+a.name, func(t *testing.T) {
			_, err := s.w.ExecContext(ctx, a.sql)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s: error %v, want the append-only refusal", a.sql, err)
			}
		})
		t.Run("write transaction refuses "+a.name, func(t *testing.T) {
			err := s.Write(ctx, func(tx app.Tx) error {
				_, err := tx.(*txn).exec(a.sql)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s in Write: error %v, want the append-only refusal", a.sql, err)
			}
		})
	}
	var got []app.AuditEntry
	read(t, s, func(tx app.Tx) (err error) { got, err = tx.Audit(app.AuditFilter{}); return err })
	if len(got) != 3 {
		t.Fatalf("audit has %d entries, want 3", len(got))
	}
	for i, e := range got { // newest first
		want := entries[len(entries)-1-i]
		want.ID = int64(len(entries) - i)
		if !e.At.Equal(want.At) {
			t.Errorf("entry %d At = %v, want %v", i, e.At, want.At)
		}
		e.At, want.At = time.Time{}, time.Time{}
		if e != want {
			t.Errorf("entry %d = %+v, want %+v", i, e, want)
		}
	}

	filters := []struct {
		name string
		f    app.AuditFilter
		ids  []int64
	}{
		{"all", app.AuditFilter{}, []int64{3, 2, 1}},
		{"limit", app.AuditFilter{Limit: 2}, []int64{3, 2}},
		{"member", app.AuditFilter{Member: "330102200503150029"}, []int64{3, 2}},
		{"org", app.AuditFilter{OrgID: 1}, []int64{1}},
		{"since", app.AuditFilter{Since: testNow.Add(time.Hour)}, []int64{3, 2}},
		{"member and since", app.AuditFilter{Member: "330102200503150029", Since: testNow.Add(90 * time.Minute)}, []int64{3}},
		{"nothing", app.AuditFilter{Member: "11010519491231002X"}, nil},
	}
	for _, tc := range filters {
		t.Run("filter "+tc.name, func(t *testing.T) {
			var es []app.AuditEntry
			read(t, s, func(tx app.Tx) (err error) { es, err = tx.Audit(tc.f); return err })
			var ids []int64
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.ids) {
				t.Errorf("Audit(%+v) ids = %v, want %v", tc.f, ids, tc.ids)
			}
		})
	}
}

// populate writes a small tree with members and an account.
func populate(t *testing.T, s *Store) (root, branchA, branchB app.Org) {
	t.Helper()
	write(t, s, func(tx app.Tx) error {
		root = addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		col := addOrg(t, tx, root.ID, "信息学院团委", app.KindCommittee)
		branchA = addOrg(t, tx, col.ID, "2023级计算机1班团支部", app.KindBranch)
		branchB = addOrg(t, tx, root.ID, "2023级经济学1班团支部", app.KindBranch)
		addMember(t, tx, newMember(branchA.ID, "王小红", idOf(t, "33010220050315002"), "201900000001"))
		addMember(t, tx, newMember(branchA.ID, "王大明", idOf(t, "33010220050315003"), "201900000002"))
		addMember(t, tx, newMember(branchB.ID, "李四", idOf(t, "33010220060708001"), ""))
		return tx.InsertAccount(app.Account{IDNo: "330106198805120015", Name: "周明远", PassHash: "$argon2id$x", MustChange: true, CreatedAt: testNow})
	})
	return root, branchA, branchB
}

// Backup writes a verified copy that opens with the same data, and never
// overwrites an existing file.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	root, branchA, _ := populate(t, s)
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if !IsStoreFile(path) {
		t.Fatalf("backup %s is not a store file", path)
	}

	t.Run("the copy opens with the same members", func(t *testing.T) {
		b, err := Open(path)
		if err != nil {
			t.Fatalf("Open(backup): %v", err)
		}
		defer b.Close()
		if b.SchemaVersion() != LatestVersion() {
			t.Errorf("backup SchemaVersion = %d", b.SchemaVersion())
		}
		for _, q := range []app.MemberQuery{{}, {IncludeLeft: true}, {OrgID: root.ID}, {OrgID: branchA.ID}, {Text: "王"}} {
			var n1, n2 int
			read(t, s, func(tx app.Tx) (err error) { n1, err = tx.CountMembers(q); return err })
			read(t, b, func(tx app.Tx) (err error) { n2, err = tx.CountMembers(q); return err })
			if n1 != n2 || n1 == 0 {
				t.Errorf("CountMembers(%+v): store %d, backup %d", q, n1, n2)
			}
		}
		var m app.Member
		var acc app.Account
		read(t, b, func(tx app.Tx) (err error) {
			if m, err = tx.Member(idOf(t, "33010220050315002")); err != nil {
				return err
			}
			acc, err = tx.Account("330106198805120015")
			return err
		})
		if m.Name != "王小红" || m.MemberNo != "201900000001" || m.OrgName != "浙江明理大学团委/信息学院团委/2023级计算机1班团支部" {
			t.Errorf("member in backup = %+v", m)
		}
		if acc.Name != "周明远" || !acc.MustChange {
			t.Errorf("account in backup = %+v", acc)
		}
		noProblems(t, b)
	})
	t.Run("an existing target is refused and kept", func(t *testing.T) {
		before, _ := os.ReadFile(path)
		write(t, s, func(tx app.Tx) error { return tx.SetSetting("changed", "yes") })
		err := s.Backup(ctx, path)
		mustCode(t, "Backup over a file", err, app.EConflict)
		if !strings.Contains(app.ErrorMessage(err), "已存在") {
			t.Errorf("message %q", app.ErrorMessage(err))
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(before, after) {
			t.Error("the existing file was changed")
		}
		other := filepath.Join(t.TempDir(), "other.txt")
		os.WriteFile(other, []byte("keep me"), 0o644)
		mustCode(t, "Backup over a text file", s.Backup(ctx, other), app.EConflict)
		if b, _ := os.ReadFile(other); string(b) != "keep me" {
			t.Errorf("text file overwritten: %q", b)
		}
	})
	t.Run("a folder that does not exist", func(t *testing.T) {
		err := s.Backup(ctx, filepath.Join(t.TempDir(), "missing", "backup.db"))
		mustCode(t, "Backup into a missing folder", err, app.EStore)
	})
}

// member_count (kept by triggers or by the store's Go code) stays equal to
// the real count of members in the League after insert, batch insert, status
// change, move and rollback; Check verifies it and reports a wrong count.
func TestMemberCountTriggers(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var root, col, a, b app.Org
	var ms []app.Member
	write(t, s, func(tx app.Tx) error {
		root = addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		col = addOrg(t, tx, root.ID, "信息学院团委", app.KindCommittee)
		a = addOrg(t, tx, col.ID, "2023级计算机1班团支部", app.KindBranch)
		b = addOrg(t, tx, root.ID, "2023级经济学1班团支部", app.KindBranch)
		for i, first17 := range []string{"33010220050315002", "33010220050315003", "33010220060708001", "33010220060708002"} {
			org := a.ID
			if i == 3 {
				org = b.ID
			}
			ms = append(ms, addMember(t, tx, newMember(org, fmt.Sprintf("成员%c", 'A'+i), idOf(t, first17), fmt.Sprintf("2019%08d", i+1))))
		}
		return nil
	})
	type counts struct{ root, col, a, b int }
	check := func(t *testing.T, want counts) {
		t.Helper()
		got := counts{orgCount(t, s, root.ID), orgCount(t, s, col.ID), orgCount(t, s, a.ID), orgCount(t, s, b.ID)}
		if got != want {
			t.Fatalf("member counts (root, college, A, B) = %+v, want %+v", got, want)
		}
		// The fast path (kept counts) and the slow path (counting rows) agree.
		for _, o := range []app.Org{root, col, a, b} {
			var fast, slow int
			read(t, s, func(tx app.Tx) (err error) {
				if fast, err = tx.CountMembers(app.MemberQuery{OrgID: o.ID}); err != nil {
					return err
				}
				err = tx.Members(app.MemberQuery{OrgID: o.ID}, func(app.Member) error { slow++; return nil })
				return err
			})
			if fast != slow {
				t.Errorf("%s: kept count %d, listed %d", o.Name, fast, slow)
			}
		}
		noProblems(t, s)
	}
	update := func(t *testing.T, m *app.Member, edit func(m *app.Member)) {
		t.Helper()
		edit(m)
		write(t, s, func(tx app.Tx) error { return tx.UpdateMember(*m) })
	}

	steps := []struct {
		name string
		do   func(t *testing.T)
		want counts
	}{
		{"after insert", func(t *testing.T) {}, counts{4, 3, 3, 1}},
		{"R-X4 status change to 超龄离团", func(t *testing.T) {
			update(t, &ms[0], func(m *app.Member) { m.Status = app.StatusOverAge })
		}, counts{3, 2, 2, 1}},
		{"edit without count change", func(t *testing.T) {
			update(t, &ms[1], func(m *app.Member) { m.Phone = "13912345678" })
		}, counts{3, 2, 2, 1}},
		{"move A → B", func(t *testing.T) {
			update(t, &ms[1], func(m *app.Member) { m.OrgID = b.ID })
		}, counts{3, 1, 1, 2}},
		{"move a member who left: no change", func(t *testing.T) {
			update(t, &ms[0], func(m *app.Member) { m.OrgID = b.ID })
		}, counts{3, 1, 1, 2}},
		{"back in the League in B", func(t *testing.T) {
			update(t, &ms[0], func(m *app.Member) { m.Status = app.StatusActive })
		}, counts{4, 1, 1, 3}},
		{"move and leave at once", func(t *testing.T) {
			update(t, &ms[2], func(m *app.Member) { m.OrgID, m.Status = b.ID, app.StatusQuit })
		}, counts{3, 0, 0, 3}},
		{"insert a member who already left", func(t *testing.T) {
			write(t, s, func(tx app.Tx) error {
				m := newMember(a.ID, "成员E", idOf(t, "44030420060101001"), "")
				m.Status = app.StatusExpelled
				addMember(t, tx, m)
				return nil
			})
		}, counts{3, 0, 0, 3}},
		{"batch insert counts each branch", func(t *testing.T) {
			write(t, s, func(tx app.Tx) error {
				left := newMember(b.ID, "成员H", idOf(t, "11010519491231002"), "")
				left.Status = app.StatusOverAge
				return tx.InsertMembers([]app.Member{
					newMember(a.ID, "成员F", idOf(t, "32010220040404004"), ""),
					newMember(b.ID, "成员G", idOf(t, "35020319950615004"), ""),
					left,
				})
			})
		}, counts{5, 1, 1, 4}},
		{"rolled-back insert and move leave the counts", func(t *testing.T) {
			err := s.Write(ctx, func(tx app.Tx) error {
				addMember(t, tx, newMember(a.ID, "成员I", idOf(t, "33010219900101001"), ""))
				m := ms[3]
				m.OrgID = a.ID
				if err := tx.UpdateMember(m); err != nil {
					return err
				}
				return errors.New("roll back")
			})
			if err == nil {
				t.Fatal("Write returned nil for a failing fn")
			}
		}, counts{5, 1, 1, 4}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.do(t)
			check(t, st.want)
		})
	}

	var total, withLeft int
	read(t, s, func(tx app.Tx) (err error) {
		if total, err = tx.CountMembers(app.MemberQuery{}); err != nil {
			return err
		}
		withLeft, err = tx.CountMembers(app.MemberQuery{IncludeLeft: true})
		return err
	})
	if total != 5 || withLeft != 8 {
		t.Errorf("CountMembers = %d in the League, %d with those who left; want 5 and 8", total, withLeft)
	}

	t.Run("Check reports a wrong kept count", func(t *testing.T) {
		if _, err := s.w.ExecContext(ctx, "UPDATE orgs SET member_count = 99 WHERE id = ?", a.ID); err != nil {
			t.Fatal(err)
		}
		p, err := s.Check(ctx)
		// The direct count is reported first; the subtree totals that add it up disagree too.
		if err != nil || len(p) == 0 || !strings.Contains(p[0], "人数统计：组织 2023级计算机1班团支部") || !strings.Contains(p[0], "记录为 99 人，实际 1 人") {
			t.Fatalf("Check = %q, %v; want the count problem", p, err)
		}
		if _, err := s.w.ExecContext(ctx, "UPDATE orgs SET member_count = 1 WHERE id = ?", a.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Check reports a broken foreign key", func(t *testing.T) {
		if pgtest.OnPG() {
			t.Skip("PostgreSQL enforces every foreign key: none can be broken behind its back")
		}
		conn, err := s.w.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for _, q := range []string{
			"PRAGMA foreign_keys = OFF",
			"INSERT INTO cadres (org_id, id_no, name, post, since) VALUES (999, 'x', 'y', '书记', '')",
			"PRAGMA foreign_keys = ON",
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		p, err := s.Check(ctx)
		if err != nil || len(p) != 1 || !strings.Contains(p[0], "外键检查：表 cadres") {
			t.Fatalf("Check = %q, %v; want the foreign key problem", p, err)
		}
	})
}

// R-O1: the tree is kept with paths; counts of a subtree never include a
// sibling whose ID starts with the same digits.
func TestOrgTree_R_O1(t *testing.T) {
	s, _ := openTest(t)
	var root, c5, b50 app.Org
	write(t, s, func(tx app.Tx) error {
		root = addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		for i := 2; i <= 50; i++ {
			kind := app.KindBranch
			if i == 5 {
				kind = app.KindCommittee
			}
			o := addOrg(t, tx, root.ID, fmt.Sprintf("%d级测试%d班团支部", 2000+i, i), kind)
			switch i {
			case 5:
				c5 = o
			case 50:
				b50 = o
			}
		}
		addMember(t, tx, newMember(b50.ID, "王小红", idOf(t, "33010220050315002"), ""))
		addMember(t, tx, newMember(b50.ID, "王大明", idOf(t, "33010220050315003"), ""))
		return nil
	})
	if c5.ID != 5 || c5.Path != "/1/5/" || b50.ID != 50 || b50.Path != "/1/50/" {
		t.Fatalf("IDs and paths: %d %q, %d %q", c5.ID, c5.Path, b50.ID, b50.Path)
	}
	read(t, s, func(tx app.Tx) error {
		for _, tc := range []struct {
			id   int64
			want int
		}{{root.ID, 2}, {c5.ID, 0}, {b50.ID, 2}} {
			o, err := tx.Org(tc.id)
			if err != nil {
				return err
			}
			if o.MemberCount != tc.want {
				t.Errorf("org %d MemberCount = %d, want %d", tc.id, o.MemberCount, tc.want)
			}
			for _, q := range []app.MemberQuery{{OrgID: tc.id}, {OrgID: tc.id, IncludeLeft: true}} {
				n, err := tx.CountMembers(q)
				if err != nil {
					return err
				}
				if n != tc.want {
					t.Errorf("CountMembers(%+v) = %d, want %d", q, n, tc.want)
				}
			}
		}
		return nil
	})
}

func TestOrgs(t *testing.T) {
	s, _ := openTest(t)
	var root, col, zz, br, other app.Org
	write(t, s, func(tx app.Tx) error {
		root = addOrg(t, tx, 0, "浙江明理大学团委", app.KindCommittee)
		col = addOrg(t, tx, root.ID, "信息学院团委", app.KindCommittee)
		br = addOrg(t, tx, col.ID, "2023级计算机1班团支部", app.KindBranch)
		zz = addOrg(t, tx, col.ID, "计算机系团总支", app.KindGeneralBranch)
		other = app.Org{Name: "北京燕园大学团委", Kind: app.KindCommittee, Province: "北京", CreatedAt: testNow}
		return tx.InsertOrg(&other)
	})
	if root.Path != "/1/" || col.Path != "/1/2/" || br.Path != "/1/2/3/" || other.Path != "/5/" {
		t.Fatalf("paths %q %q %q %q", root.Path, col.Path, br.Path, other.Path)
	}

	t.Run("R-O1 duplicate name under the same parent", func(t *testing.T) {
		for _, o := range []app.Org{
			{ParentID: col.ID, Name: "2023级计算机1班团支部", Kind: app.KindBranch, Province: "浙江", CreatedAt: testNow},
			{Name: "浙江明理大学团委", Kind: app.KindCommittee, Province: "浙江", CreatedAt: testNow},
		} {
			err := s.Write(context.Background(), func(tx app.Tx) error { return tx.InsertOrg(&o) })
			mustCode(t, "InsertOrg "+o.Name, err, app.EConflict)
			if !strings.Contains(app.ErrorMessage(err), "已有名为“"+o.Name+"”") {
				t.Errorf("message %q", app.ErrorMessage(err))
			}
		}
		var n int
		read(t, s, func(tx app.Tx) (err error) { n, err = tx.CountOrgs(); return err })
		if n != 5 {
			t.Errorf("CountOrgs = %d, want 5", n)
		}
	})
	t.Run("Org, OrgByName and full names", func(t *testing.T) {
		read(t, s, func(tx app.Tx) error {
			o, err := tx.OrgByName(col.ID, "2023级计算机1班团支部")
			if err != nil {
				return err
			}
			if o.ID != br.ID || o.FullName != "浙江明理大学团委/信息学院团委/2023级计算机1班团支部" || o.ParentID != col.ID ||
				o.Category != app.CatNormal || !o.CreatedAt.Equal(testNow) {
				t.Errorf("OrgByName = %+v", o)
			}
			top, err := tx.OrgByName(0, "北京燕园大学团委")
			if err != nil || top.ID != other.ID || top.ParentID != 0 || top.Province != "北京" {
				t.Errorf("top-level OrgByName = %+v, %v", top, err)
			}
			c, err := tx.Org(col.ID)
			if err != nil || c.ChildCount != 2 {
				t.Errorf("college ChildCount = %d, %v; want 2", c.ChildCount, err)
			}
			_, err = tx.OrgByName(col.ID, "不存在团支部")
			mustCode(t, "OrgByName missing", err, app.ENotFound)
			_, err = tx.OrgByName(root.ID, "2023级计算机1班团支部")
			mustCode(t, "OrgByName under the wrong parent", err, app.ENotFound)
			_, err = tx.Org(999)
			mustCode(t, "Org(999)", err, app.ENotFound)
			return nil
		})
	})
	t.Run("Children: committees before branches; top level", func(t *testing.T) {
		read(t, s, func(tx app.Tx) error {
			kids, err := tx.Children(col.ID)
			if err != nil {
				return err
			}
			if len(kids) != 2 || kids[0].ID != zz.ID || kids[1].ID != br.ID || kids[1].FullName != "浙江明理大学团委/信息学院团委/2023级计算机1班团支部" {
				t.Errorf("Children(college) = %+v", kids)
			}
			top, err := tx.Children(0)
			if err != nil {
				return err
			}
			if len(top) != 2 || top[0].ID != root.ID || top[1].ID != other.ID || top[1].FullName != "北京燕园大学团委" {
				t.Errorf("Children(0) = %+v", top)
			}
			_, err = tx.Children(999)
			mustCode(t, "Children(999)", err, app.ENotFound)
			return nil
		})
	})
	t.Run("R-O3 FindOrgs by province", func(t *testing.T) {
		cases := []struct {
			text        string
			in, exclude []string
			under       string
			want        []string
		}{
			{"团委", nil, nil, "", []string{"浙江明理大学团委", "浙江明理大学团委/信息学院团委", "北京燕园大学团委"}},
			{"团委", []string{"北京"}, nil, "", []string{"北京燕园大学团委"}},
			{"团委", nil, app.SeparateProvinces, "", []string{"浙江明理大学团委", "浙江明理大学团委/信息学院团委"}},
			{"计算机", nil, nil, "", []string{"浙江明理大学团委/信息学院团委/2023级计算机1班团支部", "浙江明理大学团委/信息学院团委/计算机系团总支"}},
			{"", []string{"北京"}, nil, "", []string{"北京燕园大学团委"}},
			{"不存在", nil, nil, "", nil},
			{"", nil, nil, col.Path, []string{"浙江明理大学团委/信息学院团委", "浙江明理大学团委/信息学院团委/2023级计算机1班团支部", "浙江明理大学团委/信息学院团委/计算机系团总支"}},
			{"团委", nil, nil, "/1/", []string{"浙江明理大学团委", "浙江明理大学团委/信息学院团委"}},
			{"团委", []string{"北京"}, nil, "/1/", nil},
		}
		for _, c := range cases {
			var got []string
			read(t, s, func(tx app.Tx) error {
				os, err := tx.FindOrgs(app.OrgFilter{Text: c.text, Provinces: c.in, Exclude: c.exclude, UnderPath: c.under})
				for _, o := range os {
					got = append(got, o.FullName)
				}
				return err
			})
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("FindOrgs(%q, %v, %v, %q) = %q, want %q", c.text, c.in, c.exclude, c.under, got, c.want)
			}
		}
		var limited []app.Org
		read(t, s, func(tx app.Tx) (err error) {
			limited, err = tx.FindOrgs(app.OrgFilter{Text: "团", Limit: 2})
			return err
		})
		if len(limited) != 2 {
			t.Errorf("FindOrgs limit 2 gave %d", len(limited))
		}
	})
	t.Run("UpdateOrg and DeleteOrg", func(t *testing.T) {
		err := s.Write(context.Background(), func(tx app.Tx) error {
			o := zz
			o.Name = "2023级计算机1班团支部"
			return tx.UpdateOrg(o)
		})
		mustCode(t, "UpdateOrg to a sibling's name", err, app.EConflict)
		write(t, s, func(tx app.Tx) error {
			o := zz
			o.Name, o.GradMonth, o.Remark = "软件系团总支", "2027-06", "备注"
			return tx.UpdateOrg(o)
		})
		read(t, s, func(tx app.Tx) error {
			o, err := tx.Org(zz.ID)
			if err != nil || o.Name != "软件系团总支" || o.GradMonth != "2027-06" || o.Remark != "备注" || o.Kind != app.KindGeneralBranch {
				t.Errorf("updated org = %+v, %v", o, err)
			}
			return nil
		})
		err = s.Write(context.Background(), func(tx app.Tx) error { return tx.UpdateOrg(app.Org{ID: 999, Name: "x"}) })
		mustCode(t, "UpdateOrg(999)", err, app.ENotFound)
		write(t, s, func(tx app.Tx) error { return tx.DeleteOrg(zz.ID) })
		err = s.Write(context.Background(), func(tx app.Tx) error { return tx.DeleteOrg(zz.ID) })
		mustCode(t, "DeleteOrg twice", err, app.ENotFound)
		// R-O4 at the store level: an org with members cannot be deleted.
		write(t, s, func(tx app.Tx) error {
			addMember(t, tx, newMember(br.ID, "王小红", idOf(t, "33010220050315002"), ""))
			return nil
		})
		err = s.Write(context.Background(), func(tx app.Tx) error { return tx.DeleteOrg(br.ID) })
		mustCode(t, "DeleteOrg of a branch with a member", err, app.EConflict)
		noProblems(t, s)
	})
}

// R-M1, R-X1, R-X3: members are unique by 身份证号 and by 团员编号; all fields
// round-trip; searches use prefixes.
func TestMembers(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	_, branchA, branchB := populate(t, s)
	full := app.Member{
		OrgID: branchB.ID, Name: "张三", IDNo: "31010420050909002X", Ethnicity: "畲族", Political: "中共预备党员",
		Education: "普通本科在读", JoinMonth: "2019-10", IsCadre: true, Phone: "13912345678", Weibo: "张三的微博", QQ: "123456",
		Email: "zs@qq.com", MemberNo: "201900000005", Post: "书记", PostSince: "2024-10", CadreNature: "兼职",
		PartyCommittee: true, DevelopedOn: "2019-10-01", Status: app.StatusActive, CreatedAt: testNow, UpdatedAt: testNow.Add(time.Hour),
	}
	write(t, s, func(tx app.Tx) error { addMember(t, tx, full); return nil })

	t.Run("round trip", func(t *testing.T) {
		var byID, byNo app.Member
		read(t, s, func(tx app.Tx) (err error) {
			if byID, err = tx.Member(full.IDNo); err != nil {
				return err
			}
			byNo, err = tx.MemberByNo("201900000005")
			return err
		})
		want := full
		want.ID, want.OrgName = 4, "浙江明理大学团委/2023级经济学1班团支部"
		if !byID.CreatedAt.Equal(want.CreatedAt) || !byID.UpdatedAt.Equal(want.UpdatedAt) {
			t.Errorf("times %v %v, want %v %v", byID.CreatedAt, byID.UpdatedAt, want.CreatedAt, want.UpdatedAt)
		}
		byID.CreatedAt, byID.UpdatedAt, want.CreatedAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		byNo.CreatedAt, byNo.UpdatedAt = time.Time{}, time.Time{}
		if byID != want {
			t.Errorf("Member =\n%+v\nwant\n%+v", byID, want)
		}
		if byNo != byID {
			t.Errorf("MemberByNo = %+v", byNo)
		}
	})
	refusals := []struct {
		name string
		m    app.Member
		code app.Code
	}{
		{"R-X3 duplicate 身份证号", newMember(branchA.ID, "王晓红", idOf(t, "33010220050315002"), ""), app.EConflict},
		{"R-X1 duplicate 团员编号", newMember(branchA.ID, "赵六", idOf(t, "44030420060101001"), "201900000001"), app.EConflict},
		{"missing org", newMember(999, "赵六", idOf(t, "44030420060101001"), ""), app.EConflict},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Write(ctx, func(tx app.Tx) error { m := tc.m; return tx.InsertMember(&m) })
			mustCode(t, "InsertMember", err, tc.code)
		})
	}
	t.Run("empty 团员编号 is not a duplicate", func(t *testing.T) {
		write(t, s, func(tx app.Tx) error {
			addMember(t, tx, newMember(branchB.ID, "赵六", idOf(t, "44030420060101001"), ""))
			m, err := tx.MemberByNo("")
			if !app.IsNotFound(err) {
				t.Errorf("MemberByNo(\"\") = %+v, %v; want ENotFound", m, err)
			}
			return nil
		})
	})
	t.Run("UpdateMember", func(t *testing.T) {
		err := s.Write(ctx, func(tx app.Tx) error {
			m, err := tx.Member(idOf(t, "33010220050315003"))
			if err != nil {
				return err
			}
			m.MemberNo = "201900000001"
			return tx.UpdateMember(m)
		})
		mustCode(t, "UpdateMember to a used 团员编号", err, app.EConflict)
		err = s.Write(ctx, func(tx app.Tx) error {
			return tx.UpdateMember(newMember(branchA.ID, "无此人", idOf(t, "32010220040404004"), ""))
		})
		mustCode(t, "UpdateMember of a missing member", err, app.ENotFound)
		// R-M1: UpdateMember never changes 姓名.
		write(t, s, func(tx app.Tx) error {
			m, err := tx.Member(idOf(t, "33010220050315003"))
			if err != nil {
				return err
			}
			m.Name, m.MemberNo = "改名", ""
			return tx.UpdateMember(m)
		})
		read(t, s, func(tx app.Tx) error {
			m, err := tx.Member(idOf(t, "33010220050315003"))
			if err != nil || m.Name != "王大明" || m.MemberNo != "" {
				t.Errorf("member after update = %+v, %v; want 王大明 without 团员编号", m, err)
			}
			return nil
		})
	})
	t.Run("searches", func(t *testing.T) {
		cases := []struct {
			q    app.MemberQuery
			want string
		}{
			{app.MemberQuery{}, "王小红,王大明,李四,张三,赵六"},
			{app.MemberQuery{Text: "王"}, "王大明,王小红"},
			{app.MemberQuery{Text: "3301022005"}, "王小红,王大明"},
			{app.MemberQuery{Text: "31010420050909002x"}, "张三"},
			{app.MemberQuery{Text: "2019000000"}, "王小红,张三"},
			{app.MemberQuery{OrgID: branchB.ID}, "李四,张三,赵六"},
			{app.MemberQuery{OrgID: branchB.ID, Text: "张"}, "张三"},
			{app.MemberQuery{Limit: 2}, "王小红,王大明"},
			{app.MemberQuery{Text: "王", Limit: 1}, "王大明"},
			{app.MemberQuery{Limit: 2, Offset: 3}, "张三,赵六"},
			{app.MemberQuery{Offset: 4}, "赵六"},
			{app.MemberQuery{Text: "%"}, ""},
		}
		for _, c := range cases {
			var names []string
			var n int
			read(t, s, func(tx app.Tx) error {
				if err := tx.Members(c.q, func(m app.Member) error { names = append(names, m.Name); return nil }); err != nil {
					return err
				}
				var err error
				n, err = tx.CountMembers(c.q)
				return err
			})
			if strings.Join(names, ",") != c.want {
				t.Errorf("Members(%+v) = %v, want %s", c.q, names, c.want)
			}
			if c.q.Limit == 0 && c.q.Offset == 0 && n != len(names) {
				t.Errorf("CountMembers(%+v) = %d, listed %d", c.q, n, len(names))
			}
		}
		err := s.Read(ctx, func(tx app.Tx) error {
			return tx.Members(app.MemberQuery{OrgID: 999}, func(app.Member) error { return nil })
		})
		mustCode(t, "Members of a missing org", err, app.ENotFound)
	})
	noProblems(t, s)
}

func TestAccountsAdminsCadresSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	root, _, _ := populate(t, s)
	const id = "330106198805120015"

	t.Run("R-A1 account round trip", func(t *testing.T) {
		write(t, s, func(tx app.Tx) error {
			a, err := tx.Account(id)
			if err != nil {
				return err
			}
			a.PassHash, a.MustChange, a.Failed, a.LockedUntil = "$argon2id$new", false, 5, testNow.Add(time.Minute)
			a.Name = "不会被改" // UpdateAccount stores the password and sign-in state only
			return tx.UpdateAccount(a)
		})
		read(t, s, func(tx app.Tx) error {
			a, err := tx.Account(id)
			if err != nil || a.Name != "周明远" || a.PassHash != "$argon2id$new" || a.MustChange || a.Failed != 5 ||
				!a.LockedUntil.Equal(testNow.Add(time.Minute)) || !a.CreatedAt.Equal(testNow) {
				t.Errorf("account = %+v, %v", a, err)
			}
			return nil
		})
		write(t, s, func(tx app.Tx) error {
			a, _ := tx.Account(id)
			a.LockedUntil = time.Time{}
			return tx.UpdateAccount(a)
		})
		read(t, s, func(tx app.Tx) error {
			a, _ := tx.Account(id)
			if !a.LockedUntil.IsZero() {
				t.Errorf("LockedUntil = %v, want zero", a.LockedUntil)
			}
			return nil
		})
		err := s.Write(ctx, func(tx app.Tx) error {
			return tx.InsertAccount(app.Account{IDNo: id, Name: "x", PassHash: "y", CreatedAt: testNow})
		})
		mustCode(t, "duplicate account", err, app.EConflict)
		err = s.Write(ctx, func(tx app.Tx) error { return tx.UpdateAccount(app.Account{IDNo: "11010519491231002X"}) })
		mustCode(t, "UpdateAccount missing", err, app.ENotFound)
		err = s.Read(ctx, func(tx app.Tx) error { _, err := tx.Account("11010519491231002X"); return err })
		mustCode(t, "Account missing", err, app.ENotFound)
	})
	t.Run("R-A2 R-A3 cadres and admins", func(t *testing.T) {
		write(t, s, func(tx app.Tx) error {
			c := app.Cadre{OrgID: root.ID, IDNo: id, Name: "周明远", Post: "书记", Nature: "专职", Since: testNow}
			if err := tx.InsertCadre(&c); err != nil {
				return err
			}
			if c.ID == 0 {
				t.Error("InsertCadre did not set the ID")
			}
			return tx.InsertAdmin(root.ID, id, testNow)
		})
		err := s.Write(ctx, func(tx app.Tx) error { return tx.InsertAdmin(root.ID, id, testNow) })
		mustCode(t, "admin twice", err, app.EConflict)
		err = s.Write(ctx, func(tx app.Tx) error { return tx.InsertAdmin(root.ID, "11010519491231002X", testNow) })
		mustCode(t, "admin without account", err, app.EConflict)
		read(t, s, func(tx app.Tx) error {
			cs, err := tx.Cadres(root.ID)
			if err != nil || len(cs) != 1 || cs[0].Name != "周明远" || cs[0].Post != "书记" || !cs[0].Since.Equal(testNow) {
				t.Errorf("Cadres = %+v, %v", cs, err)
			}
			as, err := tx.Admins(root.ID)
			if err != nil || len(as) != 1 || as[0].IDNo != id || as[0].Name != "周明远" || !as[0].GrantedAt.Equal(testNow) {
				t.Errorf("Admins = %+v, %v", as, err)
			}
			orgs, err := tx.AdminOrgs(id)
			if err != nil || len(orgs) != 1 || orgs[0].ID != root.ID || orgs[0].FullName != "浙江明理大学团委" || orgs[0].Path != "/1/" {
				t.Errorf("AdminOrgs = %+v, %v", orgs, err)
			}
			none, err := tx.AdminOrgs("11010519491231002X")
			if err != nil || len(none) != 0 {
				t.Errorf("AdminOrgs of a non-admin = %+v, %v", none, err)
			}
			return nil
		})
	})
	t.Run("settings", func(t *testing.T) {
		read(t, s, func(tx app.Tx) error {
			v, err := tx.Setting("missing")
			if err != nil || v != "" {
				t.Errorf("Setting(missing) = %q, %v", v, err)
			}
			return nil
		})
		write(t, s, func(tx app.Tx) error { return tx.SetSetting("root_org", "1") })
		write(t, s, func(tx app.Tx) error { return tx.SetSetting("root_org", "7") })
		read(t, s, func(tx app.Tx) error {
			if v, _ := tx.Setting("root_org"); v != "7" {
				t.Errorf("Setting(root_org) = %q, want 7", v)
			}
			return nil
		})
	})
	t.Run("Read transactions cannot write", func(t *testing.T) {
		err := s.Read(ctx, func(tx app.Tx) error { return tx.SetSetting("sneaky", "1") })
		if err == nil {
			t.Fatal("SetSetting in a Read transaction succeeded")
		}
		read(t, s, func(tx app.Tx) error {
			if v, _ := tx.Setting("sneaky"); v != "" {
				t.Errorf("sneaky setting = %q", v)
			}
			return nil
		})
	})
	t.Run("Write rolls back on error", func(t *testing.T) {
		boom := errors.New("boom")
		err := s.Write(ctx, func(tx app.Tx) error {
			if err := tx.SetSetting("half", "1"); err != nil {
				return err
			}
			addOrg(t, tx, root.ID, "半途团支部", app.KindBranch)
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Write = %v, want boom", err)
		}
		read(t, s, func(tx app.Tx) error {
			if v, _ := tx.Setting("half"); v != "" {
				t.Errorf("setting of a rolled-back Write = %q", v)
			}
			if _, err := tx.OrgByName(root.ID, "半途团支部"); !app.IsNotFound(err) {
				t.Errorf("org of a rolled-back Write: %v", err)
			}
			return nil
		})
	})
}

// Member listings show each member's organization path (R-O1); a rename
// shows at once, and a rolled-back rename never does.
func TestMemberOrgNamesFollowRenames_R_O1(t *testing.T) {
	ctx := context.Background()
	s, loc := openTest(t)
	_, branchA, _ := populate(t, s)
	names := func(t *testing.T, tx app.Tx) []string {
		t.Helper()
		var out []string
		err := tx.Members(app.MemberQuery{OrgID: branchA.ID}, func(m app.Member) error { out = append(out, m.OrgName); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	list := func(t *testing.T) []string {
		t.Helper()
		var out []string
		read(t, s, func(tx app.Tx) error { out = names(t, tx); return nil })
		return out
	}
	const oldName = "浙江明理大学团委/信息学院团委/2023级计算机1班团支部"
	const newName = "浙江明理大学团委/信息工程学院团委/2023级计算机1班团支部"
	if got := list(t); fmt.Sprint(got) != fmt.Sprint([]string{oldName, oldName}) {
		t.Fatalf("org names = %q", got)
	}
	rename := func(tx app.Tx, name string) error {
		col, err := tx.Org(branchA.ParentID)
		if err != nil {
			return err
		}
		col.Name = name
		return tx.UpdateOrg(col)
	}
	t.Run("rolled-back rename", func(t *testing.T) {
		err := s.Write(ctx, func(tx app.Tx) error {
			if err := rename(tx, "信息工程学院团委"); err != nil {
				return err
			}
			if got := names(t, tx); fmt.Sprint(got) != fmt.Sprint([]string{newName, newName}) {
				t.Errorf("inside the transaction: %q, want the new name", got)
			}
			return errors.New("roll back")
		})
		if err == nil {
			t.Fatal("Write returned nil")
		}
		if got := list(t); fmt.Sprint(got) != fmt.Sprint([]string{oldName, oldName}) {
			t.Errorf("after rollback: %q, want the old name", got)
		}
	})
	t.Run("committed rename", func(t *testing.T) {
		write(t, s, func(tx app.Tx) error { return rename(tx, "信息工程学院团委") })
		if got := list(t); fmt.Sprint(got) != fmt.Sprint([]string{newName, newName}) {
			t.Errorf("after rename: %q, want the new name", got)
		}
		var m app.Member
		read(t, s, func(tx app.Tx) (err error) { m, err = tx.Member(idOf(t, "33010220050315002")); return err })
		if m.OrgName != newName {
			t.Errorf("Member().OrgName = %q, want %q", m.OrgName, newName)
		}
	})
	// Issue 14: another desk on the same store (another process on the
	// file, another computer on the server) renames it, as its use case
	// does, with an audit entry; this desk's cached names follow.
	t.Run("rename by another desk", func(t *testing.T) {
		s2, err := Open(loc)
		if err != nil {
			t.Fatalf("second desk: %v", err)
		}
		defer s2.Close()
		if got := list(t); fmt.Sprint(got) != fmt.Sprint([]string{newName, newName}) {
			t.Fatalf("before: %q", got)
		}
		if err := s2.Write(ctx, func(tx app.Tx) error {
			if err := rename(tx, "智能工程学院团委"); err != nil {
				return err
			}
			return tx.AppendAudit(app.AuditEntry{At: testNow, Actor: "李四", Action: "修改组织", Object: "智能工程学院团委"})
		}); err != nil {
			t.Fatal(err)
		}
		const otherName = "浙江明理大学团委/智能工程学院团委/2023级计算机1班团支部"
		if got := list(t); fmt.Sprint(got) != fmt.Sprint([]string{otherName, otherName}) {
			t.Errorf("after the other desk's rename: %q, want %q", got, otherName)
		}
	})
}

// TestMemberPage: a first page's size is written into the statement (with
// the LIMIT as a parameter PostgreSQL planned every search again, which
// cost more than the search); later pages keep LIMIT and OFFSET as
// parameters, so that paging makes no statement per page.
func TestMemberPage(t *testing.T) {
	cases := []struct {
		q    app.MemberQuery
		sql  string
		args []any
	}{
		{app.MemberQuery{}, "", nil},
		{app.MemberQuery{Limit: 50}, " LIMIT 50", nil},
		{app.MemberQuery{Limit: 50, Offset: 100}, " LIMIT ? OFFSET ?", []any{50, 100}},
		{app.MemberQuery{Offset: 4}, " LIMIT ? OFFSET ?", []any{-1, 4}},
	}
	for _, c := range cases {
		var args []any
		if got := memberPage(c.q, &args); got != c.sql || fmt.Sprint(args) != fmt.Sprint(c.args) {
			t.Errorf("memberPage(%+v) = %q %v, want %q %v", c.q, got, args, c.sql, c.args)
		}
	}
}
