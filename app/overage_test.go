package app_test

import (
	"context"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
)

// TestLeaveOverAge_R_X4: the batch records 超龄离团 for those 28 by the date,
// leaves those who turn 28 later in the year and those holding a post.
func TestLeaveOverAge_R_X4(t *testing.T) {
	st, err := data.Open(storeLocation(t, t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := app.NewService(st)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, app.Shanghai)
	svc.Now = func() time.Time { return now }
	ctx := context.Background()
	admin := fix("33010619900101001")
	if _, err := svc.Init(ctx, app.InitInput{OrgName: "测试大学团委", Province: "浙江", AdminName: "张三", AdminID: admin}); err != nil {
		t.Fatal(err)
	}
	ss, _ := svc.SignIn(ctx, admin, app.InitialPassword(admin))
	if err := svc.ChangePassword(ctx, ss, app.InitialPassword(admin), "Secret-2026"); err != nil {
		t.Fatal(err)
	}
	root, _ := svc.ResolveOrg(ctx, ss, "测试大学团委")
	branch, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: root.ID, Name: "教工团支部", Kind: app.KindBranch, Category: app.CatTeacher})
	if err != nil {
		t.Fatal(err)
	}
	old, later, cadre := fix("33010219980101001"), fix("33010219981231002"), fix("33010219980202003")
	for _, m := range []app.Member{
		{OrgID: branch.ID, Name: "甲", IDNo: old},
		{OrgID: branch.ID, Name: "乙", IDNo: later},
		{OrgID: branch.ID, Name: "丙", IDNo: cadre, IsCadre: true, Post: "书记"},
	} {
		if _, err := svc.AddMember(ctx, ss, m); err != nil {
			t.Fatal(err)
		}
	}
	left, wait, err := svc.LeaveOverAge(ctx, ss, root.ID, "2026-11-27")
	if err != nil || left != 1 || wait != 1 {
		t.Fatalf("left %d, later %d, err %v; want 1, 1", left, wait, err)
	}
	for id, want := range map[string]string{old: app.StatusOverAge, later: app.StatusActive, cadre: app.StatusActive} {
		if m, _ := svc.Member(ctx, ss, id); m.Status != want {
			t.Errorf("%s: status %q, want %q", id, m.Status, want)
		}
	}
}

func fix(first17 string) string { return first17 + string(app.IDCheckChar(first17)) }
