package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/assets"
	"tuanwu/print"
)

const demoPW = "Demo-2026!"

const (
	bjCommittee = "北京燕园科技大学团委/计算机学院团委"
	bjBranch    = "2026级软件工程硕士研究生团支部"
	jsCommittee = "江苏金陵师范大学团委/教育科学学院团委"
)

// demoUI opens a store with the demo university (300 members and the
// outside organizations transfers reach) and signs in its administrator,
// the store's owner.
func demoUI(t *testing.T) *UI {
	t.Helper()
	u := newTestUI(t)
	ctx := context.Background()
	if _, err := u.svc.Demo(ctx, app.DemoOptions{Members: 300, Neighbours: true}, nil); err != nil {
		t.Fatal(err)
	}
	sess, err := u.svc.SignIn(ctx, app.DemoAdminID, app.InitialPassword(app.DemoAdminID))
	if app.ErrorCode(err) != app.EMustChange {
		t.Fatalf("sign in: %v", err)
	}
	if err := u.svc.ChangePassword(ctx, sess, app.InitialPassword(app.DemoAdminID), demoPW); err != nil {
		t.Fatal(err)
	}
	u.showLogin(app.DemoAdminID, "")
	test.Type(u.login.password, demoPW)
	test.Tap(u.login.login)
	if u.main == nil {
		t.Fatalf("not signed in: %q", u.login.msg.Text)
	}
	return u
}

// graduates returns two members of one branch of the demo university.
func graduates(t *testing.T, u *UI) []app.Member {
	t.Helper()
	by := map[int64][]app.Member{}
	var out []app.Member
	err := u.svc.ListMembers(u.ctx, u.sess, app.MemberQuery{}, func(m app.Member) error {
		if out == nil && m.Status == app.StatusActive && m.Mark == "" {
			by[m.OrgID] = append(by[m.OrgID], m)
			if len(by[m.OrgID]) == 2 {
				out = by[m.OrgID]
			}
		}
		return nil
	})
	if err != nil || out == nil {
		t.Fatalf("no branch with two members: %v", err)
	}
	return out
}

// fillStudy fills 升学 to the organization named target within scope.
func fillStudy(t *testing.T, f *reasonFields, scope, search, target string) {
	t.Helper()
	f.reason.SetSelected(app.ReasonStudy)
	test.Type(f.unit, "北京燕园科技大学")
	test.Type(f.address, "北京市海淀区燕园路 1 号")
	f.scope.SetSelected(scope)
	f.target.search.SetText(search)
	if !f.target.pick(target) {
		t.Fatalf("the picker (scope %s, %q) does not offer %s: %s", scope, search, target, f.target.count.Text)
	}
	test.Type(f.remark, "北京市海淀区燕园路 1 号计算机学院团委办公室")
}

