package app_test

// Tests of the world beyond this store (R-W1..R-W6) on a school's own
// store, set up as a school would (no other universities, no 团省委):
//
//	浙江明理大学团委 (owner 周明远)
//	├── 法学院团委 (law: 陈老师)
//	│   ├── 2022级法学1班团支部 (grad1, 2026-06): 甲 乙 丙 丁 (丁: 延迟毕业)
//	│   ├── 2022级法学2班团支部 (grad2, 2026-06): 戊
//	│   └── 出国(境)学习研究团员团支部
//	└── 经济学院团委 (econ: 吴老师)
//	    └── 2025级经济学1班团支部 (fresh)

import (
	"context"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
)

type owWorld struct {
	svc                         *app.Service
	st                          *data.Store
	clock                       *time.Time
	owner, law, econ            *app.Session
	root, lawOrg, econOrg       app.Org
	grad1, grad2, abroad, fresh app.Org
	ids                         map[string]string // 甲 → 身份证号
}

const beida = "共青团北京大学信息科学技术学院委员会"

func buildOutsideWorld(t *testing.T) *owWorld {
	t.Helper()
	ctx := context.Background()
	svc, st, clock := newService(t)
	w := &owWorld{svc: svc, st: st, clock: clock, ids: map[string]string{}}
	*clock = time.Date(2026, 6, 1, 9, 0, 0, 0, app.Shanghai)
	w.root = initStore(t, svc)
	w.owner = twSignIn(t, svc, adminID)
	add := func(parent app.Org, name, kind, cat string) app.Org {
		t.Helper()
		o, _, err := svc.AddOrg(ctx, w.owner, app.NewOrg{ParentID: parent.ID, Name: name, Kind: kind, Category: cat})
		if err != nil {
			t.Fatalf("AddOrg %s: %v", name, err)
		}
		return o
	}
	w.lawOrg = add(w.root, "法学院团委", app.KindCommittee, "")
	w.econOrg = add(w.root, "经济学院团委", app.KindCommittee, "")
	w.grad1 = add(w.lawOrg, "2022级法学1班团支部", app.KindBranch, app.CatNormal)
	w.grad2 = add(w.lawOrg, "2022级法学2班团支部", app.KindBranch, app.CatNormal)
	w.abroad = add(w.lawOrg, "出国(境)学习研究团员团支部", app.KindBranch, app.CatAbroad)
	w.fresh = add(w.econOrg, "2025级经济学1班团支部", app.KindBranch, app.CatNormal)
	for i, p := range []struct {
		name string
		org  app.Org
	}{{"甲", w.grad1}, {"乙", w.grad1}, {"丙", w.grad1}, {"丁", w.grad1}, {"戊", w.grad2}} {
		id := idOf(t, "1101012004010"+string(rune('1'+i))+"00"+string(rune('1'+i)))
		w.ids[p.name] = id
		if _, err := svc.AddMember(ctx, w.owner, app.Member{OrgID: p.org.ID, Name: p.name, IDNo: id, JoinMonth: "2016-05", Ethnicity: "汉族", Education: "普通本科在读"}); err != nil {
			t.Fatalf("AddMember %s: %v", p.name, err)
		}
	}
	if _, err := svc.MarkGraduation(ctx, w.owner, app.GradMark{OrgIDs: []int64{w.grad1.ID, w.grad2.ID}, Month: "2026-06"}); err != nil {
		t.Fatalf("MarkGraduation: %v", err)
	}
	if _, err := svc.MarkMembers(ctx, w.owner, app.MemberMark{IDNos: []string{w.ids["丁"]}, Mark: app.MarkDelayed, Month: "2027-06", Reason: "学分未修满"}); err != nil {
		t.Fatalf("MarkMembers: %v", err)
	}
	admin := func(org app.Org, first17, name string) *app.Session {
		t.Helper()
		id := idOf(t, first17)
		if _, err := svc.AddCadre(ctx, w.owner, app.CadreInput{OrgID: org.ID, IDNo: id, Name: name, Post: "书记", Nature: "专职", PostSince: "2024-09"}); err != nil {
			t.Fatalf("AddCadre %s: %v", name, err)
		}
		if _, err := svc.AddAdmin(ctx, w.owner, org.ID, id); err != nil {
			t.Fatalf("AddAdmin %s: %v", name, err)
		}
		return twSignIn(t, svc, id)
	}
	w.law = admin(w.lawOrg, "31010119900101001", "陈老师")
	w.econ = admin(w.econOrg, "31010119900202002", "吴老师")
	return w
}

