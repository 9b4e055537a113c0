package ui

import (
	"database/sql"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// Issue 10 item 6: the window's 操作日志 says whether the audit chain is
// intact, and names the first broken entry when it is not.
func TestAuditWindowShowsChain_Issue10Item6(t *testing.T) {
	pgtest.SQLiteOnly(t, "tampers with the store file through SQLite; data's TestPGAuditTampering tampers with the server's tables")
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	v := showAudit(u, app.Org{})
	if !strings.Contains(v.chain.Text, "操作日志校验链完好") {
		t.Fatalf("chain label = %q, want it intact", v.chain.Text)
	}
	db, err := sql.Open("sqlite3", u.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("INSERT INTO audit (at, actor, action) VALUES ('2026-01-01T10:00:00+08:00', '330106199001010018', '删除组织')"); err != nil {
		t.Fatal(err)
	}
	v = showAudit(u, app.Org{})
	if !strings.Contains(v.chain.Text, "操作日志校验未通过") || !strings.Contains(v.chain.Text, "可能是伪造的记录") {
		t.Fatalf("chain label after a forged entry = %q", v.chain.Text)
	}
}
