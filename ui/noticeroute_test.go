package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"tuanwu/app"
)

// TestNoticeRoutes: 处理 on every kind of notice opens the screen where it
// is acted on; 未标记毕业时间 opens the marking screen with exactly the
// unmarked branches ticked.
func TestNoticeRoutes(t *testing.T) {
	u := demoUI(t)
	closeOverlays(u.Win.Canvas())
	_, no := startOne(t, u)
	closeOverlays(u.Win.Canvas())
	branch := graduates(t, u)[0].OrgID

	n := showNotices(u)
	unmarkedAt := -1
	for i, it := range n.items {
		if it.Kind == app.NoticeUnmarked {
			unmarkedAt = i
		}
	}
	if unmarkedAt < 0 {
		t.Fatalf("the demo has no 未标记毕业时间 notice: %+v", n.items)
	}
	it := n.items[unmarkedAt]
	n.onHandle(unmarkedAt)
	p := u.main.page
	if p.org.ID != it.OrgID || p.tabs.Selected() != p.childTab {
		t.Fatalf("未标记毕业时间: page %q tab %v", p.org.Name, p.tabs.Selected().Text)
	}
	g := p.children.gradD
	if g == nil {
		t.Fatal("未标记毕业时间 must open the marking screen")
	}
	unmarked, err := u.svc.Unmarked(u.ctx, u.sess, it.OrgID)
	if err != nil || len(unmarked) == 0 {
		t.Fatalf("unmarked: %v %d", err, len(unmarked))
	}
	want := map[int64]bool{}
	for _, b := range unmarked {
		want[b.Org.ID] = true
	}
	ticked := 0
	for i, b := range g.branches {
		if g.checks[i].Checked != want[b.ID] {
			t.Errorf("branch %s ticked=%v, unmarked=%v", b.Name, g.checks[i].Checked, want[b.ID])
		}
		if g.checks[i].Checked {
			ticked++
		}
	}
	if ticked != len(unmarked) {
		t.Errorf("%d ticked, %d unmarked", ticked, len(unmarked))
	}
	closeOverlays(u.Win.Canvas())

	for _, kind := range []string{app.NoticeApprove, app.NoticeOverdue, app.NoticeAssign} {
		n = showNotices(u)
		n.items = []app.Notice{{Kind: kind, TransferNo: no}}
		n.onHandle(0)
		if n.center == nil {
			t.Errorf("%s must open 组织关系转接 on the transfer", kind)
		}
		closeTransferCenter(u)
		closeOverlays(u.Win.Canvas())
	}
	for _, kind := range []string{app.NoticeMine, app.NoticeOutside, app.NoticeKeep, app.NoticeKeepOver} {
		n = showNotices(u)
		n.items = []app.Notice{{Kind: kind, TransferNo: no}}
		n.onHandle(0)
		if n.detail == nil || n.detail.t.No != no {
			t.Errorf("%s must open the transfer's page", kind)
		} else {
			n.detail.w.Close()
		}
		closeOverlays(u.Win.Canvas())
	}
	for _, kind := range []string{app.NoticeLate, app.NoticeIncomplete} {
		n = showNotices(u)
		n.items = []app.Notice{{Kind: kind, OrgID: branch}}
		n.onHandle(0)
		p := u.main.page
		if p.org.ID != branch || p.tabs.Selected() != p.memberTab {
			t.Errorf("%s must open the organization's 团员列表", kind)
		}
		closeOverlays(u.Win.Canvas())
	}
}