func (w *owWorld) member(t *testing.T, id string) app.Member {
	t.Helper()
	var m app.Member
	if err := w.st.Read(context.Background(), func(tx app.Tx) (err error) { m, err = tx.Member(id); return err }); err != nil {
		t.Fatalf("Member %s: %v", id, err)
	}
	return m
}

func (w *owWorld) org(t *testing.T, id int64) app.Org {
	t.Helper()
	o, err := w.svc.Org(context.Background(), w.owner, id)
	if err != nil {
		t.Fatalf("Org %d: %v", id, err)
	}
	return o
}

func (w *owWorld) startOut(t *testing.T, ss *app.Session, name, outside string) app.Transfer {
	t.Helper()
	list, err := w.svc.StartTransfer(context.Background(), ss, app.TransferInput{IDNos: []string{w.ids[name]}, Reason: app.ReasonStudy,
		Unit: "北京大学", Address: "北京市海淀区颐和园路5号", Outside: &app.OutsideInput{Name: outside}})
	if err != nil {
		t.Fatalf("StartTransfer %s → %s: %v", name, outside, err)
	}
	return list[0]
}

func TestNormalizeOrgName_R_W1(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"共青团北京大学 信息科学技术学院委员会", "共青团北京大学信息科学技术学院委员会"},
		{"杭州未来科技（集团）有限公司团委", "杭州未来科技(集团)有限公司团委"},
		{"ＡＢＣ公司团委", "abc公司团委"},
		{"　某大学团委　", "某大学团委"},
	} {
		if app.NormalizeOrgName(c.a) != app.NormalizeOrgName(c.b) {
			t.Errorf("R-W1: %q and %q normalise differently: %q, %q", c.a, c.b, app.NormalizeOrgName(c.a), app.NormalizeOrgName(c.b))
		}
	}
	if app.NormalizeOrgName("北京大学团委") == app.NormalizeOrgName("北京大学医学部团委") {
		t.Error("R-W1: different names normalise alike")
	}
}

func TestValidateOutside_R_W1(t *testing.T) {
	for _, c := range []struct {
		in             app.OutsideInput
		scope          string
		wantProv, want string // want: part of the refusal; "" for none
	}{
		{app.OutsideInput{Name: ""}, "", "", "请填写校外组织的全称"},
		{app.OutsideInput{Name: strings.Repeat("团", 200)}, "", "", "太长"},
		{app.OutsideInput{Name: "团"}, "", "", "太短"},
		{app.OutsideInput{Name: "某大学/某学院"}, "", "", "斜杠"},
		{app.OutsideInput{Name: "某大学\x1b[31m团委"}, "", "", "控制字符"},
		{app.OutsideInput{Name: beida}, "", "北京", ""},
		{app.OutsideInput{Name: "中山大学团委"}, "广东", "广东", ""},
		{app.OutsideInput{Name: "杭州市第十四中学团委"}, "否", "浙江", ""},
		{app.OutsideInput{Name: "某公司团委", Province: "火星"}, "", "", "省份"},
		{app.OutsideInput{Name: "某公司团委", Phone: "abc"}, "", "", "联系电话"},
		{app.OutsideInput{Name: "某公司团委", Kind: "公司"}, "", "", "组织类型"},
	} {
		v, err := app.ValidateOutside(c.in, c.scope, "浙江")
		if c.want != "" {
			wantCode(t, "R-W1 "+c.in.Name, err, app.EInvalid)
			wantMsg(t, "R-W1 "+c.in.Name, err, c.want)
			continue
		}
		if err != nil || v.Province != c.wantProv {
			t.Errorf("R-W1 %q: province %q, err %v; want %q", c.in.Name, v.Province, err, c.wantProv)
		}
	}
}

