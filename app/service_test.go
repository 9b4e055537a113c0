package app_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
)

// svcTestNow is the fixed clock of the service tests.
var svcTestNow = time.Date(2025, 6, 1, 10, 0, 0, 0, app.Shanghai)

const (
	adminID      = "330106198805120015"
	adminInitial = "05120015"
	adminNewPass = "Tuanwu#2025"
)

// idOf appends the check character to 17 digits.
func idOf(t testing.TB, first17 string) string {
	t.Helper()
	c := app.IDCheckChar(first17)
	if c == 0 {
		t.Fatalf("IDCheckChar(%q) = 0", first17)
	}
	return first17 + string(c)
}

// openStore opens a fresh SQLite store in t.TempDir.
func openStore(t testing.TB) *data.Store {
	t.Helper()
	st, err := data.Open(storeLocation(t, t.TempDir(), "tuanwu.db"))
	if err != nil {
		t.Fatalf("data.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newService returns a service over a fresh store whose clock is *clock.
func newService(t testing.TB) (*app.Service, *data.Store, *time.Time) {
	t.Helper()
	st := openStore(t)
	clock := svcTestNow
	svc := app.NewService(st)
	svc.Now = func() time.Time { return clock }
	return svc, st, &clock
}

func initStore(t testing.TB, svc *app.Service) app.Org {
	t.Helper()
	root, err := svc.Init(context.Background(), app.InitInput{
		OrgName: "浙江明理大学团委", Province: "浙江", AdminName: "周明远", AdminID: adminID,
	})
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	return root
}

func wantCode(t testing.TB, what string, err error, code app.Code) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func wantMsg(t testing.TB, what string, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(app.ErrorMessage(err), p) {
			t.Errorf("%s: message %q does not contain %q", what, app.ErrorMessage(err), p)
		}
	}
}

// fixture is a store with a root, two colleges and three branches:
//
//	浙江明理大学团委
//	├── 信息学院团委: 2023级计算机1班团支部 (A1), 2023级软件工程1班团支部 (A2)
//	└── 经济学院团委: 2023级经济学1班团支部 (B1)
type fixture struct {
	svc                        *app.Service
	store                      *data.Store
	clock                      *time.Time
	owner                      *app.Session
	root, colA, colB           app.Org
	branchA1, branchA2, branch app.Org // branch is B1
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	svc, st, clock := newService(t)
	f := &fixture{svc: svc, store: st, clock: clock}
	f.root = initStore(t, svc)
	ss, err := svc.SignIn(ctx, adminID, adminInitial)
	wantCode(t, "first SignIn", err, app.EMustChange)
	if err := svc.ChangePassword(ctx, ss, adminInitial, adminNewPass); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	f.owner = ss
	add := func(parent app.Org, name, kind string) app.Org {
		o, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: parent.ID, Name: name, Kind: kind})
		if err != nil {
			t.Fatalf("AddOrg %s: %v", name, err)
		}
		return o
	}
	f.colA = add(f.root, "信息学院团委", app.KindCommittee)
	f.colB = add(f.root, "经济学院团委", app.KindCommittee)
	f.branchA1 = add(f.colA, "2023级计算机1班团支部", app.KindBranch)
	f.branchA2 = add(f.colA, "2023级软件工程1班团支部", app.KindBranch)
	f.branch = add(f.colB, "2023级经济学1班团支部", app.KindBranch)
	return f
}

// member returns a valid member of orgID.
func member(orgID int64, name, id, join, no string) app.Member {
	return app.Member{OrgID: orgID, Name: name, IDNo: id, JoinMonth: join, MemberNo: no}
}

func (f *fixture) addMember(t *testing.T, ss *app.Session, m app.Member) app.Member {
	t.Helper()
	got, err := f.svc.AddMember(context.Background(), ss, m)
	if err != nil {
		t.Fatalf("AddMember %s: %v", m.Name, err)
	}
	return got
}

func (f *fixture) count(t *testing.T, q app.MemberQuery) int {
	t.Helper()
	n, err := f.svc.CountMembers(context.Background(), f.owner, q)
	if err != nil {
		t.Fatalf("CountMembers: %v", err)
	}
	return n
}

func (f *fixture) problems(t *testing.T) {
	t.Helper()
	p, err := f.store.Check(context.Background())
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(p) != 0 {
		t.Fatalf("Check found problems: %q", p)
	}
}

