package ui

import (
	"regexp"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"

	"tuanwu/app"
)

// shownTexts is every piece of text drawn by o (labels, buttons, selects'
// placeholders, entries' hints, table cells).
func shownTexts(o fyne.CanvasObject) []string {
	var out []string
	walkRendered(o, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if t, ok := o.(*canvas.Text); ok {
			out = append(out, t.Text)
			return false
		}
		return true
	})
	return out
}

// latin finds words of Latin letters; allowed are data and names a clerk
// knows (file types, QQ, A4).
var (
	latin       = regexp.MustCompile(`[A-Za-z]{2,}`)
	latinOK     = map[string]bool{"Excel": true, "PDF": true, "pdf": true, "xlsx": true, "QQ": true, "db": true, "Esc": true, "Ctrl": true, "Enter": true, "Tab": true, "Apache": true}
	latinMasked = regexp.MustCompile(`[0-9*]{6,}[0-9Xx]`)
	filePath    = regexp.MustCompile(`[A-Za-z]?:?[/\\][^\s）]*`)
)

func checkChinese(t *testing.T, where string, o fyne.CanvasObject) {
	t.Helper()
	for _, s := range shownTexts(o) {
		for _, w := range latin.FindAllString(filePath.ReplaceAllString(latinMasked.ReplaceAllString(s, ""), ""), -1) {
			if !latinOK[w] {
				t.Errorf("%s shows English %q in %q", where, w, s)
			}
		}
	}
}

// TestNoEnglishOnScreen walks the main window and the main dialogs and
// fails on any Latin-letter word that is not data; Fyne's own dialog
// buttons are Chinese whatever the system locale.
func TestNoEnglishOnScreen(t *testing.T) {
	u := demoUI(t)
	c := u.Win.Canvas()
	closeOverlays(c)
	for en, zh := range map[string]string{"Yes": "是", "No": "否", "OK": "确定", "Cancel": "取消", "Save": "保存", "Open": "打开"} {
		if got := lang.L(en); got != zh {
			t.Errorf("Fyne's %q shows as %q, want %q", en, got, zh)
		}
	}
	checkChinese(t, "主窗口", c.Content())
	m := u.main
	grads := graduates(t, u)
	branch, err := u.svc.Org(u.ctx, u.sess, grads[0].OrgID)
	if err != nil {
		t.Fatal(err)
	}
	open := map[string]func(){
		"办理转出":   func() { showStartTransfer(u, grads) },
		"新增团员":   func() { showMemberForm(m, branch, nil, nil) },
		"团员信息":   func() { showMemberForm(m, branch, &grads[0], nil) },
		"标记毕业时间": func() { showGradDialog(m, []app.Org{branch}, nil, nil) },
		"操作中心":   func() { showNotices(u) },
		"添加下级组织": func() { showAddOrg(m, branch) },
		"修改密码":   func() { showChangePassword(u, false, "", nil) },
		"办理转入":   func() { showPullTransfer(u, branch) },
	}
	for name, show := range open {
		show()
		checkChinese(t, name, c.Overlays().Top())
		closeOverlays(c)
	}
}