// R-W1, R-W2, R-W3: a graduate leaves for a university outside; the
// directory keeps one entry however the name is typed; the outside step is
// recorded by the local party; the member stays as 已转出; the emptied
// branch can be deleted and the record keeps its path.
func TestTransferToOutside_R_W1_R_W2_R_W3(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	tr := w.startOut(t, w.law, "戊", beida)
	if !tr.ToOut || len(tr.Steps) != 1 || !tr.Steps[0].Outside || tr.Steps[0].Kind != app.StepIn {
		t.Fatalf("R-W2: steps %+v (to outside %v), want one outside 转入审批 and no 分配团支部", tr.Steps, tr.ToOut)
	}
	// The same organization typed differently is the same directory entry.
	tr2 := w.startOut(t, w.owner, "甲", " 共青团北京大学 信息科学技术学院委员会 ")
	if tr2.ToOrg != tr.ToOrg {
		t.Errorf("R-W1: a spaced name made a second entry (%d, %d)", tr.ToOrg, tr2.ToOrg)
	}
	dir, err := w.svc.OutsideOrgs(ctx, w.law, app.OutsideSearch{Text: "北京大学", Scope: "北京"})
	if err != nil || len(dir) != 1 || dir[0].Province != "北京" {
		t.Fatalf("R-W1/R-O3: directory %+v, %v", dir, err)
	}
	if dir, _ := w.svc.OutsideOrgs(ctx, w.law, app.OutsideSearch{Text: "北京大学", Scope: "否"}); len(dir) != 0 {
		t.Errorf("R-O3: the national search shows a 北京 organization: %+v", dir)
	}
	if tops, _ := w.svc.RootOrgs(ctx, w.owner); len(tops) != 1 {
		t.Errorf("R-W1: the tree shows %d top-level organizations, want the school only", len(tops))
	}

	// Refusals, nothing written.
	_, err = w.svc.StartTransfer(ctx, w.law, app.TransferInput{IDNos: []string{w.ids["乙"]}, Reason: app.ReasonStudy, Unit: "x", Address: "y",
		Outside: &app.OutsideInput{Name: "经济学院团委"}})
	wantCode(t, "R-W1 outside name of this store", err, app.EConflict)
	wantMsg(t, "R-W1 outside name of this store", err, "本系统中的组织")
	_, err = w.svc.StartTransfer(ctx, w.law, app.TransferInput{IDNos: []string{w.ids["乙"]}, Reason: app.ReasonStudy, Unit: "x", Address: "y",
		ToOrg: w.fresh.ID, Outside: &app.OutsideInput{Name: beida}})
	wantCode(t, "R-W1 --outside with --to", err, app.EInvalid)

	_, err = w.svc.ApproveTransfer(ctx, w.law, tr.No)
	wantCode(t, "R-W2 approve an outside step", err, app.EConflict)
	wantMsg(t, "R-W2 approve an outside step", err, "transfer confirm")
	_, err = w.svc.RecordOutsideAnswer(ctx, w.econ, tr.No, app.OutsideAnswer{Approved: true})
	wantCode(t, "R-W2 another college records", err, app.EForbidden)
	*w.clock = w.clock.Add(72 * time.Hour)
	_, err = w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true, Date: "2026-06-09"})
	wantMsg(t, "R-W2 date in the future", err, "还没有到")
	_, err = w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true, Date: "2026-05-20"})
	wantMsg(t, "R-W2 date before the transfer", err, "早于")
	_, err = w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true, Date: "6月2日"})
	wantCode(t, "R-W2 bad date", err, app.EInvalid)
	if m := w.member(t, w.ids["戊"]); m.Departed() || m.OrgID != w.grad2.ID {
		t.Fatalf("refusals changed the member: %+v", m)
	}

	done, err := w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true, Date: "2026-06-02", Note: "电话确认"})
	if err != nil {
		t.Fatalf("R-W2 record 对方已同意: %v", err)
	}
	st := done.Steps[0]
	if done.State != app.StateDone || st.Outcome != app.OutcomeOutsideApproved || st.LearnedOn != "2026-06-02" || st.Note != "电话确认" {
		t.Fatalf("R-W2: transfer %s, step %+v", done.State, st)
	}
	m := w.member(t, w.ids["戊"])
	if !m.Departed() || m.LeftTo != beida || m.LeftFrom != w.grad2.FullName || m.LeftTransfer != tr.No || m.LeftAt.IsZero() {
		t.Fatalf("R-W3: member after leaving %+v", m)
	}
	if got := w.org(t, w.grad2.ID).MemberCount; got != 0 {
		t.Errorf("R-W3: the emptied branch still counts %d members", got)
	}
	if got := w.org(t, w.lawOrg.ID).MemberCount; got != 4 {
		t.Errorf("R-W3: the college counts %d members, want 4", got)
	}
	n, err := w.svc.CountMembers(ctx, w.law, app.MemberQuery{OrgID: w.lawOrg.ID, Text: "戊"})
	if err != nil || n != 0 {
		t.Errorf("R-W3: an active search finds the member who left (%d, %v)", n, err)
	}
	var left []app.Member
	if err := w.svc.ListMembers(ctx, w.law, app.MemberQuery{OrgID: w.lawOrg.ID, Departed: true}, func(m app.Member) error { left = append(left, m); return nil }); err != nil || len(left) != 1 {
		t.Fatalf("R-W3: members who left: %d, %v", len(left), err)
	}
	if _, err := w.svc.EditMember(ctx, w.law, w.ids["戊"], map[string]string{"手机号码": "13800000000"}); app.ErrorCode(err) != app.EConflict {
		t.Errorf("R-W3: editing a member who left: %v", err)
	}
	audit, _ := w.svc.Audit(ctx, w.owner, app.AuditFilter{Member: w.ids["戊"]})
	found := false
	for _, e := range audit {
		if e.Action == app.StepIn+app.OutcomeOutsideApproved && strings.Contains(e.After, app.StatusDeparted) && e.Before == w.grad2.FullName {
			found = true
		}
	}
	if !found {
		t.Errorf("R-W2/R-X6: no audit entry 转入审批对方已同意 before → after: %+v", audit)
	}

	// R-O4, R-W3: the emptied branch goes; the record keeps its path.
	if err := w.svc.DeleteOrg(ctx, w.law, w.grad2.ID); err != nil {
		t.Fatalf("R-W3: deleting the emptied branch: %v", err)
	}
	got, err := w.svc.Member(ctx, w.law, w.ids["戊"])
	if err != nil || got.LeftFrom != w.grad2.FullName {
		t.Fatalf("R-W3: member after the branch was deleted: %+v, %v", got, err)
	}
	kept, err := w.svc.TransferByNo(ctx, w.law, tr.No)
	if err != nil || kept.FromName != w.grad2.FullName {
		t.Fatalf("R-W3: transfer after the branch was deleted: from %q, %v", kept.FromName, err)
	}
	// A branch that still holds an active member cannot be deleted.
	err = w.svc.DeleteOrg(ctx, w.law, w.grad1.ID)
	wantCode(t, "R-O4 non-empty branch", err, app.EConflict)
}