// TestMemberFormShowsOwnBranch: a member opened from a college's list shows
// the member's own branch as 所在组织, not the college.
func TestMemberFormShowsOwnBranch(t *testing.T) {
	u := demoUI(t)
	closeOverlays(u.Win.Canvas())
	mem := graduates(t, u)[0]
	branch, err := u.svc.Org(u.ctx, u.sess, mem.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	college, err := u.svc.Org(u.ctx, u.sess, branch.ParentID)
	if err != nil {
		t.Fatal(err)
	}
	u.main.tree.selectOrg(college)
	p := u.main.page
	p.tabs.Select(p.memberTab)
	v := p.members
	v.selected = 0
	m, ok := v.row(0)
	if !ok || m.OrgID == college.ID {
		t.Fatalf("the college's list must show members of its branches: %+v", m)
	}
	v.onEdit()
	own, _ := u.svc.Org(u.ctx, u.sess, m.OrgID)
	if got := v.form.where.Text; got != own.FullName || v.form.org.ID != m.OrgID {
		t.Errorf("所在组织 = %q, want the member's branch %q", got, own.FullName)
	}
}

// TestSearchClearedOnOtherOrg: a search typed for one organization does not
// stay when another is selected (it would look empty: “找到 0 人”).
func TestSearchClearedOnOtherOrg(t *testing.T) {
	u := newTestUI(t)
	college, branch := initStore(t, u)
	sess, err := u.svc.SignIn(u.ctx, adminID, adminPW)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.svc.AddMember(u.ctx, sess, app.Member{OrgID: branch.ID, Name: "王芳", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	signIn(t, u)
	u.main.tree.selectOrg(college)
	u.main.page.focusSearch()
	v := u.main.page.members
	v.search.SetText("赵")
	if v.total != 0 {
		t.Fatalf("search 赵: %d", v.total)
	}
	u.main.tree.selectOrg(branch)
	if v.search.Text != "" || v.total != 1 || strings.Contains(v.count.Text, "找到") {
		t.Fatalf("after selecting the branch: search %q, %d members, %q", v.search.Text, v.total, v.count.Text)
	}
	v.search.SetText("王")
	u.main.tree.selectOrg(branch) // the same organization again keeps it
	if v.search.Text != "王" {
		t.Fatalf("reselecting the same organization cleared the search")
	}
}

// TestUnmarkedExportScope: 附件4 from 工具 says what it covers, defaults to
// the account's whole scope even when a branch is selected, and warns
// before writing an empty file.
func TestUnmarkedExportScope(t *testing.T) {
	u := demoUI(t)
	c := u.Win.Canvas()
	closeOverlays(c)
	roots, err := u.svc.RootOrgs(u.ctx, u.sess)
	if err != nil {
		t.Fatal(err)
	}
	// A branch that is already marked: its 附件4 would be empty.
	var marked app.Org
	for _, m := range graduates(t, u) {
		o, _ := u.svc.Org(u.ctx, u.sess, m.OrgID)
		if o.GradMonth != "" {
			marked = o
		}
	}
	if marked.ID == 0 {
		branch, _ := u.svc.Org(u.ctx, u.sess, graduates(t, u)[0].OrgID)
		if _, err := u.svc.MarkGraduation(u.ctx, u.sess, app.GradMark{OrgIDs: []int64{branch.ID}, Month: "2027-06"}); err != nil {
			t.Fatal(err)
		}
		marked, _ = u.svc.Org(u.ctx, u.sess, branch.ID)
	}
	u.main.tree.selectOrg(marked)
	e := showUnmarkedExport(u)
	if got := e.selected(); got.ID != roots[0].ID {
		t.Fatalf("附件4 defaults to %q, want the whole scope %q", got.FullName, roots[0].FullName)
	}
	if len(e.labels) != 2 || !strings.Contains(e.labels[0], "全部管理范围") || !strings.Contains(e.labels[1], marked.Name) {
		t.Fatalf("scope choices %q", e.labels)
	}
	test.Tap(e.ok)
	if e.empty != nil || e.saving.ID != roots[0].ID {
		t.Fatalf("the whole scope has unmarked branches: no warning expected, saving %q", e.saving.Name)
	}
	closeOverlays(c)
	e = showUnmarkedExport(u)
	e.scope.SetSelected(e.labels[1])
	test.Tap(e.ok)
	if e.empty == nil || e.saving.ID != 0 {
		t.Fatalf("an empty 附件4 must be confirmed before anything is written")
	}
	closeOverlays(c)
}

// TestBranchPageHasNoChildTab: a branch has no lower organizations, so its
// page does not offer 管理下级组织; a committee's does.
func TestBranchPageHasNoChildTab(t *testing.T) {
	u := newTestUI(t)
	college, branch := initStore(t, u)
	signIn(t, u)
	p := u.main.page
	has := func() bool {
		for _, it := range p.tabs.Items {
			if it.Text == "管理下级组织" {
				return true
			}
		}
		return false
	}
	u.main.tree.selectOrg(college)
	p.tabs.Select(p.memberTab)
	if !has() {
		t.Fatal("a college committee's page must offer 管理下级组织")
	}
	u.main.tree.selectOrg(branch)
	if has() {
		t.Fatal("a branch's page must not offer 管理下级组织")
	}
	if p.tabs.Selected() != p.memberTab || p.members.total != 0 || !strings.Contains(p.members.count.Text, branch.Name) {
		t.Fatalf("the member list stays selected and shows the branch: %q", p.members.count.Text)
	}
	u.main.tree.selectOrg(college)
	if !has() {
		t.Fatal("back on the college: 管理下级组织 again")
	}
}
