package ui

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
)

const serverPW = "Pg-Secret-密码-2026"

// fillServerForm types the settings into the form.
func fillServerForm(f *serverForm, s serverSettings, pw string) {
	f.host.SetText(s.Host)
	f.port.SetText(s.Port)
	f.db.SetText(s.DB)
	f.user.SetText(s.User)
	f.tls.SetSelected(tlsLabel(s.TLS))
	f.ca.SetText(s.CA)
	f.pw.SetText(pw)
}

// preferencesHold reports whether any preference value contains s.
func preferencesHold(t *testing.T, u *UI, s string) bool {
	t.Helper()
	rv, ok := u.App.Preferences().(interface{ ReadValues(func(map[string]any)) })
	if !ok {
		t.Fatal("the test app's preferences cannot be listed")
	}
	found := false
	rv.ReadValues(func(m map[string]any) {
		for k, v := range m {
			if strings.Contains(k, s) || strings.Contains(fmt.Sprint(v), s) {
				found = true
			}
		}
	})
	return found
}

// Issue 14, window item 1: the form builds the server location for each
// TLS choice, never with the password, which goes to the driver apart;
// the preferences keep everything but the password.
func TestServerFormURL_Issue14(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "school-ca.crt")
	if err := os.WriteFile(ca, []byte("-----BEGIN CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := serverSettings{Host: "db.zjgsu.edu.cn", Port: "5432", DB: "tuanwu", User: "tw_app"}
	for _, tc := range []struct {
		name, tls, ca, want string
	}{
		{"不加密", "disable", "", "postgres://tw_app@db.zjgsu.edu.cn:5432/tuanwu?sslmode=disable"},
		{"加密", "require", "", "postgres://tw_app@db.zjgsu.edu.cn:5432/tuanwu?sslmode=require"},
		{"verify-full", "verify-full", ca, "postgres://tw_app@db.zjgsu.edu.cn:5432/tuanwu?sslmode=verify-full&sslrootcert=" + url.QueryEscape(ca)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := newTestUI(t)
			before := u.Path
			var gotLoc, gotPW string
			u.OpenServer = func(loc, pw string) (*app.Service, error) {
				gotLoc, gotPW = loc, pw
				return opener(t)(filepath.Join(t.TempDir(), "server-stand-in.db"))
			}
			f := showServerForm(u)
			s := base
			s.TLS, s.CA = tc.tls, tc.ca
			fillServerForm(f, s, serverPW)
			test.Tap(f.connect)
			if gotLoc != tc.want {
				t.Fatalf("location = %q, want %q (message %q)", gotLoc, tc.want, f.msg.Text)
			}
			if strings.Contains(gotLoc, serverPW) || strings.Contains(gotLoc, url.QueryEscape(serverPW)) || strings.Contains(gotLoc, "password") {
				t.Fatalf("the location holds the password: %q", gotLoc)
			}
			if gotPW != serverPW {
				t.Fatalf("password given to the driver = %q", gotPW)
			}
			if u.Path != tc.want || u.Path == before {
				t.Fatalf("the window's store = %q", u.Path)
			}
			if f.pw.Text != "" {
				t.Fatal("the password stays in the form after connecting")
			}
			if preferencesHold(t, u, serverPW) {
				t.Fatal("the preferences hold the password")
			}
			got := loadServerSettings(u.App.Preferences())
			if got != s {
				t.Fatalf("remembered %+v, want %+v", got, s)
			}
			if !u.App.Preferences().Bool(prefServerReconnect) {
				t.Fatal("the server is not remembered for the next start")
			}
			// Item 2: the status line names the server, not a file.
			if l := u.storeLabel("存储："); l != "学校服务器 db.zjgsu.edu.cn/tuanwu" {
				t.Fatalf("store label = %q", l)
			}
		})
	}
}