// R-W2, R-T4: an outside step untouched for 15 days stands approved by
// default; from day 10 the local party is reminded; the sweep (set-based)
// makes the member leave exactly as a recorded answer does.
func TestOutsideStepDefault_R_W2_R_T4(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	tr := w.startOut(t, w.law, "甲", beida)
	notice := func(ss *app.Session) (app.Notice, bool) {
		list, err := w.svc.Notices(ctx, ss)
		if err != nil {
			t.Fatalf("Notices: %v", err)
		}
		for _, n := range list {
			if n.TransferNo == tr.No {
				return n, true
			}
		}
		return app.Notice{}, false
	}
	*w.clock = w.clock.AddDate(0, 0, 9)
	if n, ok := notice(w.law); !ok || n.Kind != app.NoticeOutside || n.DaysLeft != 6 {
		t.Fatalf("R-W2 day 9: notice %+v (%v), want %s with 6 days left", n, ok, app.NoticeOutside)
	}
	if _, ok := notice(w.econ); ok {
		t.Error("R-W2: another college is told about the outside step")
	}
	*w.clock = w.clock.AddDate(0, 0, 1)
	if n, ok := notice(w.law); !ok || n.Kind != app.NoticeOverdue || !strings.Contains(n.Text, "未收到校外组织") {
		t.Fatalf("R-W2 day 10: notice %+v, want the reminder", n)
	}
	*w.clock = w.clock.AddDate(0, 0, 5)
	_, err := w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true})
	wantCode(t, "R-T4 recording a due step", err, app.EConflict)
	res, err := w.svc.Sweep(ctx)
	if err != nil || res.Defaulted != 1 || res.Finished != 1 {
		t.Fatalf("R-T4 sweep: %+v, %v", res, err)
	}
	m := w.member(t, w.ids["甲"])
	if !m.Departed() || m.LeftTo != beida || m.LeftFrom != w.grad1.FullName || m.LeftTransfer != tr.No || m.LeftPath != w.grad1.Path {
		t.Fatalf("R-W3 by default: %+v", m)
	}
	got, _ := w.svc.TransferByNo(ctx, w.law, tr.No)
	if got.State != app.StateDone || got.Steps[0].Outcome != app.OutcomeDefault {
		t.Fatalf("R-T4: %s / %+v", got.State, got.Steps[0])
	}
	if n := w.org(t, w.grad1.ID).MemberCount; n != 3 {
		t.Errorf("R-W3: branch counts %d after the default, want 3", n)
	}
	if problems, err := w.st.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("check after the sweep: %v %v", problems, err)
	}
}