// R-A1, R-X6: the first admin signs in with the last 8 characters of the
// 身份证号, must change the password before anything else, and then signs in
// with the new one only.
func TestSignIn_InitialPasswordMustChange_R_A1(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	root := initStore(t, svc)
	if root.Name != "浙江明理大学团委" || root.Kind != app.KindCommittee || root.Province != "浙江" || root.Path != "/1/" {
		t.Fatalf("root = %+v", root)
	}
	_, err := svc.Init(ctx, app.InitInput{OrgName: "另一个团委", Province: "浙江", AdminName: "李四", AdminID: adminID})
	wantCode(t, "second Init", err, app.EConflict)

	ss, err := svc.SignIn(ctx, adminID, adminInitial)
	wantCode(t, "SignIn with initial password", err, app.EMustChange)
	if ss == nil || !ss.Account.MustChange || !ss.Owner || len(ss.Orgs) != 1 || ss.Orgs[0].ID != root.ID {
		t.Fatalf("session = %+v, want the owner of the root with MustChange", ss)
	}
	// Nothing but ChangePassword works yet.
	_, _, err = svc.AddOrg(ctx, ss, app.NewOrg{ParentID: root.ID, Name: "信息学院团委", Kind: app.KindCommittee})
	wantCode(t, "AddOrg before the change", err, app.EMustChange)
	_, err = svc.FindOrgs(ctx, ss, app.OrgSearch{Text: "团委", Scope: "否"})
	wantCode(t, "FindOrgs before the change", err, app.EMustChange)

	tests := []struct {
		name, old, new string
		code           app.Code
	}{
		{"R-A1 new equals initial", adminInitial, adminInitial, app.EInvalid},
		{"new too short", adminInitial, "abc", app.EInvalid},
		{"new contains the ID", adminInitial, "x" + adminID, app.EInvalid},
		{"wrong old password", "wrong-old-1", adminNewPass, app.EUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := svc.ChangePassword(ctx, ss, tc.old, tc.new)
			wantCode(t, "ChangePassword", err, tc.code)
			if !ss.Account.MustChange {
				t.Error("a refused change cleared MustChange")
			}
		})
	}
	if err := svc.ChangePassword(ctx, nil, adminInitial, adminNewPass); app.ErrorCode(err) != app.EUnauthorized {
		t.Fatalf("ChangePassword without session = %v, want EUnauthorized", err)
	}
	if err := svc.ChangePassword(ctx, ss, adminInitial, adminNewPass); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if ss.Account.MustChange {
		t.Error("session still MustChange after ChangePassword")
	}
	_, err = svc.SignIn(ctx, adminID, adminInitial)
	wantCode(t, "SignIn with the old initial password", err, app.EUnauthorized)
	ss2, err := svc.SignIn(ctx, " "+adminID+" ", adminNewPass)
	if err != nil {
		t.Fatalf("SignIn with the new password: %v", err)
	}
	if ss2.Account.MustChange || !ss2.Owner || ss2.Account.Name != "周明远" {
		t.Errorf("session = %+v, want owner 周明远 without MustChange", ss2.Account)
	}
	// R-X6: the change is in the audit trail, with the fixed clock.
	entries, err := svc.Audit(ctx, ss2, app.AuditFilter{})
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	// The sign-in with the old password failed and is recorded too (issue 10 item 2).
	if strings.Join(actions, ",") != "登录失败,修改密码,添加管理员" {
		t.Fatalf("audit actions = %v, want [登录失败 修改密码 添加管理员]", actions)
	}
	entries = entries[1:]
	if e := entries[0]; e.Actor != adminID || !e.At.Equal(svcTestNow) || e.Object != "330106********0015" {
		t.Errorf("audit entry = %+v", e)
	}
	if e := entries[1]; e.Actor != "系统" || !strings.Contains(e.After, "周明远（330106********0015）") {
		t.Errorf("admin audit entry = %+v", e)
	}
}

// R-A1: Init refuses bad input and writes nothing.
func TestInit_Refuses(t *testing.T) {
	tests := []struct {
		name string
		in   app.InitInput
		code app.Code
		msg  string
	}{
		{"bad admin ID", app.InitInput{OrgName: "某大学团委", Province: "浙江", AdminName: "周明远", AdminID: "330106198805120014"}, app.EInvalid, "管理员的身份证号"},
		{"no admin name", app.InitInput{OrgName: "某大学团委", Province: "浙江", AdminID: adminID}, app.EInvalid, "管理员姓名不能为空"},
		{"R-O3 no province", app.InitInput{OrgName: "某大学团委", AdminName: "周明远", AdminID: adminID}, app.EInvalid, "省份"},
		{"R-O1 root cannot be a branch", app.InitInput{OrgName: "某团支部", Kind: app.KindBranch, Province: "浙江", AdminName: "周明远", AdminID: adminID}, app.EInvalid, "根组织不能是团支部"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, _, _ := newService(t)
			_, err := svc.Init(context.Background(), tc.in)
			wantCode(t, "Init", err, tc.code)
			wantMsg(t, "Init", err, tc.msg)
			ok, err := svc.Initialized(context.Background())
			if err != nil || ok {
				t.Errorf("Initialized = %v, %v after a refused Init, want false", ok, err)
			}
		})
	}
}

// R-A1: an unknown account and a wrong password get the same answer, so the
// answer does not tell which 身份证号 have accounts.
func TestSignIn_SameMessageForUnknownAccountAndWrongPassword_R_A1(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	initStore(t, svc)
	_, errWrong := svc.SignIn(ctx, adminID, "not-the-password")
	_, errUnknown := svc.SignIn(ctx, idOf(t, "33010219900101001"), "not-the-password")
	_, errEmpty := svc.SignIn(ctx, "", "")
	for name, err := range map[string]error{"wrong password": errWrong, "unknown account": errUnknown, "empty": errEmpty} {
		wantCode(t, name, err, app.EUnauthorized)
	}
	if app.ErrorMessage(errWrong) != app.ErrorMessage(errUnknown) || app.ErrorMessage(errWrong) != app.ErrorMessage(errEmpty) {
		t.Errorf("messages differ:\nwrong password:  %q\nunknown account: %q\nempty: %q",
			app.ErrorMessage(errWrong), app.ErrorMessage(errUnknown), app.ErrorMessage(errEmpty))
	}
	wantMsg(t, "wrong password", errWrong, "账号或密码不正确")
}

// R-A1: five wrong passwords in a row lock the account for a minute; the
// right password is refused while locked and accepted afterwards, which
// resets the count.
func TestSignIn_LockoutAfterFiveFailures(t *testing.T) {
	ctx := context.Background()
	svc, _, clock := newService(t)
	initStore(t, svc)
	_, generic := svc.SignIn(ctx, idOf(t, "33010219900101001"), "x")
	for i := 1; i <= 4; i++ {
		_, err := svc.SignIn(ctx, adminID, "wrong-password")
		wantCode(t, "wrong password", err, app.EUnauthorized)
		if app.ErrorMessage(err) != app.ErrorMessage(generic) {
			t.Fatalf("failure %d: message %q, want the generic one", i, app.ErrorMessage(err))
		}
	}
	_, err := svc.SignIn(ctx, adminID, "wrong-password")
	wantCode(t, "fifth failure", err, app.EUnauthorized)
	wantMsg(t, "fifth failure", err, "已连续输错 5 次", "锁定 1 分钟")

	steps := []struct {
		name  string
		after time.Duration
		code  app.Code
		msg   string
	}{
		{"right password at once is refused", 0, app.EUnauthorized, "暂时锁定"},
		{"still locked after 59 s", 59 * time.Second, app.EUnauthorized, "还需等待约 1 秒"},
		{"unlocked after 60 s", 60 * time.Second, app.EMustChange, ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			*clock = svcTestNow.Add(s.after)
			ss, err := svc.SignIn(ctx, adminID, adminInitial)
			wantCode(t, "SignIn", err, s.code)
			wantMsg(t, "SignIn", err, s.msg)
			if s.code == app.EMustChange && ss == nil {
				t.Error("no session after the lock ended")
			}
		})
	}
	// The success reset the count: four more failures do not lock.
	for i := 1; i <= 4; i++ {
		_, err := svc.SignIn(ctx, adminID, "wrong-password")
		if app.ErrorMessage(err) != app.ErrorMessage(generic) {
			t.Fatalf("failure %d after reset: %q, want the generic message", i, app.ErrorMessage(err))
		}
	}
	_, err = svc.SignIn(ctx, adminID, adminInitial)
	wantCode(t, "right password after 4 new failures", err, app.EMustChange)
}

