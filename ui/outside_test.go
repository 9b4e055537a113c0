package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"tuanwu/app"
)

const pkuSchool = "共青团北京大学信息科学技术学院委员会"

// schoolIDs returns n valid 身份证号 of people born in 2000.
func schoolIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fixCheck(fmt.Sprintf("33010620000101%03d0", i+100))
	}
	return out
}

// schoolStore is a school's own store (R-W: no other school in it): the
// root, 信息学院团委 with a branch marked for 2026-06 holding n members, and
// the administrator signed in to the window.
func schoolStore(t *testing.T, n int) (*UI, app.Org, app.Org, []app.Member) {
	t.Helper()
	u := newTestUI(t)
	withCodecs(u)
	college, branch := initStore(t, u)
	ctx := context.Background()
	sess, err := u.svc.SignIn(ctx, adminID, adminPW)
	if err != nil {
		t.Fatal(err)
	}
	var ms []app.Member
	for i, id := range schoolIDs(n) {
		m, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: fmt.Sprintf("学生%c", '甲'+rune(i)), IDNo: id})
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	if _, err := u.svc.MarkGraduation(ctx, sess, app.GradMark{OrgIDs: []int64{branch.ID}, Month: "2026-06"}); err != nil {
		t.Fatal(err)
	}
	signIn(t, u)
	return u, college, branch, ms
}

// fillStudyOutside fills 升学 up to the target.
func fillStudyOutside(f *reasonFields, scope string) {
	f.reason.SetSelected(app.ReasonStudy)
	test.Type(f.unit, "北京大学")
	test.Type(f.address, "北京市海淀区颐和园路 5 号")
	f.scope.SetSelected(scope)
}

// TestStartTransferToOutside_R_W1: in 办理转出 the target is typed as a new
// outside organization (its province guessed from the name) or picked from
// the directory, searched within the 北京 scope; both transfers go to the
// outside organization, which is stored once and never shows in the tree.
func TestStartTransferToOutside_R_W1(t *testing.T) {
	u, _, _, ms := schoolStore(t, 2)

	f := showStartTransfer(u, ms[:1])
	fillStudyOutside(f.fields, "北京")
	if !f.fields.outsideTarget() {
		t.Fatal("办理转出 must offer the outside organization first")
	}
	o := f.fields.outside
	o.way.SetSelected(outsideNew)
	test.Type(o.name, " "+pkuSchool)
	if o.province.Selected != "北京" {
		t.Fatalf("province guessed %q, want 北京", o.province.Selected)
	}
	test.Type(o.phone, "010-62751234")
	test.Tap(f.submit)
	if f.msg.Text != "" || len(f.result) != 1 {
		t.Fatalf("new outside target: msg %q", f.msg.Text)
	}
	first := f.result[0]
	f.done.Hide()

	// The second time it is in the directory, found only within 北京.
	f = showStartTransfer(u, ms[1:])
	fillStudyOutside(f.fields, "否")
	o = f.fields.outside
	test.Type(o.search, "北京大学")
	if len(o.results) != 0 {
		t.Fatalf("scope 否 offers %s", o.results[0].Name)
	}
	f.fields.scope.SetSelected("北京")
	if !o.pick(pkuSchool) {
		t.Fatalf("the directory within 北京 does not offer %s: %s", pkuSchool, o.count.Text)
	}
	test.Tap(f.submit)
	if f.msg.Text != "" || len(f.result) != 1 {
		t.Fatalf("directory target: msg %q", f.msg.Text)
	}
	second := f.result[0]
	if first.ToOrg != second.ToOrg {
		t.Errorf("one outside organization stored twice: %d and %d", first.ToOrg, second.ToOrg)
	}
	for _, no := range []int64{first.No, second.No} {
		tr, err := u.svc.TransferByNo(u.ctx, u.sess, no)
		if err != nil || !tr.ToOut || tr.ToName != pkuSchool {
			t.Fatalf("transfer %d goes to %q (outside %v): %v", no, tr.ToName, tr.ToOut, err)
		}
		if st, _ := tr.Current(); !st.Outside {
			t.Errorf("transfer %d waits for a step that is not outside: %+v", no, st)
		}
	}
	dir, err := u.svc.OutsideOrgs(u.ctx, u.sess, app.OutsideSearch{Scope: "全部"})
	if err != nil || len(dir) != 1 || dir[0].Phone != "010-62751234" {
		t.Fatalf("directory %+v %v", dir, err)
	}
	// Never a branch of the tree.
	tr := u.main.tree
	for _, uid := range append(tr.childUIDs(""), tr.childUIDs(outsideUID)...) {
		if strings.Contains(tr.nodes[uid].Name, "北京大学") {
			t.Errorf("the tree shows the outside organization %s", tr.nodes[uid].Name)
		}
	}
}

