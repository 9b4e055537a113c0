package cli_test

import (
	"database/sql"
	"strings"
	"testing"
	"tuanwu/data/pgtest"
)

// tamperDB runs SQL on the store file as the sqlite3 shell would.
func tamperDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Issue 10 item 6: check verifies the audit chain and names the first
// broken entry: a forged INSERT, a deleted entry behind dropped triggers,
// entries re-created with other content, the audit table dropped.
func TestCheckAuditChain_Issue10Item6(t *testing.T) {
	pgtest.SQLiteOnly(t, "tampers with the store file through SQLite; data's TestPGAuditTampering tampers with the server's tables")
	cases := []struct {
		name   string
		stmts  []string
		broken int64 // the first broken entry; 0: not an entry
		want   string
	}{
		{"forged insert", []string{"INSERT INTO audit (at, actor, action, object) VALUES ('2025-06-01T10:00:00+08:00', '330106198805120015', '删除组织', '信息学院团委')"},
			-1, "没有团务台的封存校验值"},
		{"deleted entry, triggers dropped", []string{"DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE id = 2"},
			3, "操作日志第 3 条之前缺少第 2 条"},
		{"re-created entries, triggers dropped", []string{"DROP TRIGGER audit_no_delete", "DROP TRIGGER audit_no_update",
			"CREATE TEMP TABLE k AS SELECT * FROM audit WHERE id >= 2", "DELETE FROM audit WHERE id >= 2",
			"INSERT INTO audit SELECT id, at, actor, action, '南京金陵大学团委', org_id, member, before, after FROM temp.k"},
			2, "操作日志第 2 条与校验值不符"},
		{"audit table dropped", []string{"DROP TABLE audit"}, 0, "操作日志表（audit）不存在"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := initStore(t)
			buildTree(t, h)
			ok := obj(t, mustOK(t, h.as(adminID, "check")).stdout)
			audit, _ := ok["audit"].(map[string]any)
			if ok["ok"] != true || audit["intact"] != true || num(audit, "entries") < 3 {
				t.Fatalf("check before tampering: %v", ok)
			}
			entries := num(audit, "entries")
			tamperDB(t, h.db, c.stmts...)
			r := h.as(adminID, "check")
			if r.code != 1 || !strings.Contains(r.stderr, "检查发现") {
				t.Fatalf("check after %s: %s", c.name, r)
			}
			out := obj(t, r.stdout)
			if !strings.Contains(strings.Join(strs(out["problems"]), "\n"), c.want) {
				t.Errorf("problems %v, want one saying %q", out["problems"], c.want)
			}
			broken := c.broken
			if broken == -1 {
				broken = entries + 1 // the forged entry is the last
			}
			if a, _ := out["audit"].(map[string]any); a["intact"] != false || num(a, "first_broken") != broken {
				t.Errorf("audit %v, want broken at %d", out["audit"], broken)
			}
			txt := h.run("check", "--as", adminID)
			if txt.code != 1 || !strings.Contains(txt.stdout, c.want) {
				t.Errorf("check text: %s", txt)
			}
		})
	}
}

func strs(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