func transfersIn(t *testing.T, u *UI) []app.Transfer {
	t.Helper()
	list, err := u.svc.ListTransfers(u.ctx, u.sess, false)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func cellText(render func(widget.TableCellID, fyne.CanvasObject), row, col int) string {
	l := widget.NewLabel("")
	render(widget.TableCellID{Row: row, Col: col}, l)
	return l.Text
}

// TestGraduateTransferFlow_R_T1_R_T3_R_L1: the college sends two graduates
// to an outside committee (升学, in 北京, found through the picker after
// choosing 北京), the receiving side approves and assigns them to a branch,
// the college prints one numbered introduction letter and voids it; the
// next letter takes a new number.
func TestGraduateTransferFlow_R_T1_R_T3_R_L1(t *testing.T) {
	u := demoUI(t)
	ms := graduates(t, u)
	f := showStartTransfer(u, ms)
	fillStudy(t, f.fields, "北京", "计算机学院", bjCommittee)
	test.Tap(f.submit)
	if f.msg.Text != "" || len(f.result) != 2 {
		t.Fatalf("start: msg %q, %d transfers", f.msg.Text, len(f.result))
	}
	for _, tr := range f.result {
		if !strings.Contains(f.summary, "第 "+strconv.FormatInt(tr.No, 10)+" 号") {
			t.Errorf("the result dialog does not list transfer %d:\n%s", tr.No, f.summary)
		}
	}

	c := showTransferCenter(u)
	if len(c.pending.rows) != 2 {
		t.Fatalf("待我审批 lists %d transfers, want 2", len(c.pending.rows))
	}
	if got := daysLeftText(c.pending.rows[0], u.svc.Now()); got != "还剩 15 天" {
		t.Errorf("days left = %q", got)
	}
	c.pending.setAll(true)
	test.Tap(c.approve)
	test.Tap(findButton(c.w.Canvas(), "确认通过"))
	for _, tr := range transfersIn(t, u) {
		if tr.State != app.StateAssigning {
			t.Fatalf("after approval transfer %d is %s, want %s (R-T3: a committee must assign)", tr.No, tr.State, app.StateAssigning)
		}
	}
	if len(c.pending.rows) != 2 {
		t.Fatalf("the assignments must stay in 待我审批, got %d", len(c.pending.rows))
	}
	c.pending.setAll(true)
	test.Tap(c.assign)
	if c.assignTo == nil || !c.assignTo.pick(bjBranch) {
		t.Fatal("分配团支部 must offer the receiving committee's branches")
	}
	for _, o := range c.assignTo.results {
		if !o.IsBranch() || !strings.HasPrefix(o.FullName, bjCommittee+"/") {
			t.Errorf("the assignment picker offers %s", o.FullName)
		}
	}
	test.Tap(findButton(c.w.Canvas(), "分配"))
	var nos []int64
	for _, tr := range transfersIn(t, u) {
		if tr.State != app.StateDone || !strings.HasSuffix(tr.ToName, bjBranch) {
			t.Fatalf("after assignment transfer %d is %s in %s", tr.No, tr.State, tr.ToName)
		}
		nos = append(nos, tr.No)
	}
	if len(c.pending.rows) != 0 {
		t.Errorf("待我审批 still lists %d", len(c.pending.rows))
	}

	d := openTransferDetail(u, nos[0])
	line := strings.Join(d.timeline, "\n")
	for _, want := range []string{"转入审批", "通过", "分配团支部", "已分配", "办结"} {
		if !strings.Contains(line, want) {
			t.Errorf("the timeline lacks %q:\n%s", want, line)
		}
	}

	// 介绍信: one letter for both (one recipient), numbered 1, as one PDF.
	r, err := print.NewRenderer(assets.FontTTF())
	if err != nil {
		t.Fatal(err)
	}
	u.Codecs.WriteLetters = func(w io.Writer, letters []app.Letter) error { return r.Letters(w, letters, print.Options{}) }
	dir := t.TempDir()
	lv := c.letters
	lv.saveFile = func(name string, then func(string)) { then(filepath.Join(dir, name)) }
	c.tabs.Select(c.letterTab)
	if len(lv.list.rows) != 2 {
		t.Fatalf("the letter list offers %d transfers", len(lv.list.rows))
	}
	lv.list.setAll(true)
	test.Tap(lv.issue)
	if lv.dues.Text != "2026-11" || lv.days.Text != "30" {
		t.Errorf("defaults: dues %q, days %q", lv.dues.Text, lv.days.Text)
	}
	test.Tap(lv.issueOK)
	if lv.issueMsg.Text != "" || lv.lastPath == "" {
		t.Fatalf("issue: %q", lv.issueMsg.Text)
	}
	pdf, err := os.ReadFile(lv.lastPath)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("the letter file is not a PDF: %v", err)
	}
	if len(lv.records) != 1 || cellText(lv.updateRecord, 0, 0) != "第 1 号" || lv.records[0].Letter.Count() != 2 {
		t.Fatalf("register: %+v", lv.records)
	}
	// 作废 keeps the number; the next letter is 第 2 号 (R-L1).
	lv.register.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(lv.void)
	test.Type(lv.voidReason, "转入组织要求重开")
	test.Tap(findButton(c.w.Canvas(), "作废"))
	if got := cellText(lv.updateRecord, 0, 6); !strings.Contains(got, "已作废") || cellText(lv.updateRecord, 0, 0) != "第 1 号" {
		t.Fatalf("after void the register says %q", got)
	}
	lv.list.setAll(true)
	test.Tap(lv.issue)
	test.Tap(lv.issueOK)
	if len(lv.records) != 2 || cellText(lv.updateRecord, 0, 0) != "第 2 号" {
		t.Fatalf("the letter after a voided one must be 第 2 号, register %+v", lv.records)
	}
}