// R-W2, R-T5: 对方退回 leaves the member where they were, with the reason;
// a step of this store is not recorded as an outside answer.
func TestOutsideRejectAndLocalSteps_R_W2_R_T5(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	tr := w.startOut(t, w.law, "乙", beida)
	got, err := w.svc.RejectTransfer(ctx, w.law, tr.No, "录取名单中没有此人")
	if err != nil || got.State != app.StateRejected || got.Steps[0].Outcome != app.OutcomeOutsideRejected || got.RejectReason != "录取名单中没有此人" {
		t.Fatalf("R-W2 对方退回: %+v, %v", got, err)
	}
	if m := w.member(t, w.ids["乙"]); m.Departed() || m.OrgID != w.grad1.ID {
		t.Fatalf("R-T5: member moved after 对方退回: %+v", m)
	}
	_, err = w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true})
	wantCode(t, "R-W2 confirming a rejected transfer", err, app.EConflict)

	// A transfer between two colleges of this store has no outside step.
	local, err := w.svc.StartTransfer(ctx, w.law, app.TransferInput{IDNos: []string{w.ids["乙"]}, Reason: app.ReasonStudy, Unit: "本校", Address: "杭州", ToOrg: w.fresh.ID})
	if err != nil {
		t.Fatalf("local transfer: %v", err)
	}
	_, err = w.svc.RecordOutsideAnswer(ctx, w.econ, local[0].No, app.OutsideAnswer{Approved: true})
	wantCode(t, "R-W2 confirming a step of this store", err, app.EConflict)
	wantMsg(t, "R-W2 confirming a step of this store", err, "不是校外组织的步骤")
}

