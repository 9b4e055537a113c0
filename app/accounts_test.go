package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
)

// People of the account tests.
const (
	acMember = "33010220050315002" // 王小红, member of A1 (first 17 characters)
	acPeer   = "33010220050315003" // 王大明, member of A1
	acCadre  = "33010619900202001" // 孔老师
	acBranch = "33010619920404003" // 白老师, admin of A1
	acOther  = "33010619930505004" // 欧老师, admin of A2
	acColB   = "33010619870303002" // 任老师, admin of college B
	acColA   = "33010619940606005" // 吴老师, admin of college A
)

// makeAdmin enters a person as a cadre of org and makes them its
// administrator through the owner, then signs them in and changes the
// initial password, as a new administrator does (R-A1, R-A2, R-A3).
func (f *fixture) makeAdmin(t *testing.T, org app.Org, id, name, post string) *app.Session {
	t.Helper()
	ctx := context.Background()
	if _, err := f.svc.AddCadre(ctx, f.owner, app.CadreInput{OrgID: org.ID, IDNo: id, Name: name, Post: post}); err != nil {
		t.Fatalf("AddCadre %s: %v", name, err)
	}
	if _, err := f.svc.AddAdmin(ctx, f.owner, org.ID, id); err != nil {
		t.Fatalf("AddAdmin %s: %v", name, err)
	}
	ss, err := f.svc.SignIn(ctx, id, app.InitialPassword(id))
	wantCode(t, "first SignIn of "+name, err, app.EMustChange)
	if err := f.svc.ChangePassword(ctx, ss, app.InitialPassword(id), permPass); err != nil {
		t.Fatalf("ChangePassword of %s: %v", name, err)
	}
	return ss
}

// account reads an account straight from the store.
func storedAccount(t *testing.T, st *data.Store, id string) (app.Account, error) {
	t.Helper()
	var a app.Account
	err := st.Read(context.Background(), func(tx app.Tx) (err error) { a, err = tx.Account(id); return err })
	return a, err
}