// TestStartTransferRequiredFields_R_T2: each reason's missing field gives
// its Chinese message, the dialog stays open and nothing is stored.
func TestStartTransferRequiredFields_R_T2(t *testing.T) {
	u := demoUI(t)
	ms := graduates(t, u)
	cases := []struct {
		name, reason, want string
		fill               func(f *reasonFields)
	}{
		{"升学 without school", app.ReasonStudy, "升学须填写转入学校名称", func(f *reasonFields) {
			f.address.SetText("江苏省南京市")
			f.target.search.SetText("教育科学")
			f.target.pick(jsCommittee)
		}},
		{"升学 without target", app.ReasonStudy, "升学须选择转入组织", func(f *reasonFields) {
			f.unit.SetText("江苏金陵师范大学")
			f.address.SetText("江苏省南京市")
		}},
		{"有团组织 without address", app.ReasonJobWithOrg, "详细地址", func(f *reasonFields) { f.unit.SetText("杭州未来科技有限公司") }},
		{"无团组织 without street org", app.ReasonJobNoOrg, "学社衔接临时团支部", func(f *reasonFields) {
			f.unit.SetText("某工作室")
			f.address.SetText("杭州市西湖区文新街道")
		}},
		{"因私 without address", app.ReasonAbroadPrivate, "户籍地或居住地", nil},
		{"未就业 without address", app.ReasonUnemployed, "户籍地或居住地", nil},
		{"学习研究 without place", app.ReasonAbroadStudy, "境外学习研究的地点", nil},
		{"学习研究 without period", app.ReasonAbroadStudy, "期限", func(f *reasonFields) { f.place.SetText("英国伦敦") }},
		{"学习研究 with a bad phone", app.ReasonAbroadStudy, "联系方式“问辅导员”不正确", func(f *reasonFields) {
			f.place.SetText("英国伦敦")
			f.period.SetText("2026-09 至 2027-08")
			f.contact.SetText("张父")
			f.phone.SetText("问辅导员")
		}},
		{"no reason", "", "请选择转接原因", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := showStartTransfer(u, ms)
			if tc.reason != "" {
				f.fields.reason.SetSelected(tc.reason)
			}
			if tc.fill != nil {
				tc.fill(f.fields)
			}
			test.Tap(f.submit)
			if !strings.Contains(f.msg.Text, tc.want) {
				t.Errorf("message = %q, want it to contain %q", f.msg.Text, tc.want)
			}
			if f.result != nil || f.done != nil {
				t.Error("a refused form must not submit")
			}
			f.d.Hide()
		})
	}
	if n := len(transfersIn(t, u)); n != 0 {
		t.Fatalf("%d transfers stored after refused forms", n)
	}
}

// TestStartTransferScope_R_O3: with 否 the 北京 organizations are not
// offered; a 北京 target kept after switching back to 否 is refused, and
// nothing is stored.
func TestStartTransferScope_R_O3(t *testing.T) {
	u := demoUI(t)
	f := showStartTransfer(u, graduates(t, u))
	f.fields.reason.SetSelected(app.ReasonStudy)
	test.Type(f.fields.target.search, "燕园")
	if len(f.fields.target.results) != 0 {
		t.Fatalf("scope 否 offers %s", f.fields.target.results[0].FullName)
	}
	fillStudy(t, f.fields, "北京", "计算机学院", bjCommittee)
	for _, o := range f.fields.target.results {
		if o.Province != "北京" {
			t.Errorf("scope 北京 offers %s in %s", o.FullName, o.Province)
		}
	}
	f.fields.scope.SetSelected("否")
	test.Tap(f.submit)
	if !strings.Contains(f.msg.Text, "属于北京") {
		t.Fatalf("scope 否 with a 北京 target: message %q", f.msg.Text)
	}
	f.fields.scope.SetSelected("广东")
	test.Tap(f.submit)
	if !strings.Contains(f.msg.Text, "选择了转入组织属于广东") {
		t.Fatalf("scope 广东 with a 北京 target: message %q", f.msg.Text)
	}
	if n := len(transfersIn(t, u)); n != 0 {
		t.Fatalf("%d transfers stored", n)
	}
}

