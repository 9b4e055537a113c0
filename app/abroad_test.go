package app_test

import (
	"context"
	"reflect"
	"testing"

	"tuanwu/app"
)

// TestAbroadRegister_R_T2: the register of 出国（境）学习研究 members lists
// who is now in a college's 出国(境)学习研究团员团支部 with the application
// data of the approved transfer (or none, for a member entered directly);
// the owner sees every college, a college admin only its own, a branch
// admin and a member are refused; nothing is written.
func TestAbroadRegister_R_T2(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, owner := f.svc, f.owner
	addOrg := func(parent app.Org, name string) app.Org {
		t.Helper()
		o, _, err := svc.AddOrg(ctx, owner, app.NewOrg{ParentID: parent.ID, Name: name, Kind: app.KindBranch, Category: app.CatAbroad})
		if err != nil {
			t.Fatalf("AddOrg %s: %v", name, err)
		}
		return o
	}
	abroadA := addOrg(f.colA, "出国(境)学习研究团员团支部")
	abroadB := addOrg(f.colB, "出国(境)学习研究团员团支部")

	wangID, liID := idOf(t, "33010220030412001"), idOf(t, "33010220040820001")
	zhaoID, sunID := idOf(t, "44030420060101001"), idOf(t, "33010220040921002")
	f.addMember(t, owner, member(f.branchA1.ID, "王小红", wangID, "2019-05", "201900000001"))
	f.addMember(t, owner, member(f.branchA1.ID, "李四", liID, "2019-05", "201900000002"))
	f.addMember(t, owner, member(abroadB.ID, "赵六", zhaoID, "2020-05", "202000000003")) // entered directly
	f.addMember(t, owner, member(f.branch.ID, "孙八", sunID, "2019-05", "201900000004"))

	// A college admin of 信息学院 and a branch admin of A1.
	colAdmin, branchAdmin := idOf(t, "33010619900202001"), idOf(t, "33010619920404003")
	sessions := map[string]*app.Session{}
	for _, a := range []struct {
		org      app.Org
		id, name string
	}{{f.colA, colAdmin, "陈老师"}, {f.branchA1, branchAdmin, "白老师"}} {
		if _, err := svc.AddCadre(ctx, owner, app.CadreInput{OrgID: a.org.ID, IDNo: a.id, Name: a.name, Post: "书记", Nature: "兼职", PostSince: "2024-09"}); err != nil {
			t.Fatalf("AddCadre %s: %v", a.name, err)
		}
		if _, err := svc.AddAdmin(ctx, owner, a.org.ID, a.id); err != nil {
			t.Fatalf("AddAdmin %s: %v", a.name, err)
		}
		ss, err := svc.SignIn(ctx, a.id, app.InitialPassword(a.id))
		wantCode(t, "first SignIn of "+a.name, err, app.EMustChange)
		if err := svc.ChangePassword(ctx, ss, app.InitialPassword(a.id), adminNewPass); err != nil {
			t.Fatalf("ChangePassword %s: %v", a.name, err)
		}
		sessions[a.id] = ss
	}
	memberSS, err := svc.SignIn(ctx, wangID, app.InitialPassword(wangID))
	wantCode(t, "first SignIn of the member", err, app.EMustChange)
	if err := svc.ChangePassword(ctx, memberSS, app.InitialPassword(wangID), adminNewPass); err != nil {
		t.Fatalf("ChangePassword of the member: %v", err)
	}

	abroad := func(ss *app.Session, id string, in app.TransferInput) app.Transfer {
		t.Helper()
		in.IDNos, in.Reason = []string{id}, app.ReasonAbroadStudy
		trs, err := svc.StartTransfer(ctx, ss, in)
		if err != nil || len(trs) != 1 {
			t.Fatalf("StartTransfer 出国（境）学习研究 %s: %v, %v", id, trs, err)
		}
		return trs[0]
	}
	// 王小红: the college applies; the school committee approves a day later.
	tr := abroad(sessions[colAdmin], wangID, app.TransferInput{AbroadPlace: "英国伦敦帝国理工学院", AbroadPeriod: "2025-09 至 2026-08",
		Contact: "王建国", ContactPhone: "13800138000", Remark: "联合培养硕士"})
	*f.clock = svcTestNow.AddDate(0, 0, 1)
	if tr, err = svc.ApproveTransfer(ctx, owner, tr.No); err != nil || tr.State != app.StateDone {
		t.Fatalf("ApproveTransfer 王小红 = %+v, %v; want done", tr, err)
	}
	wangNo := tr.No
	// 李四: applied, still waiting for the school committee: not on the register.
	abroad(sessions[colAdmin], liID, app.TransferInput{AbroadPlace: "日本东京", AbroadPeriod: "半年", Contact: "李明", ContactPhone: "0571-88888888"})
	// 孙八 of 经济学院: applied and approved with the details in the remark.
	tr = abroad(owner, sunID, app.TransferInput{AbroadPlace: "德国慕尼黑", Remark: "期限一年，联系人孙父 13900139000"})
	*f.clock = svcTestNow.AddDate(0, 0, 3)
	if tr, err = svc.ApproveTransfer(ctx, owner, tr.No); err != nil || tr.State != app.StateDone || tr.ToOrg != abroadB.ID {
		t.Fatalf("ApproveTransfer 孙八 = %+v, %v; want done into %s", tr, err, abroadB.FullName)
	}
	sunNo := tr.No

	wang := app.AbroadRow{Name: "王小红", IDNo: wangID, College: f.colA.FullName, FromOrg: f.branchA1.FullName,
		Place: "英国伦敦帝国理工学院", Period: "2025-09 至 2026-08", Contact: "王建国", ContactPhone: "13800138000",
		ApprovedOn: "2025-06-02", Remark: "联合培养硕士", TransferNo: wangNo}
	zhao := app.AbroadRow{Name: "赵六", IDNo: zhaoID, College: f.colB.FullName}
	sun := app.AbroadRow{Name: "孙八", IDNo: sunID, College: f.colB.FullName, FromOrg: f.branch.FullName, Place: "德国慕尼黑",
		ApprovedOn: "2025-06-04", Remark: "期限一年，联系人孙父 13900139000", TransferNo: sunNo}
	if got, err := svc.Member(ctx, owner, wangID); err != nil || got.OrgID != abroadA.ID {
		t.Fatalf("王小红 is in %d (%v), want the college's 出国(境)学习研究团员团支部 %d", got.OrgID, err, abroadA.ID)
	}

	before := len(storedAudit(t, f.store))
	for _, c := range []struct {
		who  string
		ss   *app.Session
		want []app.AbroadRow
		code app.Code
	}{
		{"the owner sees every college", owner, []app.AbroadRow{wang, zhao, sun}, ""},
		{"a college admin sees its college only", sessions[colAdmin], []app.AbroadRow{wang}, ""},
		{"a branch admin is refused", sessions[branchAdmin], nil, app.EForbidden},
		{"a member is refused", memberSS, nil, app.EForbidden},
		{"no session", nil, nil, app.EUnauthorized},
	} {
		rows, err := svc.AbroadRegister(ctx, c.ss)
		if c.code != "" {
			wantCode(t, c.who, err, c.code)
			if rows != nil {
				t.Errorf("%s: refused, yet rows %+v", c.who, rows)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.who, err)
		}
		if !reflect.DeepEqual(rows, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.who, rows, c.want)
		}
	}
	if after := len(storedAudit(t, f.store)); after != before {
		t.Errorf("AbroadRegister wrote %d audit entries; an export that changes nothing writes none, as ErrorReport", after-before)
	}

	// A member who left the League is no longer on the register.
	if _, err := svc.SetStatus(ctx, owner, zhaoID, app.StatusQuit, "2025-06-04", "本人申请"); err != nil {
		t.Fatalf("SetStatus 赵六: %v", err)
	}
	rows, err := svc.AbroadRegister(ctx, owner)
	if err != nil || !reflect.DeepEqual(rows, []app.AbroadRow{wang, sun}) {
		t.Fatalf("after 赵六 left: %+v, %v; want 王小红 and 孙八", rows, err)
	}
}
