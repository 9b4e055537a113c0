package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// mainScreen is the signed-in window: the organization tree on the left, the
// selected organization's page on the right, a status line below.
type mainScreen struct {
	u      *UI
	tree   *orgTree
	page   *orgPage
	status *widget.Label
	split  *container.Split
}

func newMainScreen(u *UI) *mainScreen {
	m := &mainScreen{u: u}
	m.page = newOrgPage(m)
	m.tree = newOrgTree(u, m.onSelect)
	m.status = widget.NewLabel("")
	return m
}

func (m *mainScreen) build() fyne.CanvasObject {
	acc := m.u.sess.Account
	m.status.SetText("当前账号：" + acc.Name + "（" + app.MaskID(acc.IDNo) + "）    " + m.u.storeLabel("存储："))
	m.split = container.NewHSplit(m.tree.build(), m.page.build())
	m.split.Offset = 0.28
	if first := m.tree.first(); first.ID != 0 {
		m.tree.selectOrg(first)
	}
	return container.NewBorder(nil, m.status, nil, nil, m.split)
}

// onSelect shows the selected organization with fresh counts.
func (m *mainScreen) onSelect(o app.Org) {
	if fresh, err := m.u.svc.Org(m.u.ctx, m.u.sess, o.ID); err == nil {
		o = fresh
	}
	m.page.show(o)
}

// bindShortcuts: Ctrl+F (Cmd+F on macOS) jumps to the member search; it
// is the 查看 menu's shortcut (keys.go), so that it works in a focused field.
func (m *mainScreen) bindShortcuts() {}

// membersMoved refreshes the counts of the tree and the page on show after
// transfers moved members (an approval, an assignment, an outside answer).
func (m *mainScreen) membersMoved() {
	if m == nil || m.page == nil || m.page.org.ID == 0 {
		return
	}
	m.tree.reload(m.page.org.ID)
	m.onSelect(m.page.org)
}

// orgChanged refreshes what shows an organization after a change.
func (m *mainScreen) orgChanged(parentID int64, selectID int64) {
	m.tree.reload(parentID)
	if selectID != 0 {
		if o, err := m.u.svc.Org(m.u.ctx, m.u.sess, selectID); err == nil {
			m.tree.selectOrg(o)
			m.page.show(o)
		}
	}
}
