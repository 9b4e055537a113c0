package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// cellOf is the cell the table shows at row, col.
func cellOf(v *transferTable, row, col int) *transferCell {
	c := newTransferCell(v.hover)
	v.update(widget.TableCellID{Row: row, Col: col}, c)
	return c
}

// TestTransferTableOneSelection_Issue11Item3: one selection drives every
// button. A click on a row chooses it (查看 and 通过 act on it); ticking a
// second adds it (通过 says 2 件, 查看 needs one); a double-click opens
// the row's transfer; the transfer's page names who acted, not a masked
// 身份证号.
func TestTransferTableOneSelection_Issue11Item3(t *testing.T) {
	u := demoUI(t)
	ms := graduates(t, u)
	f := showStartTransfer(u, ms)
	fillStudy(t, f.fields, "否", "教育科学", jsCommittee)
	test.Tap(f.submit)
	if len(f.result) != 2 {
		t.Fatalf("start: %q", f.msg.Text)
	}
	closeOverlays(u.Win.Canvas())
	c := showTransferCenter(u)
	p := c.pending
	if len(p.rows) != 2 {
		t.Fatalf("待我审批 lists %d", len(p.rows))
	}
	steps := []struct {
		name                string
		do                  func()
		view, approve       bool
		approveText, choice string
	}{
		{"nothing chosen", func() {}, false, false, "通过", "请点选一件"},
		{"click on row 1's name", func() { test.Tap(cellOf(p, 1, 2)) }, true, true, "通过", fmt.Sprintf("已选第 %d 号 %s", p.rows[1].No, p.rows[1].Name)},
		{"tick row 0 as well", func() { test.Tap(cellOf(p, 0, 0).check) }, false, true, "通过（2 件）", "已选 2 件"},
		{"click on row 0 alone", func() { test.Tap(cellOf(p, 0, 3)) }, true, true, "通过", fmt.Sprintf("已选第 %d 号", p.rows[0].No)},
		{"全不选", func() { p.setAll(false) }, false, false, "通过", "请点选一件"},
	}
	for _, st := range steps {
		st.do()
		if c.view.Disabled() == st.view || c.approve.Disabled() == st.approve || c.approve.Text != st.approveText || !strings.HasPrefix(c.choice.Text, st.choice) {
			t.Errorf("%s: 查看 %v, 通过 %v %q, choice %q", st.name, !c.view.Disabled(), !c.approve.Disabled(), c.approve.Text, c.choice.Text)
		}
	}
	row0 := p.rows[0]
	test.DoubleTap(cellOf(p, 0, 4))
	top := u.topPage()
	if top == nil || !strings.Contains(top.title, fmt.Sprintf("第 %d 号", row0.No)) {
		t.Fatalf("a double-click did not open transfer %d: %v", row0.No, top)
	}
	d := openTransferDetail(u, row0.No)
	tl := strings.Join(d.timeline, "\n")
	if !strings.Contains(tl, "经办人 "+u.sess.Account.Name) || strings.Contains(tl, app.MaskID(u.sess.Account.IDNo)) {
		t.Errorf("the timeline must name the 经办人:\n%s", tl)
	}
}

// TestAuditNamesActor_Issue11Item3: 操作日志's 操作人 is the account's name
// (with the last four characters of its 身份证号), 系统 for automatic steps.
func TestAuditNamesActor_Issue11Item3(t *testing.T) {
	cases := []struct {
		e    app.AuditEntry
		want string
	}{
		{app.AuditEntry{Actor: adminID, ActorName: "张三"}, "张三（尾号 0018）"},
		{app.AuditEntry{Actor: "系统"}, "系统"},
		{app.AuditEntry{Actor: adminID}, app.MaskID(adminID)}, // the account is gone
	}
	for _, c := range cases {
		if got := auditActor(c.e); got != c.want {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	v := showAudit(u, app.Org{})
	found := false
	for _, e := range v.rows {
		if e.Actor == adminID {
			found = true
			if e.ActorName != "张三" {
				t.Errorf("entry %q: ActorName %q", e.Action, e.ActorName)
			}
		}
	}
	if !found {
		t.Fatal("no entry by the administrator")
	}
}