// R-O1, R-O4: adding, renaming and deleting organizations.
func TestOrgs_AddRenameDelete_R_O1_R_O4(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, ss := f.svc, f.owner

	if f.branchA1.FullName != "浙江明理大学团委/信息学院团委/2023级计算机1班团支部" || f.branchA1.Category != app.CatNormal ||
		f.branchA1.Province != "浙江" || f.branchA1.Path != "/1/2/4/" {
		t.Fatalf("branch A1 = %+v", f.branchA1)
	}

	t.Run("R-O1 duplicate name under the same parent", func(t *testing.T) {
		_, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: f.colA.ID, Name: "2023级计算机1班团支部", Kind: app.KindBranch})
		wantCode(t, "AddOrg", err, app.EConflict)
		wantMsg(t, "AddOrg", err, "同一上级组织下已有名为“2023级计算机1班团支部”的组织")
	})
	t.Run("R-O1 same name under another parent is fine", func(t *testing.T) {
		o, warnings, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: f.colB.ID, Name: "2023级计算机1班团支部", Kind: app.KindBranch})
		if err != nil {
			t.Fatalf("AddOrg: %v", err)
		}
		if o.FullName != "浙江明理大学团委/经济学院团委/2023级计算机1班团支部" {
			t.Errorf("FullName = %q", o.FullName)
		}
		// R-X5: a new branch is empty, which is below 3 members.
		if len(warnings) != 1 || !strings.Contains(warnings[0], "少于 3 人（现有 0 人）") {
			t.Errorf("warnings = %q, want the R-X5 member count warning", warnings)
		}
	})
	t.Run("R-X5 badly named branch warns but is added", func(t *testing.T) {
		o, warnings, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: f.colB.ID, Name: "经济一班", Kind: app.KindBranch})
		if err != nil || o.ID == 0 {
			t.Fatalf("AddOrg: %v", err)
		}
		if len(warnings) != 3 {
			t.Errorf("warnings = %q, want 3 (form, suffix, count)", warnings)
		}
	})
	t.Run("R-O1 nothing under a branch", func(t *testing.T) {
		_, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: f.branchA1.ID, Name: "小组团支部", Kind: app.KindBranch})
		wantCode(t, "AddOrg", err, app.EConflict)
	})
	t.Run("unknown parent", func(t *testing.T) {
		_, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: 999, Name: "某团支部", Kind: app.KindBranch})
		wantCode(t, "AddOrg", err, app.ENotFound)
	})
	t.Run("rename to a sibling's name is refused", func(t *testing.T) {
		_, err := svc.RenameOrg(ctx, ss, f.branchA2.ID, "2023级计算机1班团支部")
		wantCode(t, "RenameOrg", err, app.EConflict)
		o, _ := svc.Org(ctx, ss, f.branchA2.ID)
		if o.Name != "2023级软件工程1班团支部" {
			t.Errorf("name after refused rename = %q", o.Name)
		}
	})
	t.Run("rename with a slash is refused", func(t *testing.T) {
		_, err := svc.RenameOrg(ctx, ss, f.branchA2.ID, "2023级/软件工程")
		wantCode(t, "RenameOrg", err, app.EInvalid)
	})
	t.Run("R-X6 rename is audited with before and after", func(t *testing.T) {
		o, err := svc.RenameOrg(ctx, ss, f.branchA2.ID, " 2023级软件工程2班团支部 ")
		if err != nil {
			t.Fatalf("RenameOrg: %v", err)
		}
		if o.Name != "2023级软件工程2班团支部" || o.FullName != "浙江明理大学团委/信息学院团委/2023级软件工程2班团支部" {
			t.Fatalf("renamed org = %+v", o)
		}
		got, err := svc.ResolveOrg(ctx, ss, "浙江明理大学团委/信息学院团委/2023级软件工程2班团支部")
		if err != nil || got.ID != f.branchA2.ID {
			t.Fatalf("ResolveOrg(new path) = %+v, %v", got, err)
		}
		entries, err := svc.Audit(ctx, ss, app.AuditFilter{OrgID: f.branchA2.ID, Limit: 1})
		if err != nil || len(entries) != 1 {
			t.Fatalf("Audit = %v, %v", entries, err)
		}
		e := entries[0]
		if e.Action != "修改组织名称" || e.Before != "浙江明理大学团委/信息学院团委/2023级软件工程1班团支部" ||
			e.After != "浙江明理大学团委/信息学院团委/2023级软件工程2班团支部" || e.Actor != adminID {
			t.Errorf("audit entry = %+v", e)
		}
	})

	f.addMember(t, ss, member(f.branchA1.ID, "王小红", idOf(t, "33010220050315002"), "2019-05", "201900000001"))
	f.addMember(t, ss, member(f.branchA1.ID, "王大明", idOf(t, "33010220050315003"), "2019-05", "201900000002"))

	t.Run("R-O4 a branch with members is refused with the count", func(t *testing.T) {
		err := svc.DeleteOrg(ctx, ss, f.branchA1.ID)
		wantCode(t, "DeleteOrg", err, app.EConflict)
		wantMsg(t, "DeleteOrg", err, "“2023级计算机1班团支部”还有 2 名团员，不能删除")
		if _, err := svc.Org(ctx, ss, f.branchA1.ID); err != nil {
			t.Errorf("branch gone after a refused delete: %v", err)
		}
	})
	t.Run("R-O4 a committee with children is refused", func(t *testing.T) {
		err := svc.DeleteOrg(ctx, ss, f.colA.ID)
		wantCode(t, "DeleteOrg", err, app.EConflict)
		wantMsg(t, "DeleteOrg", err, "下还有 2 个下级组织")
	})
	t.Run("R-O4 the root cannot be deleted", func(t *testing.T) {
		err := svc.DeleteOrg(ctx, ss, f.root.ID)
		wantCode(t, "DeleteOrg", err, app.EConflict)
		wantMsg(t, "DeleteOrg", err, "根组织，不能删除")
	})
	t.Run("R-O4 an empty branch is deleted", func(t *testing.T) {
		if err := svc.DeleteOrg(ctx, ss, f.branchA2.ID); err != nil {
			t.Fatalf("DeleteOrg: %v", err)
		}
		_, err := svc.Org(ctx, ss, f.branchA2.ID)
		wantCode(t, "Org after delete", err, app.ENotFound)
		kids, err := svc.Children(ctx, ss, f.colA.ID)
		if err != nil || len(kids) != 1 || kids[0].ID != f.branchA1.ID || kids[0].MemberCount != 2 {
			t.Fatalf("children of college A = %+v, %v; want only A1 with 2 members", kids, err)
		}
		entries, err := svc.Audit(ctx, ss, app.AuditFilter{OrgID: f.colA.ID, Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].Action != "删除组织" ||
			entries[0].Object != "浙江明理大学团委/信息学院团委/2023级软件工程2班团支部" {
			t.Errorf("audit = %+v, %v; want 删除组织 of the branch", entries, err)
		}
	})
	t.Run("deleting a deleted org", func(t *testing.T) {
		wantCode(t, "DeleteOrg", svc.DeleteOrg(ctx, ss, f.branchA2.ID), app.ENotFound)
	})
	f.problems(t)
}