// Issue 14, window item 1: what the form refuses before connecting.
func TestServerFormRefusesIncomplete_Issue14(t *testing.T) {
	ok := serverSettings{Host: "10.1.2.3", Port: "5432", DB: "tuanwu", User: "tw", TLS: "require"}
	for _, tc := range []struct {
		name string
		edit func(*serverSettings)
		want string
	}{
		{"no host", func(s *serverSettings) { s.Host = " " }, "请填写服务器地址"},
		{"a URL for a host", func(s *serverSettings) { s.Host = "postgres://10.1.2.3" }, "只填主机名"},
		{"bad port", func(s *serverSettings) { s.Port = "70000" }, "端口"},
		{"no database", func(s *serverSettings) { s.DB = "" }, "数据库名"},
		{"no user", func(s *serverSettings) { s.User = "" }, "用户名"},
		{"verify-full without CA", func(s *serverSettings) { s.TLS = "verify-full" }, "CA 证书文件"},
		{"verify-full with a missing CA", func(s *serverSettings) { s.TLS, s.CA = "verify-full", "/nonexistent/ca.crt" }, "找不到 CA 证书文件"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := newTestUI(t)
			called := false
			u.OpenServer = func(string, string) (*app.Service, error) { called = true; return nil, errors.New("not reached") }
			f := showServerForm(u)
			s := ok
			tc.edit(&s)
			fillServerForm(f, s, serverPW)
			test.Tap(f.connect)
			if called || !strings.Contains(f.msg.Text, tc.want) {
				t.Fatalf("called=%v message %q, want %q", called, f.msg.Text, tc.want)
			}
		})
	}
}

// Issue 14, window item 3: an unreachable server shows the store's Chinese
// sentence in the form, and nothing else changes (the store in use, the
// screen, the remembered server).
func TestServerFormUnreachable_Issue14(t *testing.T) {
	u := newTestUI(t)
	u.OpenServer = func(loc, pw string) (*app.Service, error) {
		st, err := data.OpenWithPassword(loc, pw)
		if err != nil {
			return nil, err
		}
		return app.NewService(st), nil
	}
	before, svc, content := u.Path, u.svc, u.Win.Content()
	f := showServerForm(u)
	// Port 1 on this machine: nothing listens there, the refusal is immediate.
	fillServerForm(f, serverSettings{Host: "127.0.0.1", Port: "1", DB: "tuanwu", User: "tw", TLS: "disable"}, serverPW)
	test.Tap(f.connect)
	want := "无法连接学校服务器 127.0.0.1:1。请检查网络和服务器地址，或联系信息中心确认服务器已开启；程序没有做任何改动。"
	if f.msg.Text != want {
		t.Fatalf("message %q, want %q", f.msg.Text, want)
	}
	if u.Path != before || u.svc != svc || u.Win.Content() != content {
		t.Fatal("a refused connection changed the window's store or screen")
	}
	if p := u.App.Preferences(); p.String(prefServerHost) != "" || p.Bool(prefServerReconnect) {
		t.Fatal("a refused connection was remembered")
	}
	if preferencesHold(t, u, serverPW) || f.pw.Text != serverPW {
		t.Fatal("the password was stored, or the typed one lost")
	}
}

// Issue 14, window item 2: on a server store, 文件 → 备份 explains the
// server's backups and offers the offline copy; the list of backups and
// restore are not offered.
func TestServerStoreBackupMenu_Issue14(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	u.Path = "postgres://tw@db.zjgsu.edu.cn:5432/tuanwu?sslmode=require" // as the server form sets it
	u.setMenu()
	var file []string
	for _, it := range u.Win.MainMenu().Items[0].Items {
		file = append(file, it.Label)
		if it.Label == "备份…" || it.Label == backupsMenu || it.Label == restoreMenu {
			u.serverBackup = nil
			it.Action()
			if u.serverBackup == nil {
				t.Fatalf("%s on a server store does not explain the server's backups", it.Label)
			}
			u.serverBackup.Hide()
		}
	}
	if !strings.Contains(strings.Join(file, "|"), connectServerMenu) {
		t.Fatalf("文件 menu %v lacks %s", file, connectServerMenu)
	}
	for _, w := range []string{"pg_dump", "tuanwu backup --out", "离线"} {
		if !strings.Contains(serverBackupText, w) {
			t.Fatalf("the backup note lacks %q", w)
		}
	}
	u.showMain(u.sess)
	if !strings.Contains(u.main.status.Text, "学校服务器 db.zjgsu.edu.cn/tuanwu") || strings.Contains(u.main.status.Text, "postgres://") {
		t.Fatalf("status line %q", u.main.status.Text)
	}
}

