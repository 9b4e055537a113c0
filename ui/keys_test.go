package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// press types key as the window gets it: KeyHook (main) hands it to
// HandleKey before the focused widget, and the widget gets what is left.
func press(u *UI, key fyne.KeyName) {
	c := u.Win.Canvas()
	e := &fyne.KeyEvent{Name: key}
	if u.HandleKey(c, e) {
		return
	}
	if f := c.Focused(); f != nil {
		f.TypedKey(e)
	} else if h := c.OnTypedKey(); h != nil {
		h(e)
	}
}

// TestEscAndEnterWhateverHasFocus_Issue11Item1: Esc closes every kind of
// dialog even while a text field has the focus (it used to go to the
// field); Enter submits a form dialog from a single-line field, adds a
// line in a multi-line one, closes a message and never says yes to a
// confirmation.
func TestEscAndEnterWhateverHasFocus_Issue11Item1(t *testing.T) {
	u := newTestUI(t)
	c := u.Win.Canvas()
	type result struct{ cancelled, submitted, confirmed bool }
	cases := []struct {
		name string
		key  fyne.KeyName
		// open shows the dialog, focuses what the case needs and returns
		// what the dialog reports.
		open  func(r *result) fyne.Focusable
		want  result
		open2 bool // the dialog stays open
	}{
		{"Esc in a focused entry closes the app's dialog", fyne.KeyEscape, func(r *result) fyne.Focusable {
			e := widget.NewEntry()
			var d dialog.Dialog
			ok := widget.NewButton("保存", func() { r.submitted = true; d.Hide() })
			ok.Importance = widget.HighImportance
			d = fitDialog(u.Win, "表单", 400, 200, scrollAbove(widget.NewForm(widget.NewFormItem("姓名", e)), container.NewHBox(widget.NewButton("取消", func() { d.Hide() }), ok)))
			d.SetOnClosed(func() { r.cancelled = !r.submitted })
			d.Show()
			return e
		}, result{cancelled: true}, false},
		{"Enter in a focused entry submits the form", fyne.KeyReturn, func(r *result) fyne.Focusable {
			e := widget.NewEntry()
			var d dialog.Dialog
			ok := widget.NewButton("保存", func() { r.submitted = true; d.Hide() })
			ok.Importance = widget.HighImportance
			d = fitDialog(u.Win, "表单", 400, 200, scrollAbove(widget.NewForm(widget.NewFormItem("姓名", e)), container.NewHBox(widget.NewButton("取消", func() { d.Hide() }), ok)))
			d.Show()
			return e
		}, result{submitted: true}, false},
		{"Enter in a multi-line entry adds a line", fyne.KeyReturn, func(r *result) fyne.Focusable {
			e := widget.NewMultiLineEntry()
			var d dialog.Dialog
			ok := widget.NewButton("退回", func() { r.submitted = true; d.Hide() })
			ok.Importance = widget.HighImportance
			d = fitDialog(u.Win, "退回", 400, 200, scrollAbove(e, ok))
			d.Show()
			return e
		}, result{}, true},
		{"Esc answers no to a confirmation", fyne.KeyEscape, func(r *result) fyne.Focusable {
			dialog.ShowConfirm("删除", "确定删除吗？", func(yes bool) { r.confirmed, r.cancelled = yes, !yes }, u.Win)
			return nil
		}, result{cancelled: true}, false},
		{"Enter does not say yes to a confirmation", fyne.KeyReturn, func(r *result) fyne.Focusable {
			dialog.ShowConfirm("删除", "确定删除吗？", func(yes bool) { r.confirmed = yes }, u.Win)
			return nil
		}, result{}, true},
		{"Esc closes a message", fyne.KeyEscape, func(r *result) fyne.Focusable {
			showInfo("完成", "已保存。", u.Win)
			return nil
		}, result{}, false},
		{"Enter closes a message", fyne.KeyReturn, func(r *result) fyne.Focusable {
			showInfo("完成", "已保存。", u.Win)
			return nil
		}, result{}, false},
		{"Esc in a focused entry cancels Fyne's form dialog", fyne.KeyEscape, func(r *result) fyne.Focusable {
			e := widget.NewEntry()
			dialog.ShowForm("修改组织名称", "保存", "取消", []*widget.FormItem{widget.NewFormItem("名称", e)}, func(ok bool) { r.submitted, r.cancelled = ok, !ok }, u.Win)
			return e
		}, result{cancelled: true}, false},
		{"Enter in a focused entry submits Fyne's form dialog", fyne.KeyReturn, func(r *result) fyne.Focusable {
			e := widget.NewEntry()
			dialog.ShowForm("修改组织名称", "保存", "取消", []*widget.FormItem{widget.NewFormItem("名称", e)}, func(ok bool) { r.submitted = ok }, u.Win)
			return e
		}, result{submitted: true}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			closeOverlays(c)
			var r result
			if f := tc.open(&r); f != nil {
				c.Focus(f)
				if c.Focused() != f {
					t.Fatal("the field did not take the focus")
				}
			}
			press(u, tc.key)
			if r != tc.want {
				t.Errorf("got %+v, want %+v", r, tc.want)
			}
			if open := c.Overlays().Top() != nil; open != tc.open2 {
				t.Errorf("dialog open after the key: %v, want %v", open, tc.open2)
			}
		})
	}
	closeOverlays(c)
}