// TestNoticesWaitingApproval_R_N1_R_T4: 操作中心 lists the waiting approval
// with its days left; after 10 days it is flagged; 处理 opens 待我审批 on it.
func TestNoticesWaitingApproval_R_N1_R_T4(t *testing.T) {
	u := demoUI(t)
	f := showStartTransfer(u, graduates(t, u)[:1])
	fillStudy(t, f.fields, "否", "教育科学", jsCommittee)
	test.Tap(f.submit)
	if len(f.result) != 1 {
		t.Fatalf("start: %q", f.msg.Text)
	}
	no := f.result[0].No
	find := func(n *noticeCenter, kind string) (int, app.Notice) {
		for i, it := range n.items {
			if it.TransferNo == no && it.Kind == kind {
				return i, it
			}
		}
		t.Fatalf("no %s notice for transfer %d in %+v", kind, no, n.items)
		return 0, app.Notice{}
	}
	n := showNotices(u)
	if _, it := find(n, app.NoticeApprove); it.DaysLeft != 15 || !strings.Contains(it.Text, "还剩 15 天") {
		t.Errorf("waiting approval: %+v", it)
	}
	if n.empty.Visible() {
		t.Error("目前没有待办事项 shown with notices")
	}
	n.d.Hide()
	u.svc.Now = func() time.Time { return testNow.Add(11 * 24 * time.Hour) }
	n = showNotices(u)
	i, it := find(n, app.NoticeOverdue)
	if it.DaysLeft != 4 {
		t.Errorf("after 11 days: %+v", it)
	}
	n.onHandle(i)
	if cur, ok := n.center.pending.current(); !ok || cur.No != no {
		t.Fatalf("处理 must open 待我审批 on transfer %d", no)
	}
	if got := daysLeftText(n.center.pending.rows[0], u.svc.Now()); got != "※ 还剩 4 天" {
		t.Errorf("days left after 11 days = %q", got)
	}
}

// TestMemberApplies_R_T1_R_N1: a member signs in to the personal centre,
// has nothing to do, applies for a transfer; its own branch approves first.
func TestMemberApplies_R_T1_R_N1(t *testing.T) {
	u := demoUI(t)
	m := graduates(t, u)[0]
	ctx := context.Background()
	month := u.svc.Now().AddDate(1, 0, 0).Format("2006") + "-06"
	if _, err := u.svc.MarkGraduation(ctx, u.sess, app.GradMark{OrgIDs: []int64{m.OrgID}, Month: month}); err != nil {
		t.Fatal(err)
	}
	sess, err := u.svc.SignIn(ctx, m.IDNo, app.InitialPassword(m.IDNo))
	if app.ErrorCode(err) != app.EMustChange {
		t.Fatalf("member sign in: %v", err)
	}
	if err := u.svc.ChangePassword(ctx, sess, app.InitialPassword(m.IDNo), "Member-2026"); err != nil {
		t.Fatal(err)
	}
	if sess, err = u.svc.SignIn(ctx, m.IDNo, "Member-2026"); err != nil {
		t.Fatal(err)
	}
	u.showMain(sess)
	p := u.personal
	if p == nil || p.apply.Disabled() {
		t.Fatal("the personal centre must offer 申请转接")
	}
	// R-D3 in the personal centre: a graduate sees 毕业生 and the month.
	shown := map[string]string{}
	for _, it := range p.record.Items {
		if l, ok := it.Widget.(*widget.Label); ok {
			shown[it.Text] = l.Text
		}
	}
	if shown["成员身份"] != app.IdentityGrad || shown["预计毕业时间"] != month {
		t.Fatalf("personal centre rows: %v", shown)
	}
	n := showNotices(u)
	if !n.empty.Visible() || len(n.items) != 0 {
		t.Fatalf("a member without transfers has notices: %+v", n.items)
	}
	n.d.Hide()
	test.Tap(p.apply)
	fillStudy(t, p.form.fields, "否", "教育科学", jsCommittee)
	test.Tap(p.form.submit)
	if p.form.msg.Text != "" || len(p.mine) != 1 {
		t.Fatalf("apply: %q, %d listed", p.form.msg.Text, len(p.mine))
	}
	tr := p.mine[0]
	if st, _ := tr.Current(); tr.Initiator != app.ByMember || st.Kind != app.StepOut || st.OrgID != m.OrgID {
		t.Fatalf("a member's application must wait for its branch first: %+v", tr)
	}
	if !p.apply.Disabled() {
		t.Error("申请转接 must be disabled while a transfer is open")
	}
	n = showNotices(u)
	if len(n.items) != 1 || n.items[0].Kind != app.NoticeMine {
		t.Fatalf("member notices: %+v", n.items)
	}
}

