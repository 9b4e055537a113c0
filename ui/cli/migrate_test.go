package cli_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
	"tuanwu/ui/cli"
)

// migrateStore is main's MigrateStore.
func migrateStore(ctx context.Context, st app.Store, to string) (cli.MigrateResult, error) {
	rep, err := st.(*data.Store).MigrateTo(ctx, to)
	res := cli.MigrateResult{Target: rep.Target, Audit: rep.Audit}
	for _, t := range rep.Tables {
		res.Tables = append(res.Tables, cli.MigrateTable{Table: t.Table, Rows: t.Rows, Sum: t.Sum})
	}
	return res, err
}

// Issue 14, item 4: a desktop store moves up to an empty server database
// whole (counts, checksums and the audit chain verified), is used there by
// the same commands, refuses a second copy into a database that is no
// longer empty, and comes back down with backup --out as a file that opens
// offline with the same data.
func TestMigrateUpAndBackDown_Issue14Item4(t *testing.T) {
	pgtest.SQLiteOnly(t, "moves a desktop store file up to the server (the SQLite run does it, against the test server)")
	name := pgtest.NewDatabase(t) // skips without a test server
	h := initStore(t)
	mustOK(t, h.as(adminID, "org", "add", "--parent", rootName, "--name", "法学院团委", "--kind", "团委"))
	mustOK(t, h.as(adminID, "org", "add", "--parent", rootName+"/法学院团委", "--name", "2022级法学1班团支部", "--kind", "团支部"))
	mustOK(t, h.as(adminID, "member", "add", "--org", rootName+"/法学院团委/2022级法学1班团支部", "--name", "林晓", "--id", idWith("33010620040315001")))
	before := mustOK(t, h.as(adminID, "member", "list", "--org", rootName)).stdout
	server := pgtest.WithDatabase(name)

	r := mustOK(t, h.as(adminID, "migrate", "--to", server))
	o := obj(t, r.stdout)
	pw, _ := url.Parse(os.Getenv(pgtest.Env))
	secret, _ := pw.User.Password()
	if secret != "" && strings.Contains(r.stdout+r.stderr, secret) {
		t.Fatalf("migrate printed the server password: %s", r)
	}
	tables, _ := o["tables"].(map[string]any)
	if fmt.Sprint(tables["members"]) != "1" {
		t.Errorf("members copied = %v, want 1 (%s)", tables["members"], r.stdout)
	}
	if n, _ := strconv.Atoi(fmt.Sprint(o["audit_entries"])); n < 4 {
		t.Errorf("audit_entries = %v, want the whole trail", o["audit_entries"])
	}

	hs := &harness{t: t, db: server, env: h.env}
	mustOK(t, hs.as(adminID, "check"))
	if got := mustOK(t, hs.as(adminID, "member", "list", "--org", rootName)).stdout; got != before {
		t.Errorf("member list on the server:\n%s\nwant as on the file:\n%s", got, before)
	}
	msg := mustRefuse(t, h.as(adminID, "migrate", "--to", server))
	if !strings.Contains(msg, "只能迁入空数据库") {
		t.Errorf("second migrate: %q", msg)
	}

	out := filepath.Join(t.TempDir(), "带回本机.db")
	mustOK(t, hs.as(adminID, "backup", "--out", out))
	hf := &harness{t: t, db: out, env: h.env}
	mustOK(t, hf.as(adminID, "check"))
	if got := mustOK(t, hf.as(adminID, "member", "list", "--org", rootName)).stdout; got != before {
		t.Errorf("member list in the file brought back:\n%s\nwant:\n%s", got, before)
	}
}

// Issue 14, Proof (bad inputs): each bad server location is one Chinese
// sentence, exit 1, and the database is left as it was, whether it is
// opened (--db) or migrated into (migrate --to); no password is printed.
func TestServerBadInputs_Issue14(t *testing.T) {
	pgtest.SQLiteOnly(t, "migrates a desktop store file (the SQLite run does it, against the test server)")
	if !pgtest.Enabled() {
		t.Skipf("no PostgreSQL test server: set %s", pgtest.Env)
	}
	base, _ := url.Parse(os.Getenv(pgtest.Env))
	secret, _ := base.User.Password()
	with := func(db string, edit func(u *url.URL)) string {
		u := *base
		u.Path = "/" + db
		if edit != nil {
			edit(&u)
		}
		return u.String()
	}
	other := pgtest.NewDatabase(t)
	pgtest.ExecIn(t, other, "CREATE TABLE invoices (id int PRIMARY KEY, total numeric)")
	newer := pgtest.NewDatabase(t)
	st, err := data.Open(pgtest.WithDatabase(newer))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	pgtest.ExecIn(t, newer, "UPDATE tuanwu_schema SET version = 99")
	empty := pgtest.NewDatabase(t)
	for _, c := range []struct {
		name, loc, want string
		db              string // a database that must stay unchanged
		state           string // its tables as before
	}{
		{"wrong URL", "postgres://tuanwu@127.0.0.1:notaport/x", "地址", "", ""},
		{"unreachable host", with(empty, func(u *url.URL) { u.Host = "127.0.0.1:1" }), "无法连接学校服务器", empty, ""},
		{"wrong password", with(empty, func(u *url.URL) { u.User = url.UserPassword(u.User.Username(), "wrong-password") }), "用户名或密码不对", empty, ""},
		{"no such database", with("tw_nonexistent", nil), "没有名为“tw_nonexistent”的数据库", "", ""},
		{"no database in the address", with("", nil), "没有写数据库名", "", ""},
		{"another application's database", with(other, nil), "别的程序", other, "invoices"},
		{"newer schema", with(newer, nil), "更新版本的团务台", newer, ""},
		{"TLS required, server without TLS", with(empty, func(u *url.URL) { u.RawQuery = "sslmode=require" }), "TLS", empty, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var tablesBefore string
			if c.db != "" {
				tablesBefore = pgtest.QueryIn(t, c.db, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")
			}
			h := initStore(t)
			hs := &harness{t: t, db: c.loc, env: h.env}
			for _, r := range []result{hs.as(adminID, "check"), h.as(adminID, "migrate", "--to", c.loc)} {
				msg := mustRefuse(t, r)
				if !strings.Contains(msg, c.want) {
					t.Errorf("message %q lacks %q", msg, c.want)
				}
				if secret != "" && strings.Contains(msg, secret) {
					t.Errorf("message shows the password: %q", msg)
				}
			}
			if c.db != "" {
				if after := pgtest.QueryIn(t, c.db, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"); after != tablesBefore {
					t.Errorf("tables %q became %q", tablesBefore, after)
				}
			}
			if c.name == "newer schema" {
				if v := pgtest.QueryIn(t, newer, "SELECT CAST(version AS TEXT) FROM tuanwu_schema"); v != "99" {
					t.Errorf("schema version = %s, want 99 unchanged", v)
				}
			}
		})
	}
}

// Issue 14, item 1: TUANWU_DB names the store when --db is not given.
func TestDefaultDBFromEnvironment_Issue14(t *testing.T) {
	t.Setenv("TUANWU_DB", "postgres://tuanwu@db.example.edu.cn/tuanwu")
	if got := cli.DefaultDB(); got != "postgres://tuanwu@db.example.edu.cn/tuanwu" {
		t.Errorf("DefaultDB() = %q with TUANWU_DB set", got)
	}
	t.Setenv("TUANWU_DB", "")
	if got := cli.DefaultDB(); !strings.HasSuffix(got, filepath.Join("tuanwu", "tuanwu.db")) {
		t.Errorf("DefaultDB() = %q without TUANWU_DB", got)
	}
}