// R-O1: organizations are named by path or ID (CLI contract).
func TestResolveOrg(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	tests := []struct {
		ref    string
		wantID int64
		code   app.Code
	}{
		{"浙江明理大学团委/信息学院团委/2023级计算机1班团支部", f.branchA1.ID, ""},
		{"/浙江明理大学团委/经济学院团委/", f.colB.ID, ""},
		{"浙江明理大学团委", f.root.ID, ""},
		{"4", f.branchA1.ID, ""},
		{"浙江明理大学团委/法学院团委", 0, app.ENotFound},
		{"999", 0, app.ENotFound},
		{"  ", 0, app.EInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			o, err := f.svc.ResolveOrg(ctx, f.owner, tc.ref)
			wantCode(t, "ResolveOrg", err, tc.code)
			if o.ID != tc.wantID {
				t.Errorf("ResolveOrg(%q).ID = %d, want %d", tc.ref, o.ID, tc.wantID)
			}
		})
	}
}

// R-O1, R-M2, R-X1, R-X3: entering members.
func TestAddMember_R_X3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, ss := f.svc, f.owner
	first := f.addMember(t, ss, member(f.branchA1.ID, " 王小红 ", strings.ToLower(" 31010420050909002X"), "2019年10月", "201900000005"))
	if first.ID == 0 || first.Name != "王小红" || first.IDNo != "31010420050909002X" || first.JoinMonth != "2019-10" ||
		first.Status != app.StatusActive || first.Political != "共青团员" ||
		first.OrgName != "浙江明理大学团委/信息学院团委/2023级计算机1班团支部" || !first.CreatedAt.Equal(svcTestNow) {
		t.Fatalf("added member = %+v", first)
	}
	got, err := svc.Member(ctx, ss, "31010420050909002x")
	if err != nil || got.Name != "王小红" || got.MemberNo != "201900000005" || got.OrgName != first.OrgName {
		t.Fatalf("Member = %+v, %v", got, err)
	}

	tests := []struct {
		name string
		m    app.Member
		code app.Code
		msg  []string
	}{
		{"R-O1 not into a committee", member(f.colA.ID, "李四", idOf(t, "33010220060708001"), "2020-05", "202000000003"),
			app.EConflict, []string{"团员只能录入到团支部", "信息学院团委”是团委"}},
		{"R-X3 same ID in another branch names where the member is", member(f.branch.ID, "王晓红", "31010420050909002X", "2019-10", "201900000099"),
			app.EConflict, []string{"身份证号 310104********002X 已注册", "王小红 现在在“浙江明理大学团委/信息学院团委/2023级计算机1班团支部”", "转入"}},
		{"R-X3 same ID in the same branch", member(f.branchA1.ID, "王小红", "31010420050909002X", "2019-10", "201900000005"),
			app.EConflict, []string{"已注册"}},
		{"R-X1 duplicate 团员编号", member(f.branch.ID, "李四", idOf(t, "33010220060708001"), "2019-05", "201900000005"),
			app.EConflict, []string{"团员编号 201900000005 已被“王小红”"}},
		{"R-M2 invalid ID", member(f.branch.ID, "李四", "330102200607080011", "2020-05", "202000000003"),
			app.EInvalid, []string{"校验位不正确"}},
		{"R-M2 15-digit ID", member(f.branch.ID, "李四", "330102060708001", "2020-05", "202000000003"),
			app.EInvalid, []string{"15 位的旧号码"}},
		{"R-X1 missing 团员编号", member(f.branch.ID, "李四", idOf(t, "33010220060708001"), "2020-05", ""),
			app.EInvalid, []string{"必须填写团员编号"}},
		{"unknown org", member(999, "李四", idOf(t, "33010220060708001"), "2020-05", "202000000003"),
			app.ENotFound, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := f.count(t, app.MemberQuery{IncludeLeft: true})
			_, err := svc.AddMember(ctx, ss, tc.m)
			wantCode(t, "AddMember", err, tc.code)
			wantMsg(t, "AddMember", err, tc.msg...)
			if after := f.count(t, app.MemberQuery{IncludeLeft: true}); after != before {
				t.Errorf("members %d → %d after a refused AddMember: something was written", before, after)
			}
			if _, err := svc.Member(ctx, ss, tc.m.IDNo); tc.m.IDNo != "31010420050909002X" && !app.IsNotFound(err) {
				t.Errorf("Member(%s) after refusal = %v, want ENotFound", tc.m.IDNo, err)
			}
		})
	}
	// Only the one good member and its audit entry exist.
	if n := f.count(t, app.MemberQuery{}); n != 1 {
		t.Errorf("members = %d, want 1", n)
	}
	entries, err := svc.Audit(ctx, ss, app.AuditFilter{Member: "31010420050909002X"})
	if err != nil || len(entries) != 1 || entries[0].Action != "新增团员" || entries[0].Object != "王小红（310104********002X）" ||
		entries[0].After != "浙江明理大学团委/信息学院团委/2023级计算机1班团支部" {
		t.Fatalf("audit = %+v, %v; want one 新增团员 entry", entries, err)
	}
	f.problems(t)
}