// Issue 14: a later start with a remembered server asks only for its password.
func TestReconnectAtStart_Issue14(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("团务台")
	p := a.Preferences()
	serverSettings{Host: "127.0.0.1", Port: "1", DB: "tuanwu", User: "tw", TLS: "disable"}.save(p)
	p.SetBool(prefServerReconnect, true)
	u := New(a, w, opener(t), filepath.Join(t.TempDir(), "t.db"))
	u.Sync, u.OfferServer = true, true
	var gotLoc, gotPW string
	u.OpenServer = func(loc, pw string) (*app.Service, error) {
		gotLoc, gotPW = loc, pw
		return nil, app.Errorf(app.EStore, "学校服务器 127.0.0.1:1 拒绝了登录：数据库用户名或密码不对（或本机不允许连接）。请向信息中心核对用户名和密码。")
	}
	u.Start()
	if u.reconnect == nil || u.svc != nil {
		t.Fatal("the start did not offer the remembered server")
	}
	u.reconnect.pw.SetText(serverPW)
	test.Tap(u.reconnect.connect)
	if gotLoc != "postgres://tw@127.0.0.1:1/tuanwu?sslmode=disable" || gotPW != serverPW {
		t.Fatalf("opened %q with %q", gotLoc, gotPW)
	}
	if !strings.Contains(u.reconnect.msg.Text, "拒绝了登录") {
		t.Fatalf("message %q", u.reconnect.msg.Text)
	}
	// 改用本机数据文件: the file store, and no offer at the next start.
	test.Tap(findButton(w.Canvas(), "改用本机数据文件"))
	if u.svc == nil || u.setup == nil || p.Bool(prefServerReconnect) {
		t.Fatal("改用本机数据文件 did not open the file store")
	}
}

// Issue 14: with a test server, the form connects to it and an account
// signs in; a wrong password is refused with the store's sentence.
func TestServerFormConnectsAndSignsIn_Issue14(t *testing.T) {
	name := pgtest.NewDatabase(t) // skips without TUANWU_TEST_PG
	srv, err := url.Parse(os.Getenv(pgtest.Env))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := srv.User.Password()
	t.Setenv("PGPASSWORD", "") // the password must come from the form
	u := newTestUI(t)
	before := u.Path // a file, or in the PostgreSQL run another server database
	u.OpenServer = func(loc, password string) (*app.Service, error) {
		st, err := data.OpenWithPassword(loc, password)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { st.Close() })
		svc := app.NewService(st)
		svc.Now = func() time.Time { return testNow }
		return svc, nil
	}
	s := serverSettings{Host: srv.Hostname(), Port: srv.Port(), DB: name, User: srv.User.Username(), TLS: "disable"}
	f := showServerForm(u)
	fillServerForm(f, s, "wrong-"+pw)
	test.Tap(f.connect)
	if !strings.Contains(f.msg.Text, "拒绝了登录") || u.Path != before {
		t.Fatalf("wrong password: message %q, store %q", f.msg.Text, u.Path)
	}
	f.pw.SetText(pw)
	test.Tap(f.connect)
	if !isServerLoc(u.Path) || u.Path == before || u.setup == nil {
		t.Fatalf("not connected: message %q", f.msg.Text)
	}
	if preferencesHold(t, u, pw) {
		t.Fatal("the preferences hold the server's password")
	}
	initStore(t, u)
	u.showLogin("", "")
	signIn(t, u)
	if u.main == nil || !strings.Contains(u.main.status.Text, "学校服务器 "+srv.Hostname()+"/"+name) {
		t.Fatal("not signed in on the server store")
	}
}