// R-W4, R-W3: a freshman from a high school is received into a branch; a
// committee assigns first; an ID already active here is refused with where;
// one who left and comes back is the same record.
func TestTransferInFromOutside_R_W4(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	school := &app.OutsideInput{Name: "杭州市第十四中学团委"}
	newID := idOf(t, "33010620070901001")
	tr, err := w.svc.PullTransfer(ctx, w.econ, app.TransferInput{IDNos: []string{newID}, Name: "新同学", Reason: app.ReasonStudy, ToOrg: w.fresh.ID, FromOutside: school})
	if err != nil {
		t.Fatalf("R-W4 pull from outside: %v", err)
	}
	if !tr.FromOut || len(tr.Steps) != 1 || !tr.Steps[0].Outside || tr.Steps[0].Kind != app.StepOut || tr.Initiator != app.ByInOrg {
		t.Fatalf("R-W4: transfer %+v", tr)
	}
	got, err := w.svc.RecordOutsideAnswer(ctx, w.econ, tr.No, app.OutsideAnswer{Approved: true})
	if err != nil || got.State != app.StateDone {
		t.Fatalf("R-W4 confirm: %+v, %v", got, err)
	}
	m := w.member(t, newID)
	if m.OrgID != w.fresh.ID || m.Name != "新同学" || m.Status != app.StatusActive || !m.Incomplete {
		t.Fatalf("R-W4: received member %+v", m)
	}
	if n := w.org(t, w.fresh.ID).MemberCount; n != 1 {
		t.Errorf("R-W4: branch counts %d", n)
	}
	list, _ := w.svc.Notices(ctx, w.econ)
	found := false
	for _, n := range list {
		found = found || (n.Kind == app.NoticeIncomplete && strings.Contains(n.Text, "新同学"))
	}
	if !found {
		t.Fatalf("R-W4: no incomplete-record notice: %+v", list)
	}
	if _, err := w.svc.EditMember(ctx, w.econ, newID, map[string]string{"民族": "汉族", "文化程度": "普通本科在读", "入团年月": "2021-05", "发展团员编号": "202100004401"}); err != nil {
		t.Fatalf("R-W4 completing: %v", err)
	}
	if w.member(t, newID).Incomplete {
		t.Error("R-W4: the completed record is still incomplete")
	}

	// Into a committee: 对方同意, then the committee assigns (R-T3).
	id2 := idOf(t, "33010620070902002")
	tr2, err := w.svc.PullTransfer(ctx, w.law, app.TransferInput{IDNos: []string{id2}, Name: "晚报到", Reason: app.ReasonStudy, FromOutside: school})
	if err != nil {
		t.Fatalf("R-W4 pull to the committee: %v", err)
	}
	if len(tr2.Steps) != 2 || tr2.Steps[1].Kind != app.StepAssign || tr2.ToOrg != w.lawOrg.ID {
		t.Fatalf("R-W4: steps %+v to %d", tr2.Steps, tr2.ToOrg)
	}
	if _, err := w.svc.RecordOutsideAnswer(ctx, w.law, tr2.No, app.OutsideAnswer{Approved: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AssignTransfer(ctx, w.law, tr2.No, w.grad1.ID); err != nil {
		t.Fatalf("R-W4 assign: %v", err)
	}
	if m := w.member(t, id2); m.OrgID != w.grad1.ID || !m.Incomplete {
		t.Fatalf("R-W4 assigned member %+v", m)
	}

	// Refusals.
	_, err = w.svc.PullTransfer(ctx, w.econ, app.TransferInput{IDNos: []string{w.ids["甲"]}, Name: "甲", Reason: app.ReasonStudy, FromOutside: school})
	wantCode(t, "R-X3 active member from outside", err, app.EConflict)
	wantMsg(t, "R-X3 active member from outside", err, w.grad1.FullName)
	bad := newID[:17] + map[bool]string{true: "0", false: "1"}[newID[17] != '0']
	_, err = w.svc.PullTransfer(ctx, w.econ, app.TransferInput{IDNos: []string{bad}, Name: "某人", Reason: app.ReasonStudy, FromOutside: school})
	wantCode(t, "R-M2 bad check character", err, app.EInvalid)
	_, err = w.svc.PullTransfer(ctx, w.econ, app.TransferInput{IDNos: []string{idOf(t, "33010620070903003")}, Name: "某人", Reason: app.ReasonStudy})
	wantCode(t, "R-W4 unknown person without --from-outside", err, app.ENotFound)
	wantMsg(t, "R-W4 unknown person without --from-outside", err, "--from-outside")

	// R-W3: 甲 leaves, then comes back for postgraduate study: same record.
	out := w.startOut(t, w.law, "甲", beida)
	if _, err := w.svc.RecordOutsideAnswer(ctx, w.law, out.No, app.OutsideAnswer{Approved: true}); err != nil {
		t.Fatal(err)
	}
	before := w.member(t, w.ids["甲"])
	back, err := w.svc.PullTransfer(ctx, w.econ, app.TransferInput{IDNos: []string{w.ids["甲"]}, Name: "甲", Reason: app.ReasonStudy, ToOrg: w.fresh.ID})
	if err != nil {
		t.Fatalf("R-W3 returning member: %v", err)
	}
	if back.FromName != beida {
		t.Errorf("R-W3: a returning member comes from %q, want where they went", back.FromName)
	}
	if _, err := w.svc.RecordOutsideAnswer(ctx, w.econ, back.No, app.OutsideAnswer{Approved: true}); err != nil {
		t.Fatal(err)
	}
	after := w.member(t, w.ids["甲"])
	if after.ID != before.ID || after.Departed() || after.OrgID != w.fresh.ID || after.Ethnicity != "汉族" || after.Incomplete ||
		after.LeftTo != "" || after.LeftTransfer != 0 || !after.LeftAt.IsZero() || after.LeftPath != "" {
		t.Fatalf("R-W3: reactivated %+v (was %+v)", after, before)
	}
	hist, _ := w.svc.ListTransfers(ctx, w.owner, false)
	n := 0
	for _, h := range hist {
		if h.IDNo == w.ids["甲"] {
			n++
		}
	}
	if n != 2 {
		t.Errorf("R-W3: %d transfers kept for the returning member, want 2", n)
	}
}

// R-W4 by default: the set-based sweep creates the received member as the
// recorded answer does.
func TestTransferInDefault_R_W4_R_T4(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	id := idOf(t, "33010620070904004")
	if _, err := w.svc.PullTransfer(ctx, w.econ, app.TransferInput{IDNos: []string{id}, Name: "默认生", Reason: app.ReasonStudy, ToOrg: w.fresh.ID,
		FromOutside: &app.OutsideInput{Name: "杭州市第十四中学团委"}}); err != nil {
		t.Fatal(err)
	}
	*w.clock = w.clock.AddDate(0, 0, 16)
	if res, err := w.svc.Sweep(ctx); err != nil || res.Finished != 1 {
		t.Fatalf("sweep: %+v %v", res, err)
	}
	m := w.member(t, id)
	if m.OrgID != w.fresh.ID || !m.Incomplete || m.Status != app.StatusActive || m.Name != "默认生" {
		t.Fatalf("R-W4 by default: %+v", m)
	}
	if n := w.org(t, w.fresh.ID).MemberCount; n != 1 {
		t.Errorf("R-W4 by default: branch counts %d", n)
	}
	if problems, err := w.st.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("check: %v %v", problems, err)
	}
}

// R-W5: from a school's store the 省级审批 is an outside step and the member
// leaves to the province's 特殊单位专属库; a store that holds the 团省委
// makes its library when first needed.
func TestSpecialUnit_R_W5(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	list, err := w.svc.StartTransfer(ctx, w.law, app.TransferInput{IDNos: []string{w.ids["丙"]}, Reason: app.ReasonSpecial})
	if err != nil {
		t.Fatalf("R-W5 special from a school store: %v", err)
	}
	tr := list[0]
	if len(tr.Steps) != 1 || tr.Steps[0].Kind != app.StepProvince || !tr.Steps[0].Outside || tr.Steps[0].OrgName != "共青团浙江省委员会" || tr.ToName != "浙江特殊单位专属库" {
		t.Fatalf("R-W5: %+v", tr)
	}
	if _, err := w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true}); err != nil {
		t.Fatalf("R-W5 confirm: %v", err)
	}
	if m := w.member(t, w.ids["丙"]); !m.Departed() || m.LeftTo != "浙江特殊单位专属库" {
		t.Fatalf("R-W5: %+v", m)
	}

	// A provincial store: the 团省委 is the root, with no library yet.
	svc, _, clock := newService(t)
	*clock = time.Date(2026, 6, 1, 9, 0, 0, 0, app.Shanghai)
	prov, err := svc.Init(ctx, app.InitInput{OrgName: "共青团浙江省委员会", Kind: app.KindProvince, Province: "浙江", AdminName: "周明远", AdminID: adminID})
	if err != nil {
		t.Fatal(err)
	}
	owner := twSignIn(t, svc, adminID)
	uni, _, err := svc.AddOrg(ctx, owner, app.NewOrg{ParentID: prov.ID, Name: "浙江明理大学团委", Kind: app.KindCommittee})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := svc.AddOrg(ctx, owner, app.NewOrg{ParentID: uni.ID, Name: "2022级法学1班团支部", Kind: app.KindBranch})
	if err != nil {
		t.Fatal(err)
	}
	id := idOf(t, "11010120040101001")
	if _, err := svc.AddMember(ctx, owner, app.Member{OrgID: b.ID, Name: "参军者", IDNo: id, JoinMonth: "2016-05"}); err != nil {
		t.Fatal(err)
	}
	list, err = svc.StartTransfer(ctx, owner, app.TransferInput{IDNos: []string{id}, Reason: app.ReasonSpecial})
	if err != nil {
		t.Fatalf("R-W5 special in a provincial store: %v", err)
	}
	if st := list[0].Steps[0]; st.Outside || st.OrgID != prov.ID || !strings.HasPrefix(list[0].ToName, prov.Name+"/") {
		t.Fatalf("R-W5 provincial: step %+v, to %q", st, list[0].ToName)
	}
	lib, err := svc.Org(ctx, owner, list[0].ToOrg)
	if err != nil || lib.Category != app.CatSpecial || lib.Outside {
		t.Fatalf("R-W5: library %+v, %v", lib, err)
	}
}