// R-M1, R-X6: editing a member changes only editable fields, writes an audit
// entry with before and after, and refuses 姓名 and 身份证号.
func TestEditMember_R_M1_R_X6(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, ss := f.svc, f.owner
	id := idOf(t, "33010220050315002")
	f.addMember(t, ss, member(f.branchA1.ID, "王小红", id, "2019-05", "201900000001"))
	f.addMember(t, ss, member(f.branchA1.ID, "王大明", idOf(t, "33010220050315003"), "2019-05", "201900000002"))

	*f.clock = svcTestNow.Add(time.Hour)
	m, err := svc.EditMember(ctx, ss, id, map[string]string{"手机": "13912345678", "文化程度": "普通本科在读"})
	if err != nil {
		t.Fatalf("EditMember: %v", err)
	}
	if m.Phone != "13912345678" || m.Education != "普通本科在读" || m.Name != "王小红" || !m.UpdatedAt.Equal(svcTestNow.Add(time.Hour)) {
		t.Fatalf("edited member = %+v", m)
	}
	stored, err := svc.Member(ctx, ss, id)
	if err != nil || stored.Phone != "13912345678" || stored.Education != "普通本科在读" || !stored.CreatedAt.Equal(svcTestNow) {
		t.Fatalf("stored member = %+v, %v", stored, err)
	}
	entries, err := svc.Audit(ctx, ss, app.AuditFilter{Member: id})
	if err != nil || len(entries) != 2 {
		t.Fatalf("audit = %+v, %v; want 2 entries", entries, err)
	}
	e := entries[0]
	if e.Action != "修改团员信息" || e.Actor != adminID || e.OrgID != f.branchA1.ID || e.Object != "王小红（330102********0029）" ||
		e.Before != "文化程度=；手机号码=" || e.After != "文化程度=普通本科在读；手机号码=13912345678" ||
		!e.At.Equal(svcTestNow.Add(time.Hour)) {
		t.Errorf("audit entry = %+v", e)
	}

	refused := []struct {
		name   string
		fields map[string]string
		code   app.Code
		msg    string
	}{
		{"R-M1 姓名", map[string]string{"姓名": "王晓红"}, app.EConflict, "姓名录入后不能修改"},
		{"R-M1 身份证号", map[string]string{"身份证号": idOf(t, "33010220050315003")}, app.EConflict, "身份证号录入后不能修改"},
		{"R-M1 姓名 with a good field", map[string]string{"姓名": "王晓红", "QQ": "123456"}, app.EConflict, "不能修改"},
		{"R-X2 bad phone", map[string]string{"手机号码": "123"}, app.EInvalid, "手机号码“123”不正确"},
		{"R-X1 another member's 团员编号", map[string]string{"团员编号": "201900000002"}, app.EConflict, "已被“王大明”"},
		{"R-X1 团员编号 of another year", map[string]string{"团员编号": "202000000001"}, app.EInvalid, "前 4 位应为入团年份 2019"},
		{"unknown field", map[string]string{"籍贯": "浙江"}, app.EInvalid, "没有名为“籍贯”的字段"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.EditMember(ctx, ss, id, tc.fields)
			wantCode(t, "EditMember", err, tc.code)
			wantMsg(t, "EditMember", err, tc.msg)
			after, _ := svc.Member(ctx, ss, id)
			if after.Name != "王小红" || after.IDNo != id || after.QQ != "" || after.Phone != "13912345678" || after.MemberNo != "201900000001" {
				t.Errorf("member changed by a refused edit: %+v", after)
			}
		})
	}
	t.Run("no change writes no audit entry", func(t *testing.T) {
		if _, err := svc.EditMember(ctx, ss, id, map[string]string{"手机号码": "13912345678"}); err != nil {
			t.Fatalf("EditMember: %v", err)
		}
		entries, _ := svc.Audit(ctx, ss, app.AuditFilter{Member: id})
		if len(entries) != 2 {
			t.Errorf("audit entries = %d, want still 2", len(entries))
		}
	})
	t.Run("unknown member", func(t *testing.T) {
		_, err := svc.EditMember(ctx, ss, idOf(t, "33010220060708001"), map[string]string{"QQ": "123456"})
		wantCode(t, "EditMember", err, app.ENotFound)
	})
	f.problems(t)
}

