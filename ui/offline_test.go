package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// newServerUI starts the window over srv, a test's own server.
func newServerUI(t *testing.T, srv *pgtest.Server) *UI {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("团务台")
	w.Resize(fyne.NewSize(1024, 700))
	u := New(a, w, opener(t), srv.URL)
	u.Sync = true
	u.Start()
	return u
}

// Issue 14, Proof (kill the server, and restart it), in the window: with
// the school server stopped, 保存 in the member form and 提交 in the
// transfer start form leave the form open with what was typed, show the
// Chinese “无法连接学校服务器” sentence, and the status line says once that
// the server is unreachable (no dialog); once the server is back, pressing
// 保存 (提交) again saves, and the status line is as before. A dialog
// that closes on its button (修改组织名称) offers 重试 with what was typed;
// the background sweep never pops up a dialog, it uses the status line.
func TestServerStoppedFormsKeepText_Issue14(t *testing.T) {
	if !pgtest.OnPG() {
		t.Skip("PostgreSQL run only: stops and restarts a server of its own")
	}
	srv := pgtest.NewServer(t)
	u := newServerUI(t, srv)
	college, branch := initStore(t, u)
	other, _, err := u.svc.AddOrg(u.ctx, mustSess(t, u), app.NewOrg{ParentID: college.ID, Name: "2021级本科1班团支部", Kind: app.KindBranch})
	if err != nil {
		t.Fatal(err)
	}
	// Sign-in with the server down keeps the password typed.
	u.showLogin(adminID, "")
	test.Type(u.login.password, adminPW)
	srv.Stop(t)
	test.Tap(u.login.login)
	if u.main != nil || !strings.HasPrefix(u.login.msg.Text, "无法连接学校服务器") || u.login.password.Text != adminPW {
		t.Fatalf("sign-in with the server stopped: message %q, password kept %v", u.login.msg.Text, u.login.password.Text == adminPW)
	}
	srv.Start(t)
	test.Tap(u.login.login)
	if u.main == nil {
		t.Fatalf("sign-in after the restart: %q", u.login.msg.Text)
	}
	statusBefore := u.main.status.Text

	// The member form.
	m := u.main
	m.tree.selectOrg(branch)
	m.page.focusSearch()
	v := m.page.members
	test.Tap(v.add)
	f := v.form
	test.Type(f.name, "李四")
	test.Type(f.id, validID)
	f.joinMonth.SetText("1964-05")
	shown := overlays(u) // the form on top
	srv.Stop(t)
	test.Tap(f.save)
	if !strings.HasPrefix(f.msg.Text, "无法连接学校服务器") || !strings.Contains(f.msg.Text, "已保留") {
		t.Fatalf("save with the server stopped: message %q", f.msg.Text)
	}
	if overlays(u) != shown || f.name.Text != "李四" || f.id.Text != validID || f.joinMonth.Text != "1964-05" {
		t.Fatalf("the form closed or lost its text: %d overlays, %q %q %q", overlays(u), f.name.Text, f.id.Text, f.joinMonth.Text)
	}
	if !u.serverDownShown() || !strings.Contains(u.main.status.Text, statusBefore) {
		t.Fatalf("status line with the server stopped: %q", u.main.status.Text)
	}
	test.Tap(f.save) // still down: the same sentence, no dialog
	if !strings.HasPrefix(f.msg.Text, "无法连接学校服务器") || overlays(u) != shown {
		t.Fatalf("second save with the server stopped: %q", f.msg.Text)
	}
	srv.Start(t)
	test.Tap(f.save)
	if f.msg.Text != "" || overlays(u) != shown-1 {
		t.Fatalf("save after the restart: message %q, %d overlays", f.msg.Text, overlays(u))
	}
	if v.total != 1 {
		t.Fatalf("%d members listed after the save, want 1 (%q)", v.total, v.count.Text)
	}
	if u.serverDownShown() || u.main.status.Text != statusBefore {
		t.Fatalf("status line after the restart: %q, want %q", u.main.status.Text, statusBefore)
	}

	// The transfer start form.
	mem, ok := v.row(0)
	if !ok {
		t.Fatal("no member listed")
	}
	tf := showStartTransfer(u, []app.Member{mem})
	fillStudy(t, tf.fields, "否", "2021级", other.Name)
	shown = overlays(u)
	srv.Stop(t)
	test.Tap(tf.submit)
	if !strings.HasPrefix(tf.msg.Text, "无法连接学校服务器") || overlays(u) != shown || tf.fields.unit.Text != "北京燕园科技大学" {
		t.Fatalf("transfer start with the server stopped: message %q, %d overlays, unit %q", tf.msg.Text, overlays(u), tf.fields.unit.Text)
	}
	if !u.serverDownShown() {
		t.Fatalf("status line with the server stopped: %q", u.main.status.Text)
	}
	srv.Start(t)
	test.Tap(tf.submit)
	if tf.msg.Text != "" || len(tf.result) != 1 {
		t.Fatalf("transfer start after the restart: message %q, %d transfers", tf.msg.Text, len(tf.result))
	}
	if u.serverDownShown() {
		t.Fatalf("status line after the restart: %q", u.main.status.Text)
	}
	if n := len(transfersIn(t, u)); n != 1 {
		t.Fatalf("%d transfers stored, want 1", n)
	}

	// A dialog that closes on its button (修改组织名称): 重试 saves what
	// was typed once the server is back.
	showRenameOrg(u.main, other)
	e := findEntry(u.Win.Canvas(), other.Name)
	if e == nil {
		t.Fatal("no 新名称 field")
	}
	e.SetText("2021级本科2班团支部")
	srv.Stop(t)
	u.retryDialog = nil
	test.Tap(findButton(u.Win.Canvas(), "保存"))
	if u.retryDialog == nil || !strings.Contains(strings.Join(shownTexts(u.Win.Canvas().Overlays().Top()), " "), "无法连接学校服务器") {
		t.Fatalf("rename with the server stopped: no 重试 offer (%v)", shownTexts(u.Win.Canvas().Overlays().Top()))
	}
	srv.Start(t)
	test.Tap(findButton(u.Win.Canvas(), "重试"))
	if o, err := u.svc.Org(u.ctx, u.sess, other.ID); err != nil || o.Name != "2021级本科2班团支部" {
		t.Fatalf("after 重试: %q, %v", o.Name, err)
	}
	if u.serverDownShown() {
		t.Fatalf("status line after the restart: %q", u.main.status.Text)
	}

	// The background sweep with the server down: no dialog, the status
	// line says it once, however many sweeps fail; the next sweep that
	// works clears it.
	shown = overlays(u)
	srv.Stop(t)
	u.sweep()
	u.sweep()
	if overlays(u) != shown || !u.serverDownShown() || strings.Count(u.main.status.Text, serverDownText) != 1 {
		t.Fatalf("sweeps with the server down: %d overlays (want %d), status %q", overlays(u), shown, u.main.status.Text)
	}
	srv.Start(t)
	u.sweep()
	if u.serverDownShown() || u.main.status.Text != statusBefore {
		t.Fatalf("status line after a sweep with the server back: %q", u.main.status.Text)
	}
}

// findEntry finds the entry holding text among the window's overlays.
func findEntry(c fyne.Canvas, text string) *widget.Entry {
	var found *widget.Entry
	for _, o := range c.Overlays().List() {
		walkRendered(o, func(o fyne.CanvasObject) bool {
			if e, ok := o.(*widget.Entry); ok {
				if found == nil && e.Text == text {
					found = e
				}
				return false
			}
			return found == nil
		})
	}
	return found
}

// overlays counts the dialogs and forms on show: a form whose save failed
// stays, and no error dialog comes over it.
func overlays(u *UI) int { return len(u.Win.Canvas().Overlays().List()) }

func mustSess(t *testing.T, u *UI) *app.Session {
	t.Helper()
	ss, err := u.svc.SignIn(u.ctx, adminID, adminPW)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}