// R-W6: the season's progress per college and for the school.
func TestGraduatesReport_R_W6(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	// 甲 finished (and the branch of 戊 emptied and deleted: still counted),
	// 乙 in progress, 丙 kept at school, 丁 delayed (not a graduate), 戊 finished.
	for _, name := range []string{"甲", "戊"} {
		tr := w.startOut(t, w.law, name, beida)
		if _, err := w.svc.RecordOutsideAnswer(ctx, w.law, tr.No, app.OutsideAnswer{Approved: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.svc.DeleteOrg(ctx, w.law, w.grad2.ID); err != nil {
		t.Fatal(err)
	}
	w.startOut(t, w.law, "乙", beida)
	if _, err := w.svc.StartTransfer(ctx, w.law, app.TransferInput{IDNos: []string{w.ids["丙"]}, Reason: app.ReasonUnemployed, KeepMonths: 6}); err != nil {
		t.Fatal(err)
	}
	rep, err := w.svc.GraduatesReport(ctx, w.owner, "2026", 0)
	if err != nil {
		t.Fatalf("GraduatesReport: %v", err)
	}
	want := app.GradProgress{Graduates: 4, Finished: 2, InProgress: 1, Kept: 1}
	tot := rep.Total
	tot.Org = app.Org{}
	if tot != want || rep.Total.Percent() != "50.0%" {
		t.Fatalf("R-W6 total %+v (%s), want %+v", rep.Total, rep.Total.Percent(), want)
	}
	if len(rep.Rows) != 2 || rep.Rows[0].Org.ID != w.lawOrg.ID || rep.Rows[0].Graduates != 4 || rep.Rows[1].Graduates != 0 {
		t.Fatalf("R-W6 rows %+v", rep.Rows)
	}
	// A college sees its own; the other college none; a bad year is refused.
	if r, err := w.svc.GraduatesReport(ctx, w.econ, "2026", 0); err != nil || r.Total.Graduates != 0 {
		t.Errorf("R-W6 other college: %+v %v", r.Total, err)
	}
	_, err = w.svc.GraduatesReport(ctx, w.owner, "26", 0)
	wantCode(t, "R-W6 bad year", err, app.EInvalid)

	// 乙's transfer is withdrawn by the other side: 乙 is not started now.
	hist, _ := w.svc.ListTransfers(ctx, w.owner, false)
	for _, h := range hist {
		if h.IDNo == w.ids["乙"] && h.IsOpen() {
			if _, err := w.svc.RejectTransfer(ctx, w.law, h.No, "对方未录取"); err != nil {
				t.Fatal(err)
			}
		}
	}
	ns, err := w.svc.NotStartedGraduates(ctx, w.law, "2026", w.lawOrg.ID)
	if err != nil || len(ns) != 1 || ns[0].Name != "乙" {
		t.Fatalf("R-W6 not started: %+v %v", ns, err)
	}
}

// Issue 10 item 13: an approval or rejection names the step it acts on; a
// rejection meant for the 转出审批 that another desk approved meanwhile is
// refused, saying who acted, instead of landing on the next step.
func TestActOnTheStepShown(t *testing.T) {
	w := buildOutsideWorld(t)
	ctx := context.Background()
	// 乙 to the other college's committee: its 转入审批, then its 分配团支部.
	list, err := w.svc.StartTransfer(ctx, w.law, app.TransferInput{IDNos: []string{w.ids["乙"]}, Reason: app.ReasonStudy, Unit: "本校", Address: "杭州", ToOrg: w.econOrg.ID})
	if err != nil {
		t.Fatal(err)
	}
	tr := list[0]
	shown, _ := tr.Current()
	// The owner's desk approves the step; the college's desk, still showing
	// it, rejects: refused, nothing changed.
	if _, err := w.svc.ApproveTransfer(app.ForStep(ctx, shown.ID), w.econ, tr.No); err != nil {
		t.Fatalf("approve the shown step: %v", err)
	}
	before, _ := w.svc.TransferByNo(ctx, w.owner, tr.No)
	_, err = w.svc.RejectTransfer(app.ForStep(ctx, shown.ID), w.owner, tr.No, "材料不全")
	wantCode(t, "reject a step approved meanwhile", err, app.EConflict)
	wantMsg(t, "reject a step approved meanwhile", err, "吴老师", "已由")
	after, _ := w.svc.TransferByNo(ctx, w.owner, tr.No)
	if after.State != before.State || after.State != app.StateAssigning {
		t.Fatalf("the refused rejection changed the transfer: %s → %s", before.State, after.State)
	}
	// Without a step named, the use case acts on the current one as before.
	list, err = w.svc.StartTransfer(ctx, w.law, app.TransferInput{IDNos: []string{w.ids["丙"]}, Reason: app.ReasonStudy, Unit: "本校", Address: "杭州", ToOrg: w.fresh.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.RejectTransfer(ctx, w.econ, list[0].No, "不接收"); err != nil {
		t.Fatalf("reject the current step: %v", err)
	}
}