// R-A1, R-A5: a registered member has no account until the first sign-in
// with the initial password (the last 8 characters of the 身份证号); then the
// account is made, must change its password, and sees the personal centre
// only. Any other password makes nothing.
func TestMemberAccount_MadeAtFirstSignIn_R_A1_R_A5(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	id, peer := idOf(t, acMember), idOf(t, acPeer)
	f.addMember(t, f.owner, member(f.branchA1.ID, "王小红", id, "2019-05", "201900000001"))
	f.addMember(t, f.owner, member(f.branchA1.ID, "王大明", peer, "2019-05", "201900000002"))
	_, generic := svc.SignIn(ctx, idOf(t, "33010219900101001"), "whatever1")

	for _, pw := range []string{"wrong-password", app.InitialPassword(peer), id, "", app.InitialPassword(id) + " "} {
		_, err := svc.SignIn(ctx, id, pw)
		wantCode(t, "SignIn with "+pw, err, app.EUnauthorized)
		if app.ErrorMessage(err) != app.ErrorMessage(generic) {
			t.Errorf("SignIn with %q: message %q, want the one for unknown accounts", pw, app.ErrorMessage(err))
		}
		if _, err := storedAccount(t, f.store, id); !app.IsNotFound(err) {
			t.Fatalf("an account was made with the password %q (err %v)", pw, err)
		}
	}

	ss, err := svc.SignIn(ctx, id, app.InitialPassword(id))
	wantCode(t, "first SignIn with the initial password", err, app.EMustChange)
	if ss == nil || !ss.Account.MustChange || ss.Owner || len(ss.Orgs) != 0 || ss.Role() != app.RoleMember || ss.Account.Name != "王小红" {
		t.Fatalf("session = %+v, want a member session that must change its password", ss)
	}
	if a, err := storedAccount(t, f.store, id); err != nil || !a.MustChange || a.Name != "王小红" {
		t.Fatalf("account = %+v, %v; want 王小红 with MustChange", a, err)
	}
	// Nothing, not even the own record, before the password is changed.
	_, err = svc.MyRecord(ctx, ss)
	wantCode(t, "MyRecord before the change", err, app.EMustChange)
	_, err = svc.Member(ctx, ss, id)
	wantCode(t, "Member before the change", err, app.EMustChange)
	_, err = svc.ListTransfers(ctx, ss, false)
	wantCode(t, "own transfers before the change", err, app.EMustChange)
	_, err = svc.Notices(ctx, ss)
	wantCode(t, "notices before the change", err, app.EMustChange)

	if err := svc.ChangePassword(ctx, ss, app.InitialPassword(id), permPass); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	// R-A5: the personal centre: own record and nothing else.
	m, err := svc.MyRecord(ctx, ss)
	if err != nil || m.Name != "王小红" || m.OrgName != f.branchA1.FullName {
		t.Fatalf("MyRecord = %+v, %v", m, err)
	}
	if _, identity, month, err := svc.MyGraduation(ctx, ss); err != nil || identity != "" || month != "" {
		t.Fatalf("MyGraduation of a member of an unmarked branch = %q, %q, %v", identity, month, err)
	}
	// R-D3 in the personal centre: 毕业生 with the branch's month, then
	// 延迟毕业团员 with the member's own.
	if _, err := svc.MarkGraduation(ctx, f.owner, app.GradMark{OrgIDs: []int64{f.branchA1.ID}, Month: "2027-06"}); err != nil {
		t.Fatal(err)
	}
	if _, identity, month, err := svc.MyGraduation(ctx, ss); err != nil || identity != "毕业生" || month != "2027-06" {
		t.Fatalf("MyGraduation in a graduating branch = %q, %q, %v", identity, month, err)
	}
	if _, err := svc.MarkMembers(ctx, f.owner, app.MemberMark{IDNos: []string{id}, Mark: app.MarkDelayed, Month: "2028-01", Reason: "休学一年"}); err != nil {
		t.Fatal(err)
	}
	if _, identity, month, err := svc.MyGraduation(ctx, ss); err != nil || identity != "延迟毕业团员" || month != "2028-01" {
		t.Fatalf("MyGraduation of a delayed graduate = %q, %q, %v", identity, month, err)
	}
	_, err = svc.Member(ctx, ss, peer)
	wantCode(t, "another member's record", err, app.EForbidden)
	_, err = svc.EditMember(ctx, ss, id, map[string]string{"团员编号": "201900000099"})
	wantCode(t, "editing the own record", err, app.EForbidden)
	_, err = svc.CountMembers(ctx, ss, app.MemberQuery{})
	wantCode(t, "member list", err, app.EForbidden)

	// The account exists now: the initial password no longer opens it.
	_, err = svc.SignIn(ctx, id, app.InitialPassword(id))
	wantCode(t, "SignIn with the initial password after the change", err, app.EUnauthorized)
	if ss, err := svc.SignIn(ctx, id, permPass); err != nil || ss.Account.MustChange {
		t.Fatalf("SignIn with the new password = %+v, %v", ss, err)
	}
	// Someone who is no member gets no account from their "initial password".
	stranger := idOf(t, "33010219900101001")
	_, err = svc.SignIn(ctx, stranger, app.InitialPassword(stranger))
	wantCode(t, "stranger", err, app.EUnauthorized)
	if _, err := storedAccount(t, f.store, stranger); !app.IsNotFound(err) {
		t.Errorf("a stranger got an account (err %v)", err)
	}
}