// R-O3: 北京, 广东 and 福建 are separate systems: a search scoped to one of
// them shows only that province; "否" shows everything else.
func TestFindOrgs_ProvinceScope_R_O3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, ss := f.svc, f.owner
	for _, u := range []struct{ name, prov string }{
		{"北京燕园大学团委", "北京"}, {"广州珠江大学团委", "广东"}, {"厦门鹭岛大学团委", "福建"}, {"南京金陵大学团委", "江苏"},
	} {
		top, _, err := svc.AddOrg(ctx, ss, app.NewOrg{Name: u.name, Kind: app.KindCommittee, Province: u.prov})
		if err != nil {
			t.Fatalf("AddOrg %s: %v", u.name, err)
		}
		if _, _, err := svc.AddOrg(ctx, ss, app.NewOrg{ParentID: top.ID, Name: "研究生院团委", Kind: app.KindCommittee}); err != nil {
			t.Fatalf("AddOrg child of %s: %v", u.name, err)
		}
	}
	names := func(os []app.Org) []string {
		var out []string
		for _, o := range os {
			out = append(out, o.FullName)
		}
		sort.Strings(out)
		return out
	}
	tests := []struct {
		text, scope string
		under       int64
		limit       int
		want        []string
	}{
		{"团委", "北京", 0, 0, []string{"北京燕园大学团委", "北京燕园大学团委/研究生院团委"}},
		{"团委", "广东", 0, 0, []string{"广州珠江大学团委", "广州珠江大学团委/研究生院团委"}},
		{"研究生院", "福建", 0, 0, []string{"厦门鹭岛大学团委/研究生院团委"}},
		{"大学", "否", 0, 0, []string{"南京金陵大学团委", "浙江明理大学团委"}},
		{"研究生院", "", 0, 0, []string{"南京金陵大学团委/研究生院团委"}},
		{"研究生院", "全部", 0, 0, []string{"北京燕园大学团委/研究生院团委", "南京金陵大学团委/研究生院团委",
			"厦门鹭岛大学团委/研究生院团委", "广州珠江大学团委/研究生院团委"}},
		{" 计算机 ", "否", 0, 0, []string{"浙江明理大学团委/信息学院团委/2023级计算机1班团支部"}},
		{"燕园", "否", 0, 0, nil},
		{"浙江明理", "北京", 0, 0, nil},
		{"团", "否", f.colA.ID, 0, []string{"浙江明理大学团委/信息学院团委", "浙江明理大学团委/信息学院团委/2023级计算机1班团支部",
			"浙江明理大学团委/信息学院团委/2023级软件工程1班团支部"}},
		{"", "全部", f.colB.ID, 0, []string{"浙江明理大学团委/经济学院团委", "浙江明理大学团委/经济学院团委/2023级经济学1班团支部"}},
		{"团委", "北京", f.colA.ID, 0, nil},
		// In path order "/11/" (厦门) and "/13/" (南京) come before "/7/" and "/9/".
		{"研究生院", "全部", 0, 2, []string{"厦门鹭岛大学团委/研究生院团委", "南京金陵大学团委/研究生院团委"}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s@%s under %d limit %d", tc.text, tc.scope, tc.under, tc.limit), func(t *testing.T) {
			got, err := svc.FindOrgs(ctx, ss, app.OrgSearch{Text: tc.text, Scope: tc.scope, Under: tc.under, Limit: tc.limit})
			if err != nil {
				t.Fatalf("FindOrgs: %v", err)
			}
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if strings.Join(names(got), "|") != strings.Join(want, "|") {
				t.Errorf("FindOrgs(%+v) = %q, want %q", tc, names(got), want)
			}
			for _, o := range got {
				separate := o.Province == "北京" || o.Province == "广东" || o.Province == "福建"
				if (tc.scope == "否" || tc.scope == "") && separate {
					t.Errorf("national search shows %s in %s", o.FullName, o.Province)
				}
				if (tc.scope == "北京" || tc.scope == "广东" || tc.scope == "福建") && o.Province != tc.scope {
					t.Errorf("search scoped to %s shows %s in %s", tc.scope, o.FullName, o.Province)
				}
			}
		})
	}
	_, err := svc.FindOrgs(ctx, ss, app.OrgSearch{Text: "团委", Scope: "上海"})
	wantCode(t, "FindOrgs with a bad scope", err, app.EInvalid)
}