// TestStartTransferOutsideChecks_R_W1: a new outside organization needs a
// name and a province; nothing is stored when one lacks.
func TestStartTransferOutsideChecks_R_W1(t *testing.T) {
	u, _, _, ms := schoolStore(t, 1)
	f := showStartTransfer(u, ms)
	fillStudyOutside(f.fields, "否")
	test.Tap(f.submit)
	if !strings.Contains(f.msg.Text, "升学须选择转入组织") {
		t.Fatalf("no target: %q", f.msg.Text)
	}
	f.fields.outside.way.SetSelected(outsideNew)
	test.Type(f.fields.outside.name, "某街道学社衔接临时团支部")
	test.Tap(f.submit)
	if !strings.Contains(f.msg.Text, "省份") {
		t.Fatalf("no province: %q", f.msg.Text)
	}
	if n := len(transfersIn(t, u)); n != 0 {
		t.Fatalf("%d transfers stored", n)
	}
}

// TestOutsideAnswerFromNotices_R_W2_R_W3: 操作中心 lists the transfer that
// waits for the outside organization; 处理 opens it with 记录对方已同意,
// whose small form (date learned, default today) finishes the transfer
// out; the member is 已转出 and shows in the 已转出团员 view.
func TestOutsideAnswerFromNotices_R_W2_R_W3(t *testing.T) {
	u, _, branch, ms := schoolStore(t, 1)
	f := showStartTransfer(u, ms)
	fillStudyOutside(f.fields, "北京")
	f.fields.outside.way.SetSelected(outsideNew)
	test.Type(f.fields.outside.name, pkuSchool)
	test.Tap(f.submit)
	if len(f.result) != 1 {
		t.Fatalf("start: %q", f.msg.Text)
	}
	no := f.result[0].No
	f.done.Hide()

	n := showNotices(u)
	at := -1
	for i, it := range n.items {
		if it.Kind == app.NoticeOutside && it.TransferNo == no {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no %s notice: %+v", app.NoticeOutside, n.items)
	}
	n.onHandle(at)
	d := n.detail
	if d == nil || d.confirm == nil || d.reject == nil {
		t.Fatal("处理 must open the transfer with 记录对方已同意 / 记录对方退回")
	}
	if tl := strings.Join(d.timeline, "\n"); !strings.Contains(tl, "等待对方（"+pkuSchool+"）办理") {
		t.Errorf("timeline:\n%s", tl)
	}
	test.Tap(d.reject)
	test.Tap(d.answer.ok)
	if !strings.Contains(d.answer.msg.Text, "原因") {
		t.Fatalf("退回 without a reason: %q", d.answer.msg.Text)
	}
	d.answer.dlg.Hide()
	test.Tap(d.confirm)
	a := d.answer
	if a.date.Text != "2026-11-27" {
		t.Errorf("date learned defaults to %q, want today", a.date.Text)
	}
	a.date.SetText("2026-12-01")
	test.Tap(a.ok)
	if !strings.Contains(a.msg.Text, "还没有到") {
		t.Fatalf("a future date: %q", a.msg.Text)
	}
	a.date.SetText("2026-11-27")
	test.Type(a.note, "电话确认")
	test.Tap(a.ok)
	if a.msg.Text != "" {
		t.Fatalf("confirm: %q", a.msg.Text)
	}
	tr, err := u.svc.TransferByNo(u.ctx, u.sess, no)
	if err != nil || tr.State != app.StateDone {
		t.Fatalf("after 对方已同意: %+v %v", tr.State, err)
	}
	if d.confirm != nil {
		t.Error("the buttons stay after the answer")
	}
	if tl := strings.Join(d.timeline, "\n"); !strings.Contains(tl, app.OutcomeOutsideApproved) || !strings.Contains(tl, "已转出") {
		t.Errorf("timeline after the answer:\n%s", tl)
	}
	m, err := u.svc.Member(u.ctx, u.sess, ms[0].IDNo)
	if err != nil || !m.Departed() || m.LeftTo != pkuSchool {
		t.Fatalf("member after 对方已同意: %s %q %v", m.Status, m.LeftTo, err)
	}
	for _, it := range n.items {
		if it.TransferNo == no {
			t.Errorf("操作中心 still lists %+v", it)
		}
	}
	_ = branch
}

// TestPullFromOutside_R_W4: 办理转入 of a person not in this store names
// the outside organization they come from; once its answer is recorded the
// person is a member of the branch, and 操作中心's notice of incomplete
// records opens the organization's member list.
func TestPullFromOutside_R_W4(t *testing.T) {
	u, college, branch, _ := schoolStore(t, 0)
	id := fixCheck("330106200801010020")
	f := showPullTransfer(u, branch)
	test.Type(f.name, "新同学")
	test.Type(f.id, id)
	f.fields.reason.SetSelected(app.ReasonStudy)
	test.Type(f.fields.remark, "2026 级新生")
	test.Tap(f.submit)
	if !strings.Contains(f.msg.Text, "从校外组织转入") {
		t.Fatalf("a person not in the store without 原所在组织: %q", f.msg.Text)
	}
	f.fromOut.SetChecked(true)
	f.from.way.SetSelected(outsideNew)
	test.Type(f.from.name, "共青团杭州第二中学委员会")
	if f.from.province.Selected != "" {
		t.Errorf("a name with no province in it guessed %q", f.from.province.Selected)
	}
	f.from.province.SetSelected("浙江")
	test.Tap(f.submit)
	if f.msg.Text != "" || f.result.No == 0 || !f.result.FromOut {
		t.Fatalf("pull from outside: %q %+v", f.msg.Text, f.result)
	}
	d := openTransferDetail(u, f.result.No)
	if d.confirm == nil {
		t.Fatalf("the outside 转出审批 must offer 记录对方已同意: %v", d.timeline)
	}
	test.Tap(d.confirm)
	test.Tap(d.answer.ok)
	m, err := u.svc.Member(u.ctx, u.sess, id)
	if err != nil || m.OrgID != branch.ID || !m.Incomplete {
		t.Fatalf("received: org %d incomplete %v: %v (%q)", m.OrgID, m.Incomplete, err, d.answer.msg.Text)
	}
	n := showNotices(u)
	at := -1
	for i, it := range n.items {
		if it.Kind == app.NoticeIncomplete {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no %s notice: %+v", app.NoticeIncomplete, n.items)
	}
	n.onHandle(at)
	p := u.main.page
	if p.tabs.Selected() != p.memberTab || p.members.total == 0 {
		t.Fatalf("处理 must open the member list (org %s)", p.org.FullName)
	}
	_ = college
}

// TestDepartedView_R_W3: after a transfer out to an outside organization
// finishes, the member leaves 团员列表, shows in 已转出团员 with where and
// when, and the search finds the 身份证号 only with 含已转出 — also once the
// emptied branch is deleted.
func TestDepartedView_R_W3(t *testing.T) {
	u, college, branch, ms := schoolStore(t, 2)
	ctx := context.Background()
	trs, err := u.svc.StartTransfer(ctx, u.sess, app.TransferInput{IDNos: []string{ms[0].IDNo}, Reason: app.ReasonStudy, Scope: "北京",
		Unit: "北京大学", Address: "北京市海淀区", Outside: &app.OutsideInput{Name: pkuSchool}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.svc.RecordOutsideAnswer(ctx, u.sess, trs[0].No, app.OutsideAnswer{Approved: true}); err != nil {
		t.Fatal(err)
	}
	u.main.tree.selectOrg(college)
	p := u.main.page
	p.tabs.Select(p.memberTab)
	v := p.members
	if v.total != 1 {
		t.Fatalf("团员列表 lists %d, want the one who stayed", v.total)
	}
	test.Type(v.search, ms[0].IDNo)
	if v.total != 0 {
		t.Fatal("the search finds one who left without 含已转出")
	}
	v.departed.SetChecked(true)
	if v.total != 1 {
		t.Fatalf("含已转出: %d found", v.total)
	}
	if m, ok := v.row(0); !ok || !m.Departed() {
		t.Fatalf("含已转出 row: %+v", m)
	}
	v.search.SetText("")
	if v.total != 2 || !strings.Contains(v.count.Text, "已转出 1 人") {
		t.Fatalf("含已转出 without text: %d, %q", v.total, v.count.Text)
	}
	if m, _ := v.row(1); !m.Departed() || m.IDNo != ms[0].IDNo {
		t.Fatalf("the one who left is not last: %+v", m)
	}

	p.tabs.Select(p.departedTab)
	d := p.departed
	if len(d.list) != 1 {
		t.Fatalf("已转出团员 lists %d", len(d.list))
	}
	row := []string{}
	for c := range departedCols {
		row = append(row, cellText(d.updateCell, 0, c))
	}
	want := []string{ms[0].Name, app.MaskID(ms[0].IDNo), "2026-11-27", pkuSchool, branch.FullName, fmt.Sprintf("第 %d 号", trs[0].No), ""}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Fatalf("已转出团员 row %q, want %q", row, want)
	}

	// The branch emptied of the other member can be deleted; the history stays.
	if _, err := u.svc.StartTransfer(ctx, u.sess, app.TransferInput{IDNos: []string{ms[1].IDNo}, Reason: app.ReasonStudy, Scope: "北京",
		Unit: "北京大学", Address: "北京市海淀区", Outside: &app.OutsideInput{Name: pkuSchool}}); err != nil {
		t.Fatal(err)
	}
	u.svc.Now = func() time.Time { return testNow.Add(16 * 24 * time.Hour) }
	if _, err := u.svc.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if err := u.svc.DeleteOrg(ctx, u.sess, branch.ID); err != nil {
		t.Fatalf("delete the emptied branch: %v", err)
	}
	d.load()
	if len(d.list) != 2 || cellText(d.updateCell, 1, 4) != branch.FullName {
		t.Fatalf("after deleting the branch: %d listed", len(d.list))
	}
}