// R-A2, R-A3: 添加管理员 picks a current cadre of the organization; a person
// with no account gets one at once (initial password, change at first
// sign-in); a person with an account keeps its password.
func TestAddAdmin_CadreFirstAndAccountAtOnce_R_A2_R_A3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, owner := f.svc, f.owner
	memberID, cadreID := idOf(t, acMember), idOf(t, acCadre)
	f.addMember(t, owner, member(f.branchA1.ID, "王小红", memberID, "2019-05", "201900000001"))

	refusals := []struct {
		name  string
		setup func() error
		id    string
	}{
		{"R-A2 a member who is no cadre", nil, memberID},
		{"R-A2 a cadre of another organization", func() error {
			_, err := svc.AddCadre(ctx, owner, app.CadreInput{OrgID: f.colB.ID, IDNo: cadreID, Name: "孔老师", Post: "组织委员"})
			return err
		}, cadreID},
		{"R-A2 a cadre whose post ended", func() error {
			c, err := svc.AddCadre(ctx, owner, app.CadreInput{OrgID: f.colA.ID, IDNo: idOf(t, acColB), Name: "任老师", Post: "组织委员"})
			if err != nil {
				return err
			}
			return svc.EndCadre(ctx, owner, c.ID)
		}, idOf(t, acColB)},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				if err := tc.setup(); err != nil {
					t.Fatal(err)
				}
			}
			_, err := svc.AddAdmin(ctx, owner, f.colA.ID, tc.id)
			wantCode(t, "AddAdmin", err, app.EConflict)
			// The form says to enter the person as a cadre first.
			wantMsg(t, "AddAdmin", err, "不是“信息学院团委”的团干部", "请先在“录入本级团干部”中把此人录入为本组织团干部")
			if _, err := storedAccount(t, f.store, tc.id); !app.IsNotFound(err) {
				t.Errorf("a refused AddAdmin made an account (err %v)", err)
			}
		})
	}
	bad := cadreID[:17] + "0"
	if cadreID[17] == '0' {
		bad = cadreID[:17] + "1"
	}
	_, err := svc.AddAdmin(ctx, owner, f.colA.ID, bad)
	wantCode(t, "AddAdmin with an invalid 身份证号", err, app.EInvalid)

	t.Run("R-A3 no account: made at once", func(t *testing.T) {
		if _, err := svc.AddCadre(ctx, owner, app.CadreInput{OrgID: f.colA.ID, IDNo: cadreID, Name: "孔老师", Post: "组织委员"}); err != nil {
			t.Fatal(err)
		}
		res, err := svc.AddAdmin(ctx, owner, f.colA.ID, strings.ToLower(" "+cadreID+" "))
		if err != nil {
			t.Fatalf("AddAdmin: %v", err)
		}
		if !res.AccountCreated || res.InitialPassword != app.InitialPassword(cadreID) || res.Admin.Name != "孔老师" ||
			res.Admin.OrgID != f.colA.ID || res.Admin.IDNo != cadreID {
			t.Fatalf("result = %+v, want a new account with the initial password", res)
		}
		if a, err := storedAccount(t, f.store, cadreID); err != nil || !a.MustChange || a.Name != "孔老师" {
			t.Fatalf("account = %+v, %v; want 孔老师 with MustChange", a, err)
		}
		admins, err := svc.Admins(ctx, owner, f.colA.ID)
		if err != nil || len(admins) != 1 || admins[0].IDNo != cadreID {
			t.Fatalf("Admins = %+v, %v", admins, err)
		}
		ss, err := svc.SignIn(ctx, cadreID, res.InitialPassword)
		wantCode(t, "first SignIn", err, app.EMustChange)
		if len(ss.Orgs) != 1 || ss.Orgs[0].ID != f.colA.ID || ss.Role() != app.RoleCommittee {
			t.Errorf("session = %+v, want the admin of college A", ss)
		}
		_, err = svc.AddAdmin(ctx, owner, f.colA.ID, cadreID)
		wantCode(t, "AddAdmin twice", err, app.EConflict)
		wantMsg(t, "AddAdmin twice", err, "已经是")
	})

	t.Run("R-A3 an existing account keeps its password", func(t *testing.T) {
		ss, err := svc.SignIn(ctx, memberID, app.InitialPassword(memberID))
		wantCode(t, "member's first SignIn", err, app.EMustChange)
		if err := svc.ChangePassword(ctx, ss, app.InitialPassword(memberID), permPass); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddCadre(ctx, owner, app.CadreInput{OrgID: f.branchA1.ID, IDNo: memberID, Name: "王小红", Post: "书记"}); err != nil {
			t.Fatal(err)
		}
		res, err := svc.AddAdmin(ctx, owner, f.branchA1.ID, memberID)
		if err != nil || res.AccountCreated || res.InitialPassword != "" {
			t.Fatalf("AddAdmin = %+v, %v; want no new account", res, err)
		}
		ss, err = svc.SignIn(ctx, memberID, permPass)
		if err != nil || ss.Role() != app.RoleBranch || len(ss.Orgs) != 1 || ss.Orgs[0].ID != f.branchA1.ID {
			t.Fatalf("SignIn with the own password = %+v, %v; want the admin of A1", ss, err)
		}
	})
}