// R-O1, R-X1, R-M2: listing and searching members by name prefix, 身份证号
// prefix and 团员编号 prefix.
func TestListMembers_Search(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, ss := f.svc, f.owner
	f.addMember(t, ss, member(f.branchA1.ID, "王小红", idOf(t, "33010220050315002"), "2019-05", "201900000001"))
	f.addMember(t, ss, member(f.branchA1.ID, "王大明", idOf(t, "33010220050315003"), "2019-05", "201900000002"))
	f.addMember(t, ss, member(f.branchA2.ID, "李四", idOf(t, "33010220060708001"), "2020-05", "202000000003"))
	f.addMember(t, ss, member(f.branch.ID, "张三", idOf(t, "44030420060101001"), "2020-05", "202000000004"))
	f.addMember(t, ss, member(f.branch.ID, "王五", "31010420050909002X", "2019-10", "201900000005"))

	tests := []struct {
		name string
		q    app.MemberQuery
		want []string // names, in listing order
	}{
		{"everything in entry order", app.MemberQuery{}, []string{"王小红", "王大明", "李四", "张三", "王五"}},
		{"name prefix 王, by name", app.MemberQuery{Text: "王"}, []string{"王五", "王大明", "王小红"}},
		{"name prefix 王 in college A", app.MemberQuery{OrgID: f.colA.ID, Text: "王"}, []string{"王大明", "王小红"}},
		{"full name", app.MemberQuery{Text: " 李四 "}, []string{"李四"}},
		{"name is a prefix, not a substring", app.MemberQuery{Text: "小红"}, nil},
		{"ID prefix", app.MemberQuery{Text: "330102200503"}, []string{"王小红", "王大明"}},
		{"whole ID with lower-case x", app.MemberQuery{Text: "31010420050909002x"}, []string{"王五"}},
		{"ID prefix in college B", app.MemberQuery{OrgID: f.colB.ID, Text: "4403"}, []string{"张三"}},
		{"团员编号 prefix", app.MemberQuery{Text: "2020"}, []string{"李四", "张三"}},
		{"whole 团员编号", app.MemberQuery{Text: "201900000002"}, []string{"王大明"}},
		{"branch only", app.MemberQuery{OrgID: f.branchA1.ID}, []string{"王小红", "王大明"}},
		{"committee subtree", app.MemberQuery{OrgID: f.colA.ID}, []string{"王小红", "王大明", "李四"}},
		{"limit and offset", app.MemberQuery{Offset: 1, Limit: 2}, []string{"王大明", "李四"}},
		{"no match", app.MemberQuery{Text: "9999"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			err := svc.ListMembers(ctx, ss, tc.q, func(m app.Member) error {
				if m.OrgName == "" {
					t.Errorf("member %s without OrgName", m.Name)
				}
				got = append(got, m.Name)
				return nil
			})
			if err != nil {
				t.Fatalf("ListMembers: %v", err)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("ListMembers(%+v) = %v, want %v", tc.q, got, tc.want)
			}
			if tc.q.Limit == 0 {
				n, err := svc.CountMembers(ctx, ss, tc.q)
				if err != nil || n != len(tc.want) {
					t.Errorf("CountMembers(%+v) = %d, %v; want %d", tc.q, n, err, len(tc.want))
				}
			}
		})
	}
	t.Run("fn's error stops the walk", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := svc.ListMembers(ctx, ss, app.MemberQuery{}, func(app.Member) error { calls++; return stop })
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("ListMembers = %v after %d calls, want stop after 1", err, calls)
		}
	})
}

// R-A4: a committee admin acts on its whole subtree and on nothing else; a
// branch admin cannot delete its own branch (R-O4: the superior deletes).
func TestPermissions_R_A4(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	inB := f.addMember(t, f.owner, member(f.branch.ID, "张三", idOf(t, "44030420060101001"), "2020-05", "202000000004"))
	inA := f.addMember(t, f.owner, member(f.branchA1.ID, "王小红", idOf(t, "33010220050315002"), "2019-05", "201900000001"))

	// Sessions are built by hand: an admin of college A whose password is
	// already changed, and an admin of branch A2.
	colAdmin := &app.Session{Account: app.Account{IDNo: idOf(t, "33010219900101001"), Name: "信息学院书记"}, Orgs: []app.Org{f.colA}}
	branchAdmin := &app.Session{Account: app.Account{IDNo: idOf(t, "33010219950615004"), Name: "支部书记"}, Orgs: []app.Org{f.branchA2}}

	forbidden := []struct {
		name string
		do   func() error
	}{
		{"AddMember into college B", func() error {
			_, err := svc.AddMember(ctx, colAdmin, member(f.branch.ID, "李四", idOf(t, "33010220060708001"), "2020-05", "202000000003"))
			return err
		}},
		{"EditMember in college B", func() error {
			_, err := svc.EditMember(ctx, colAdmin, inB.IDNo, map[string]string{"QQ": "123456"})
			return err
		}},
		{"Member in college B", func() error { _, err := svc.Member(ctx, colAdmin, inB.IDNo); return err }},
		{"ListMembers of college B", func() error {
			return svc.ListMembers(ctx, colAdmin, app.MemberQuery{OrgID: f.colB.ID}, func(app.Member) error { return nil })
		}},
		{"CountMembers of branch B1", func() error {
			_, err := svc.CountMembers(ctx, colAdmin, app.MemberQuery{OrgID: f.branch.ID})
			return err
		}},
		{"AddOrg under college B", func() error {
			_, _, err := svc.AddOrg(ctx, colAdmin, app.NewOrg{ParentID: f.colB.ID, Name: "2024级经济学1班团支部", Kind: app.KindBranch})
			return err
		}},
		{"AddOrg at top level", func() error {
			_, _, err := svc.AddOrg(ctx, colAdmin, app.NewOrg{Name: "某大学团委", Kind: app.KindCommittee, Province: "浙江"})
			return err
		}},
		{"AddOrg under the root", func() error {
			_, _, err := svc.AddOrg(ctx, colAdmin, app.NewOrg{ParentID: f.root.ID, Name: "法学院团委", Kind: app.KindCommittee})
			return err
		}},
		{"RenameOrg college B", func() error { _, err := svc.RenameOrg(ctx, colAdmin, f.colB.ID, "经管学院团委"); return err }},
		{"DeleteOrg branch B1", func() error { return svc.DeleteOrg(ctx, colAdmin, f.branch.ID) }},
		{"Org of the root", func() error { _, err := svc.Org(ctx, colAdmin, f.root.ID); return err }},
		{"Children of college B", func() error { _, err := svc.Children(ctx, colAdmin, f.colB.ID); return err }},
		{"Audit of college B", func() error { _, err := svc.Audit(ctx, colAdmin, app.AuditFilter{OrgID: f.colB.ID}); return err }},
		{"Audit of a member in B", func() error { _, err := svc.Audit(ctx, colAdmin, app.AuditFilter{Member: inB.IDNo}); return err }},
		{"branch admin edits a member of A1", func() error {
			_, err := svc.EditMember(ctx, branchAdmin, inA.IDNo, map[string]string{"QQ": "123456"})
			return err
		}},
		{"R-O4 branch admin deletes own branch", func() error { return svc.DeleteOrg(ctx, branchAdmin, f.branchA2.ID) }},
	}
	for _, tc := range forbidden {
		t.Run("forbidden: "+tc.name, func(t *testing.T) {
			wantCode(t, tc.name, tc.do(), app.EForbidden)
		})
	}
	if n := f.count(t, app.MemberQuery{}); n != 2 {
		t.Fatalf("members = %d after forbidden actions, want 2", n)
	}
	if o, _ := svc.Org(ctx, f.owner, f.colB.ID); o.Name != "经济学院团委" {
		t.Fatalf("college B renamed by a forbidden action: %q", o.Name)
	}

	t.Run("allowed in own subtree", func(t *testing.T) {
		m, err := svc.AddMember(ctx, colAdmin, member(f.branchA2.ID, "李四", idOf(t, "33010220060708001"), "2020-05", "202000000003"))
		if err != nil {
			t.Fatalf("AddMember into own branch: %v", err)
		}
		if _, err := svc.EditMember(ctx, colAdmin, inA.IDNo, map[string]string{"QQ": "123456"}); err != nil {
			t.Fatalf("EditMember in own college: %v", err)
		}
		var names []string
		if err := svc.ListMembers(ctx, colAdmin, app.MemberQuery{}, func(m app.Member) error { names = append(names, m.Name); return nil }); err != nil {
			t.Fatal(err)
		}
		if strings.Join(names, ",") != "王小红,李四" {
			t.Errorf("college admin sees %v, want only college A's members [王小红 李四]", names)
		}
		if n, err := svc.CountMembers(ctx, colAdmin, app.MemberQuery{}); err != nil || n != 2 {
			t.Errorf("CountMembers = %d, %v; want 2", n, err)
		}
		roots, err := svc.RootOrgs(ctx, colAdmin)
		if err != nil || len(roots) != 1 || roots[0].ID != f.colA.ID {
			t.Errorf("RootOrgs = %+v, %v; want college A only", roots, err)
		}
		entries, err := svc.Audit(ctx, colAdmin, app.AuditFilter{Member: m.IDNo})
		if err != nil || len(entries) != 1 || entries[0].Actor != colAdmin.Account.IDNo {
			t.Errorf("Audit = %+v, %v; want one entry by the college admin", entries, err)
		}
		o, _, err := svc.AddOrg(ctx, colAdmin, app.NewOrg{ParentID: f.colA.ID, Name: "2024级计算机1班团支部", Kind: app.KindBranch})
		if err != nil {
			t.Fatalf("AddOrg in own college: %v", err)
		}
		// R-O4: the college (the branch's superior) deletes an empty branch.
		if err := svc.DeleteOrg(ctx, colAdmin, o.ID); err != nil {
			t.Fatalf("DeleteOrg of an empty branch by its superior: %v", err)
		}
	})
	t.Run("a member sees their own record", func(t *testing.T) {
		self := &app.Session{Account: app.Account{IDNo: inB.IDNo, Name: inB.Name}}
		m, err := svc.Member(ctx, self, inB.IDNo)
		if err != nil || m.Name != "张三" {
			t.Errorf("own record = %+v, %v", m, err)
		}
		_, err = svc.Member(ctx, self, inA.IDNo)
		wantCode(t, "other's record", err, app.EForbidden)
	})
	t.Run("no session and MustChange sessions are refused", func(t *testing.T) {
		_, err := svc.AddMember(ctx, nil, member(f.branchA2.ID, "赵六", idOf(t, "33010220060708002"), "2020-05", "202000000006"))
		wantCode(t, "nil session", err, app.EUnauthorized)
		must := &app.Session{Account: app.Account{IDNo: adminID, MustChange: true}, Owner: true, Orgs: []app.Org{f.root}}
		_, err = svc.AddMember(ctx, must, member(f.branchA2.ID, "赵六", idOf(t, "33010220060708002"), "2020-05", "202000000006"))
		wantCode(t, "MustChange session", err, app.EMustChange)
	})
	f.problems(t)
}