// TestPagesAndKeys_Issue11Items1And7: 组织关系转接 and 操作日志 are pages of
// the main window (not windows that get lost behind it); F5 reloads the
// page on show; Esc and Ctrl+W (文件 → 关闭) go back page by page to the
// main screen; the menus show Ctrl+Q, Ctrl+W, Ctrl+F and F5.
func TestPagesAndKeys_Issue11Items1And7(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	closeOverlays(u.Win.Canvas()) // 操作中心
	mainContent := u.Win.Content()

	audit := showAudit(u, app.Org{})
	if u.topPage() == nil || u.Win.Content() == mainContent || !strings.Contains(u.Win.Title(), "操作日志") {
		t.Fatalf("操作日志 is not a page of the main window (title %q)", u.Win.Title())
	}
	before := len(audit.rows)
	if _, _, err := u.svc.AddOrg(context.Background(), u.sess, app.NewOrg{ParentID: u.sess.Top().ID, Name: "经济学院团委", Kind: app.KindCommittee}); err != nil {
		t.Fatal(err)
	}
	c := u.Win.Canvas()
	c.Focus(audit.person) // F5 works with a field focused, too
	press(u, fyne.KeyF5)
	if len(audit.rows) != before+1 {
		t.Errorf("F5: %d entries, want %d", len(audit.rows), before+1)
	}

	tc := showTransferCenter(u)
	if u.topPage() != tc.w {
		t.Fatal("组织关系转接 is not the page on show")
	}
	c.Focus(tc.search)
	press(u, fyne.KeyEscape) // back to 操作日志
	if u.topPage() != audit.w {
		t.Fatalf("Esc did not go back to 操作日志: %v", u.topPage())
	}
	if _, ok := openCenters[u]; ok {
		t.Error("组织关系转接 closed but still registered")
	}
	item := func(label string) *fyne.MenuItem {
		for _, m := range u.Win.MainMenu().Items {
			for _, it := range m.Items {
				if it.Label == label {
					return it
				}
			}
		}
		t.Fatalf("no menu item %q", label)
		return nil
	}
	item("关闭对话框或当前页面").Action() // Ctrl+W
	if u.topPage() != nil || u.Win.Content() != mainContent {
		t.Fatal("Ctrl+W did not go back to the main screen")
	}
	for label, want := range map[string]fyne.Shortcut{"退出": shortcutQuit, "关闭对话框或当前页面": shortcutClose, "查找团员": shortcutSearch, "刷新": shortcutRefresh} {
		if got := item(label).Shortcut; got != want {
			t.Errorf("%s: shortcut %v", label, got)
		}
	}
	// Ctrl+F from a page goes back to the main screen's search.
	showAudit(u, app.Org{})
	item("查找团员").Action()
	if u.topPage() != nil || c.Focused() != u.main.page.members.search {
		t.Errorf("Ctrl+F: page %v, focus %T", u.topPage(), c.Focused())
	}
}

// TestQuitAsksWhileFilling_Issue11Item1: Ctrl+Q with a form being filled
// asks first (继续填写 keeps it); with nothing open it quits.
func TestQuitAsksWhileFilling_Issue11Item1(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	closeOverlays(u.Win.Canvas())
	e := widget.NewEntry()
	d := fitDialog(u.Win, "表单", 400, 200, widget.NewForm(widget.NewFormItem("姓名", e)))
	d.Show()
	u.quit()
	if findButton(u.Win.Canvas(), "继续填写") == nil {
		t.Fatal("Ctrl+Q over a form did not ask")
	}
	test.Tap(findButton(u.Win.Canvas(), "继续填写"))
	if u.Win.Canvas().Overlays().Top() == nil {
		t.Fatal("继续填写 closed the form")
	}
}

var keyReturn = fyne.KeyEvent{Name: fyne.KeyReturn}