// R-A3: 撤销 removes the right and keeps the person, the account and the
// history; the last administrator of an organization is kept while nobody
// above can act for it.
func TestRevokeAdmin_KeepsAccountAndHistory_R_A3(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, owner := f.svc, f.owner
	id := idOf(t, acColA)
	f.makeAdmin(t, f.colA, id, "吴老师", "书记")

	// 吴老师 is college A's only admin, but the root's admin can act for it.
	if err := svc.RevokeAdmin(ctx, owner, f.colA.ID, id); err != nil {
		t.Fatalf("RevokeAdmin: %v", err)
	}
	if admins, err := svc.Admins(ctx, owner, f.colA.ID); err != nil || len(admins) != 0 {
		t.Errorf("Admins after revoking = %+v, %v", admins, err)
	}
	ss, err := svc.SignIn(ctx, id, permPass)
	if err != nil || len(ss.Orgs) != 0 || ss.Role() != app.RoleMember {
		t.Fatalf("SignIn after revoking = %+v, %v; want the account, with no admin right", ss, err)
	}
	_, err = svc.Children(ctx, ss, f.colA.ID)
	wantCode(t, "revoked admin acts", err, app.EForbidden)
	cadres, err := svc.Cadres(ctx, owner, f.colA.ID)
	if err != nil || len(cadres) != 1 || cadres[0].IDNo != id || !cadres[0].Ended.IsZero() {
		t.Errorf("Cadres after revoking = %+v, %v; the person stays a cadre", cadres, err)
	}
	entries, err := svc.Audit(ctx, owner, app.AuditFilter{OrgID: f.colA.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		if e.OrgID == f.colA.ID {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != "撤销管理员,添加管理员,录入团干部,新增组织" {
		t.Errorf("history of college A = %v", actions)
	}
	err = svc.RevokeAdmin(ctx, owner, f.colA.ID, id)
	wantCode(t, "revoking twice", err, app.ENotFound)

	t.Run("the root's only admin", func(t *testing.T) {
		err := svc.RevokeAdmin(ctx, owner, f.root.ID, adminID)
		wantCode(t, "RevokeAdmin", err, app.EConflict)
		wantMsg(t, "RevokeAdmin", err, "唯一的管理员", "上级组织没有管理员", "请先添加新的管理员")
		if admins, _ := svc.Admins(ctx, owner, f.root.ID); len(admins) != 1 {
			t.Errorf("root admins = %+v", admins)
		}
	})
	t.Run("a top-level organization's only admin", func(t *testing.T) {
		top, _, err := svc.AddOrg(ctx, owner, app.NewOrg{Name: "南京金陵大学团委", Kind: app.KindCommittee, Province: "江苏"})
		if err != nil {
			t.Fatal(err)
		}
		f.makeAdmin(t, top, idOf(t, acCadre), "孔老师", "书记")
		err = svc.RevokeAdmin(ctx, owner, top.ID, idOf(t, acCadre))
		wantCode(t, "RevokeAdmin", err, app.EConflict)
		wantMsg(t, "RevokeAdmin", err, "唯一的管理员")
	})
	t.Run("one of two admins", func(t *testing.T) {
		f.makeAdmin(t, f.root, idOf(t, acOther), "欧老师", "副书记")
		if err := svc.RevokeAdmin(ctx, owner, f.root.ID, idOf(t, acOther)); err != nil {
			t.Fatalf("RevokeAdmin of the second root admin: %v", err)
		}
	})
}

// R-A2: a cadre's post cannot end while the person administers the
// organization; after 撤销 it can, and the record stays.
func TestEndCadre_RefusedWhileAdmin_R_A2(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, owner := f.svc, f.owner
	id := idOf(t, acColA)
	f.makeAdmin(t, f.colA, id, "吴老师", "书记")
	cadres, err := svc.Cadres(ctx, owner, f.colA.ID)
	if err != nil || len(cadres) != 1 {
		t.Fatalf("Cadres = %+v, %v", cadres, err)
	}
	err = svc.EndCadre(ctx, owner, cadres[0].ID)
	wantCode(t, "EndCadre of an admin", err, app.EConflict)
	wantMsg(t, "EndCadre of an admin", err, "还是“信息学院团委”的管理员", "请先在“管理员变更”中撤销")
	if err := svc.RevokeAdmin(ctx, owner, f.colA.ID, id); err != nil {
		t.Fatal(err)
	}
	if err := svc.EndCadre(ctx, owner, cadres[0].ID); err != nil {
		t.Fatalf("EndCadre after revoking: %v", err)
	}
	if cs, _ := svc.Cadres(ctx, owner, f.colA.ID); len(cs) != 0 {
		t.Errorf("current cadres after EndCadre = %+v", cs)
	}
	err = svc.EndCadre(ctx, owner, cadres[0].ID)
	wantCode(t, "EndCadre twice", err, app.EConflict)
	wantMsg(t, "EndCadre twice", err, "已经结束")
}

// R-A1, R-X6: 重置密码 by an admin of the member's branch or above sets the
// initial password again, clears a lock and forces a change at the next
// sign-in. Nobody else may reset, and nobody may reset (and so take over)
// the account of an admin above them.
func TestResetPassword_R_A1_R_X6(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, owner := f.svc, f.owner
	memberID := idOf(t, acMember)
	f.addMember(t, owner, member(f.branchA1.ID, "王小红", memberID, "2019-05", "201900000001"))
	ms, err := svc.SignIn(ctx, memberID, app.InitialPassword(memberID))
	wantCode(t, "member's first SignIn", err, app.EMustChange)
	if err := svc.ChangePassword(ctx, ms, app.InitialPassword(memberID), permPass); err != nil {
		t.Fatal(err)
	}
	branch := f.makeAdmin(t, f.branchA1, idOf(t, acBranch), "白老师", "书记")
	other := f.makeAdmin(t, f.branchA2, idOf(t, acOther), "欧老师", "书记")
	colB := f.makeAdmin(t, f.colB, idOf(t, acColB), "任老师", "书记")
	colA := f.makeAdmin(t, f.colA, idOf(t, acColA), "吴老师", "书记")

	for name, ss := range map[string]*app.Session{"admin of another branch": other, "admin of another college": colB, "the member": ms} {
		err := svc.ResetPassword(ctx, ss, memberID)
		wantCode(t, name, err, app.EForbidden)
		wantMsg(t, name, err, "请由其所在团支部或上级组织的管理员重置密码")
	}
	// Lock the member's account, then let the branch reset it.
	for range 5 {
		svc.SignIn(ctx, memberID, "wrong-password")
	}
	_, err = svc.SignIn(ctx, memberID, permPass)
	wantMsg(t, "locked", err, "暂时锁定")
	for name, ss := range map[string]*app.Session{"the member's branch": branch, "the college above": colA, "the school": owner} {
		if err := svc.ResetPassword(ctx, ss, " "+memberID+" "); err != nil {
			t.Fatalf("ResetPassword by %s: %v", name, err)
		}
		if a, _ := storedAccount(t, f.store, memberID); !a.MustChange || a.Failed != 0 || !a.LockedUntil.IsZero() {
			t.Errorf("account after a reset by %s = %+v, want MustChange, unlocked", name, a)
		}
		_, err := svc.SignIn(ctx, memberID, permPass)
		wantCode(t, "the old password after the reset", err, app.EUnauthorized)
		ss, err := svc.SignIn(ctx, memberID, app.InitialPassword(memberID))
		wantCode(t, "the initial password after the reset", err, app.EMustChange)
		if err := svc.ChangePassword(ctx, ss, app.InitialPassword(memberID), permPass); err != nil {
			t.Fatal(err)
		}
	}
	// An admin is reset from above, not from below or beside.
	err = svc.ResetPassword(ctx, other, idOf(t, acBranch))
	wantCode(t, "a sibling branch resets A1's admin", err, app.EForbidden)
	if err := svc.ResetPassword(ctx, colA, idOf(t, acBranch)); err != nil {
		t.Fatalf("the college resets its branch admin: %v", err)
	}
	err = svc.ResetPassword(ctx, colA, idOf(t, acColA))
	wantCode(t, "resetting oneself", err, app.EConflict)
	err = svc.ResetPassword(ctx, owner, idOf(t, "33010219900101001"))
	wantCode(t, "unknown person", err, app.ENotFound)

	// No takeover from below: A1's admin enters the school admin as a cadre
	// and admin of A1 (it knows the name and 身份证号) and tries to reset the
	// password to the known initial one.
	branch2 := f.makeAdmin(t, f.branchA1, idOf(t, acPeer), "王大明", "副书记")
	if _, err := svc.AddCadre(ctx, branch2, app.CadreInput{OrgID: f.branchA1.ID, IDNo: adminID, Name: "周明远", Post: "其他"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddAdmin(ctx, branch2, f.branchA1.ID, adminID); err != nil {
		t.Fatal(err)
	}
	err = svc.ResetPassword(ctx, branch2, adminID)
	wantCode(t, "A1's admin resets the school admin", err, app.EForbidden)
	if _, err := svc.SignIn(ctx, adminID, adminNewPass); err != nil {
		t.Fatalf("the school admin's password changed: %v", err)
	}
}

// R-A1: from the fifth failure in a row the account waits 1 minute, then 2,
// then 4 (doubling with each further failure); the message states until when
// and how long; a wrong password while locked does not count; a success
// resets the count. svc.Now is the clock.
func TestSignIn_LockoutDoubles_R_A1(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc, clock := f.svc, f.clock
	at := func(d time.Duration) { *clock = svcTestNow.Add(d) }
	signIn := func(pw string) error { _, err := svc.SignIn(ctx, adminID, pw); return err }

	for i := 1; i <= 4; i++ {
		wantMsg(t, "failure", signIn("wrong-password"), "账号或密码不正确，请核对后重试")
	}
	steps := []struct {
		name  string
		after time.Duration
		pw    string
		code  app.Code
		msg   []string
	}{
		{"5th failure locks 1 minute", 0, "wrong-password", app.EUnauthorized, []string{"已连续输错 5 次", "锁定 1 分钟"}},
		{"locked: the right password waits", 0, adminNewPass, app.EUnauthorized, []string{"请在 10:01:00 后再试", "还需等待约 1 分钟"}},
		{"locked: the wait shrinks", 30 * time.Second, adminNewPass, app.EUnauthorized, []string{"10:01:00", "还需等待约 30 秒"}},
		{"a wrong password while locked does not count", 40 * time.Second, "wrong-password", app.EUnauthorized, []string{"10:01:00", "还需等待约 20 秒"}},
		{"6th failure locks 2 minutes", time.Minute, "wrong-password", app.EUnauthorized, []string{"已连续输错 6 次", "锁定 2 分钟"}},
		{"locked until 10:03", time.Minute, adminNewPass, app.EUnauthorized, []string{"请在 10:03:00 后再试", "还需等待约 2 分钟"}},
		{"still locked 1 s before", 3*time.Minute - time.Second, adminNewPass, app.EUnauthorized, []string{"还需等待约 1 秒"}},
		{"7th failure locks 4 minutes", 3 * time.Minute, "wrong-password", app.EUnauthorized, []string{"已连续输错 7 次", "锁定 4 分钟"}},
		{"locked until 10:07", 3 * time.Minute, adminNewPass, app.EUnauthorized, []string{"请在 10:07:00 后再试", "还需等待约 4 分钟"}},
		{"3 minutes later", 6 * time.Minute, adminNewPass, app.EUnauthorized, []string{"还需等待约 1 分钟"}},
		{"unlocked after 4 minutes", 7 * time.Minute, adminNewPass, "", nil},
		{"the count starts again", 7 * time.Minute, "wrong-password", app.EUnauthorized, []string{"账号或密码不正确，请核对后重试"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			at(s.after)
			err := signIn(s.pw)
			wantCode(t, "SignIn", err, s.code)
			wantMsg(t, "SignIn", err, s.msg...)
		})
	}
}

// R-A1: a wrong password gets the same message whether the account exists,
// is a member's not made yet, or does not exist at all, however often it is
// tried: the answer never tells which 身份证号 are known.
func TestSignIn_SameMessageForEveryWrongPassword_R_A1(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.svc
	memberID, cadreID := idOf(t, acMember), idOf(t, acCadre)
	f.addMember(t, f.owner, member(f.branchA1.ID, "王小红", memberID, "2019-05", "201900000001"))
	if _, err := svc.AddCadre(ctx, f.owner, app.CadreInput{OrgID: f.colA.ID, IDNo: cadreID, Name: "孔老师", Post: "其他"}); err != nil {
		t.Fatal(err)
	}
	_, want := svc.SignIn(ctx, adminID, "wrong-password")
	wantCode(t, "wrong password", want, app.EUnauthorized)
	cases := []struct{ name, id, pw string }{
		{"unknown 身份证号", idOf(t, "33010219900101001"), "wrong-password"},
		{"unknown 身份证号, its own last 8", idOf(t, "33010219900101001"), app.InitialPassword(idOf(t, "33010219900101001"))},
		{"member without account, wrong password", memberID, "wrong-password"},
		{"cadre without account, its last 8", cadreID, app.InitialPassword(cadreID)},
		{"not a 身份证号 at all", "abc", "wrong-password"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := 1; i <= 6; i++ { // past the lockout threshold
				_, err := svc.SignIn(ctx, tc.id, tc.pw)
				wantCode(t, "SignIn", err, app.EUnauthorized)
				if app.ErrorMessage(err) != app.ErrorMessage(want) {
					t.Fatalf("attempt %d: message %q, want %q", i, app.ErrorMessage(err), app.ErrorMessage(want))
				}
			}
		})
	}
}