// Backup through the service: only an admin; the copy has the same members.
func TestServiceBackup(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.addMember(t, f.owner, member(f.branchA1.ID, "王小红", idOf(t, "33010220050315002"), "2019-05", "201900000001"))
	path := filepath.Join(t.TempDir(), "backup.db")
	err := f.svc.Backup(ctx, &app.Session{Account: app.Account{IDNo: idOf(t, "33010220050315002")}}, path)
	wantCode(t, "Backup by a member", err, app.EForbidden)
	if err := f.svc.Backup(ctx, f.owner, path); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	wantCode(t, "Backup over an existing file", f.svc.Backup(ctx, f.owner, path), app.EConflict)
	b, err := data.Open(path)
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	bs := app.NewService(b)
	bs.Now = func() time.Time { return svcTestNow }
	ss, err := bs.SignIn(ctx, adminID, adminNewPass)
	if err != nil {
		t.Fatalf("SignIn on the backup: %v", err)
	}
	if n, err := bs.CountMembers(ctx, ss, app.MemberQuery{}); err != nil || n != 1 {
		t.Errorf("backup members = %d, %v; want 1", n, err)
	}
}

// R-O4, R-X4: a branch whose members all left the League still holds their
// history and is not deleted.
func TestDeleteOrg_KeepsHistoryOfLeftMembers_R_O4(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	m := f.addMember(t, f.owner, member(f.branchA2.ID, "李四", idOf(t, "33010220060708001"), "2020-05", "202000000003"))
	// No status use case exists yet: change the status in the store.
	err := f.store.Write(ctx, func(tx app.Tx) error {
		stored, err := tx.Member(m.IDNo)
		if err != nil {
			return err
		}
		stored.Status = app.StatusQuit
		return tx.UpdateMember(stored)
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.Org(ctx, f.owner, f.branchA2.ID)
	if err != nil || o.MemberCount != 0 {
		t.Fatalf("branch = %+v, %v; want 0 members in the League", o, err)
	}
	err = f.svc.DeleteOrg(ctx, f.owner, f.branchA2.ID)
	wantCode(t, "DeleteOrg", err, app.EConflict)
	wantMsg(t, "DeleteOrg", err, "还保留着 1 名已离团成员的历史记录")
	if n := f.count(t, app.MemberQuery{IncludeLeft: true}); n != 1 {
		t.Errorf("members with history = %d, want 1", n)
	}
	f.problems(t)
}