// TestPullTransfer_R_T1: 办理转入 finds the member by 身份证号, checks the
// name, and starts the transfer towards the chosen organization.
func TestPullTransfer_R_T1(t *testing.T) {
	u := demoUI(t)
	m := graduates(t, u)[0]
	to, err := u.svc.ResolveOrg(u.ctx, u.sess, "浙江明理大学团委/经济学院团委")
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(m.OrgName, to.FullName) {
		to, _ = u.svc.ResolveOrg(u.ctx, u.sess, "浙江明理大学团委/法学院团委")
	}
	f := showPullTransfer(u, to)
	for _, r := range f.fields.reason.Options {
		if r == app.ReasonAbroadStudy || r == app.ReasonSpecial {
			t.Errorf("办理转入 offers %s, which has no target", r)
		}
	}
	test.Type(f.name, m.Name+"某")
	test.Type(f.id, m.IDNo)
	f.fields.reason.SetSelected(app.ReasonUnemployed)
	test.Type(f.fields.address, "浙江省杭州市")
	test.Tap(f.submit)
	if !strings.Contains(f.msg.Text, "不一致") {
		t.Fatalf("a wrong name: %q", f.msg.Text)
	}
	f.name.SetText(m.Name)
	test.Tap(f.submit)
	if f.msg.Text != "" || f.result.No == 0 || f.result.Initiator != app.ByInOrg || f.result.ToOrg != to.ID {
		t.Fatalf("pull: %q %+v", f.msg.Text, f.result)
	}
}

// startOne starts 升学 for one demo member to the 江苏 committee.
func startOne(t *testing.T, u *UI) (app.Member, int64) {
	t.Helper()
	m := graduates(t, u)[0]
	f := showStartTransfer(u, []app.Member{m})
	fillStudy(t, f.fields, "否", "教育科学", jsCommittee)
	test.Tap(f.submit)
	if len(f.result) != 1 {
		t.Fatalf("start: %q", f.msg.Text)
	}
	f.done.Hide()
	return m, f.result[0].No
}

// TestRejectTransfer_R_T5: 退回 needs a reason; the member stays where they
// were and the timeline shows the reason.
func TestRejectTransfer_R_T5(t *testing.T) {
	u := demoUI(t)
	m, no := startOne(t, u)
	c := showTransferCenter(u)
	if !c.pending.selectNo(no) {
		t.Fatal("the transfer is not waiting")
	}
	test.Tap(c.reject)
	test.Tap(findButton(c.w.Canvas(), "确认退回"))
	if tr, _ := u.svc.TransferByNo(u.ctx, u.sess, no); tr.State != app.StateApproving {
		t.Fatalf("rejected without a reason: %s", tr.State)
	}
	test.Type(c.rejectReason, "请选择具体的学院团委")
	test.Tap(findButton(c.w.Canvas(), "确认退回"))
	tr, err := u.svc.TransferByNo(u.ctx, u.sess, no)
	if err != nil || tr.State != app.StateRejected || tr.RejectReason != "请选择具体的学院团委" {
		t.Fatalf("after 退回: %+v %v", tr, err)
	}
	var still app.Member
	u.svc.ListMembers(u.ctx, u.sess, app.MemberQuery{Text: m.IDNo}, func(x app.Member) error { still = x; return nil })
	if still.OrgID != m.OrgID {
		t.Fatalf("a rejected member moved from %d to %d", m.OrgID, still.OrgID)
	}
	d := openTransferDetail(u, no)
	if tl := strings.Join(d.timeline, "\n"); !strings.Contains(tl, "退回") || !strings.Contains(tl, "请选择具体的学院团委") {
		t.Errorf("timeline:\n%s", tl)
	}
}

// TestDefaultApprovalShown_R_T4: after 15 days the step is approved by
// default and the transfer's page says 系统默认通过; the assignment that
// follows waits, never automatic.
func TestDefaultApprovalShown_R_T4(t *testing.T) {
	u := demoUI(t)
	_, no := startOne(t, u)
	u.svc.Now = func() time.Time { return testNow.Add(16 * 24 * time.Hour) }
	if _, err := u.svc.Sweep(u.ctx); err != nil {
		t.Fatal(err)
	}
	d := openTransferDetail(u, no)
	tl := strings.Join(d.timeline, "\n")
	if !strings.Contains(tl, app.OutcomeDefault) || !strings.Contains(tl, "不会自动分配") {
		t.Fatalf("timeline after 15 days:\n%s", tl)
	}
}
