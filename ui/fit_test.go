package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// closeOverlays hides every dialog shown on the window.
func closeOverlays(c fyne.Canvas) {
	for c.Overlays().Top() != nil {
		c.Overlays().Remove(c.Overlays().Top())
	}
}

// visibleButtons lists the buttons of o that are not inside a scroll (a
// button inside a scroll may legitimately be scrolled out of view).
func visibleButtons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	walkRendered(o, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		switch v := o.(type) {
		case *container.Scroll:
			return false
		case *widget.Button:
			out = append(out, v)
			return false
		}
		return true
	})
	return out
}

// checkFits fails unless the window's top dialog lies inside the canvas
// with all its buttons visible, and Esc closes it.
func checkFits(t *testing.T, w fyne.Window, name string, wantButtons ...string) {
	t.Helper()
	c := w.Canvas()
	top := c.Overlays().Top()
	if top == nil {
		t.Fatalf("%s: no dialog shown", name)
	}
	cs := c.Size()
	drv := fyne.CurrentApp().Driver()
	buttons := visibleButtons(top)
	texts := map[string]bool{}
	for _, b := range buttons {
		p := drv.AbsolutePositionForObject(b)
		s := b.Size()
		if p.X < 0 || p.Y < 0 || p.X+s.Width > cs.Width+0.5 || p.Y+s.Height > cs.Height+0.5 || s.Height == 0 {
			t.Errorf("%s: button %q at %v size %v is outside the %v window", name, b.Text, p, s, cs)
		}
		texts[b.Text] = true
	}
	for _, b := range wantButtons {
		if !texts[b] {
			t.Errorf("%s: button %q is not among the dialog's visible buttons %v", name, b, texts)
		}
	}
	c.Unfocus()
	if k := c.OnTypedKey(); k != nil {
		k(&fyne.KeyEvent{Name: fyne.KeyEscape})
	}
	if c.Overlays().Top() == top {
		t.Errorf("%s: Esc does not close the dialog", name)
	}
	closeOverlays(c)
}

// TestDialogsFitSmallScreen: at 1024×700 the main dialogs fit the window,
// their buttons are visible (never scrolled away) and Esc closes each.
func TestDialogsFitSmallScreen(t *testing.T) {
	u := demoUI(t)
	u.Win.Resize(fyne.NewSize(1024, 700))
	c := u.Win.Canvas()
	if s := c.Size(); s.Width != 1024 || s.Height != 700 {
		t.Fatalf("canvas %v", s)
	}
	closeOverlays(c)
	m := u.main
	grads := graduates(t, u)
	branch, err := u.svc.Org(u.ctx, u.sess, grads[0].OrgID)
	if err != nil {
		t.Fatal(err)
	}

	showStartTransfer(u, grads)
	checkFits(t, u.Win, "办理转出", "取消", "提交")

	showMemberForm(m, branch, nil, nil)
	checkFits(t, u.Win, "新增团员", "取消", "保存")

	showGradDialog(m, []app.Org{branch}, nil, nil)
	checkFits(t, u.Win, "标记毕业时间", "取消")

	showNotices(u)
	checkFits(t, u.Win, "操作中心", "关闭")

	showAddOrg(m, branch)
	checkFits(t, u.Win, "添加下级组织", "取消", "添加")

	showChangePassword(u, false, "", nil)
	checkFits(t, u.Win, "修改密码", "取消")

	showAbout(u)
	checkFits(t, u.Win, "关于", "关闭")

	showPullTransfer(u, branch)
	checkFits(t, u.Win, "办理转入", "取消", "查找并提交")
}

// TestEscOnForcedPasswordChange: Esc on the forced password change does what
// its 退出登录 does (back to sign-in), never leaves an empty window.
func TestEscOnForcedPasswordChange(t *testing.T) {
	u := newTestUI(t)
	if _, err := u.svc.Init(context.Background(), app.InitInput{OrgName: "浙江工商大学团委", Province: "浙江", AdminName: "张三", AdminID: adminID}); err != nil {
		t.Fatal(err)
	}
	u.showLogin(adminID, "")
	test.Type(u.login.password, app.InitialPassword(adminID))
	test.Tap(u.login.login)
	if u.pwd == nil {
		t.Fatal("no forced change")
	}
	login := u.login
	c := u.Win.Canvas()
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Overlays().Top() != nil || u.login == login || u.login == nil {
		t.Fatal("Esc must sign out to a new sign-in screen")
	}
}
