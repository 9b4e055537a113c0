package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data"
)

// The roles of the permission matrix, in the column order of permRows.
// Every role is made through the real use cases (Init, AddOrg, AddCadre,
// AddAdmin, RevokeAdmin, SignIn, ChangePassword), never by hand.
const (
	roleOwner       = iota // 校团委管理员: the store owner (administers the root)
	roleCollege            // 学院团委管理员 of 信息学院团委 (college A), also a member of branch A1
	roleBranch             // 团支部管理员 of branch A1 (the branch the rows act on)
	roleOtherBranch        // 团支部管理员 of branch A2, A1's sibling in college A
	roleMember             // 团员 of branch A1, signed in with their own account (R-A5)
	roleRevoked            // former admin of college A whose only admin right was revoked (R-A3)
	roleMustChange         // new admin of college A still on the initial password (R-A1, R-X6)
	roleNone               // no session at all
	numRoles
)

var roleNames = [numRoles]string{"校团委管理员", "学院团委管理员", "本支部管理员", "他支部管理员", "团员", "已撤销的管理员", "未改初始密码", "未登录"}

// permWorld is the fixture of the matrix. It is built once; every cell runs
// on its own copy of the store file, so cells are independent.
//
//	浙江明理大学团委                   admin: owner
//	├── 信息学院团委 (colA)           admins: college, mustChange; revoked (revoked); cadres of all three
//	│   ├── 2023级计算机1班团支部 (A1)  admin: branch; members: member, college, 王大明 (peer, also
//	│   │                               its 组织委员), 赵六, 孙八, 周九
//	│   └── 2023级软件工程1班团支部 (A2) admin: otherBranch; no members
//	└── 经济学院团委 (colB)
//	    └── 2023级经济学1班团支部 (B1)  member: 张三
//	南京金陵大学团委 (outside, 江苏)
//	└── 研究生院团委 (outCol)
//	    └── 2024级硕士1班团支部        member: 钱七
//
// and three open transfers (R-T3): tA1, 王大明 from A1 to B1 pulled by the
// school (转出审批 open at A1); tOut, 孙八 from A1 to outCol sent by A1
// (转入审批 open at the outside committee); tAssign, 钱七 pulled from the
// outside branch by college A and approved (分配团支部 open at college A);
// and letter No. 1 of college A for tOut (R-L1). A1 is marked to graduate
// in 2027-06 (R-G1), 王大明 is marked 教师 (R-D1), and 周九 of A1 is
// reported as wrongly entered (R-E1).
type permWorld struct {
	template string
	sess     [numRoles]*app.Session
	pass     [numRoles]string // the current password of each role's account
	id       [numRoles]string // the 身份证号 of each role's account
	root     app.Org
	colA     app.Org
	colB     app.Org
	a1, a2   app.Org
	b1       app.Org
	orgs     map[int64]app.Org
	peerID   string // 王大明, a member and the 组织委员 of A1 with no account
	peerCadr int64  // 王大明's cadre record in A1
	outsider string // a member of B1
	newID    string // a person in no record yet
	newMembr string // a member not entered yet
	qID      string // 赵六, a member of A1 with no transfer
	outCol   app.Org
	tA1      int64
	tOut     int64
	tAssign  int64
	yID      string // 周九, a member of A1 reported as wrongly entered
}

const permPass = "Tuanwu#2025"

func buildPermWorld(t *testing.T) *permWorld {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t)
	svc, owner := f.svc, f.owner
	w := &permWorld{root: f.root, colA: f.colA, colB: f.colB, a1: f.branchA1, a2: f.branchA2, b1: f.branch}
	w.id[roleOwner], w.sess[roleOwner], w.pass[roleOwner] = adminID, owner, adminNewPass
	w.id[roleCollege] = idOf(t, "33010220030412001")
	w.id[roleBranch] = idOf(t, "33010619920404003")
	w.id[roleOtherBranch] = idOf(t, "33010619930505004")
	w.id[roleMember] = idOf(t, "33010220050315002")
	w.id[roleRevoked] = idOf(t, "33010619870303002")
	w.id[roleMustChange] = idOf(t, "33010619900202001")
	w.peerID = idOf(t, "33010220050315003")
	w.outsider = idOf(t, "44030420060101001")
	w.newID = idOf(t, "33010619940606005")
	w.newMembr = idOf(t, "33010220060708001")

	f.addMember(t, owner, member(w.a1.ID, "王小红", w.id[roleMember], "2019-05", "201900000001"))
	f.addMember(t, owner, member(w.a1.ID, "王大明", w.peerID, "2019-05", "201900000002"))
	f.addMember(t, owner, member(w.a1.ID, "陈思远", w.id[roleCollege], "2018-05", "201800000003"))
	f.addMember(t, owner, member(w.b1.ID, "张三", w.outsider, "2020-05", "202000000004"))

	cadre := func(org app.Org, id, name, post string) app.Cadre {
		c, err := svc.AddCadre(ctx, owner, app.CadreInput{OrgID: org.ID, IDNo: id, Name: name, Post: post, Nature: "兼职", PostSince: "2024-09"})
		if err != nil {
			t.Fatalf("AddCadre %s: %v", name, err)
		}
		return c
	}
	cadre(w.colA, w.id[roleCollege], "陈思远", "副书记")
	cadre(w.colA, w.id[roleMustChange], "孔老师", "组织委员")
	cadre(w.colA, w.id[roleRevoked], "任老师", "宣传委员")
	cadre(w.a1, w.id[roleBranch], "白老师", "书记")
	cadre(w.a2, w.id[roleOtherBranch], "欧老师", "书记")
	w.peerCadr = cadre(w.a1, w.peerID, "王大明", "组织委员").ID

	for _, a := range []struct {
		org  app.Org
		role int
	}{{w.colA, roleCollege}, {w.colA, roleMustChange}, {w.colA, roleRevoked}, {w.a1, roleBranch}, {w.a2, roleOtherBranch}} {
		res, err := svc.AddAdmin(ctx, owner, a.org.ID, w.id[a.role])
		if err != nil || !res.AccountCreated {
			t.Fatalf("AddAdmin %s: %+v, %v", roleNames[a.role], res, err)
		}
	}
	// Everybody but roleMustChange signs in with the initial password and
	// changes it; the member's account is made at that first sign-in (R-A1, R-A5).
	for _, r := range []int{roleCollege, roleBranch, roleOtherBranch, roleMember, roleRevoked, roleMustChange} {
		initial := app.InitialPassword(w.id[r])
		ss, err := svc.SignIn(ctx, w.id[r], initial)
		wantCode(t, "first SignIn of "+roleNames[r], err, app.EMustChange)
		w.sess[r], w.pass[r] = ss, initial
		if r == roleMustChange {
			continue
		}
		if err := svc.ChangePassword(ctx, ss, initial, permPass); err != nil {
			t.Fatalf("ChangePassword of %s: %v", roleNames[r], err)
		}
		w.pass[r] = permPass
	}
	if err := svc.RevokeAdmin(ctx, owner, w.colA.ID, w.id[roleRevoked]); err != nil {
		t.Fatalf("RevokeAdmin: %v", err)
	}
	ss, err := svc.SignIn(ctx, w.id[roleRevoked], permPass)
	if err != nil {
		t.Fatalf("SignIn of the revoked admin: %v", err)
	}
	w.sess[roleRevoked] = ss

	// Transfers and a letter.
	addOrg := func(in app.NewOrg) app.Org {
		o, _, err := svc.AddOrg(ctx, owner, in)
		if err != nil {
			t.Fatalf("AddOrg %s: %v", in.Name, err)
		}
		return o
	}
	top := addOrg(app.NewOrg{Name: "南京金陵大学团委", Kind: app.KindCommittee, Province: "江苏"})
	w.outCol = addOrg(app.NewOrg{ParentID: top.ID, Name: "研究生院团委", Kind: app.KindCommittee})
	outBranch := addOrg(app.NewOrg{ParentID: w.outCol.ID, Name: "2024级硕士1班团支部", Kind: app.KindBranch})
	w.qID = idOf(t, "33010220040820001")
	sID, oID := idOf(t, "33010220040921002"), idOf(t, "32010620010315003")
	f.addMember(t, owner, member(w.a1.ID, "赵六", w.qID, "2019-05", "201900000011"))
	f.addMember(t, owner, member(w.a1.ID, "孙八", sID, "2019-05", "201900000012"))
	f.addMember(t, owner, member(outBranch.ID, "钱七", oID, "2016-05", ""))
	study := func(ids []string, name string, to app.Org) app.TransferInput {
		return app.TransferInput{IDNos: ids, Name: name, Reason: app.ReasonStudy, ToOrg: to.ID, Scope: "否", Unit: "某某大学", Address: "某省某市某路 1 号"}
	}
	tr, err := svc.PullTransfer(ctx, owner, study([]string{w.peerID}, "王大明", w.b1))
	if err != nil {
		t.Fatalf("PullTransfer 王大明: %v", err)
	}
	w.tA1 = tr.No
	trs, err := svc.StartTransfer(ctx, w.sess[roleBranch], study([]string{sID}, "", w.outCol))
	if err != nil {
		t.Fatalf("StartTransfer 孙八: %v", err)
	}
	w.tOut = trs[0].No
	if tr, err = svc.PullTransfer(ctx, w.sess[roleCollege], study([]string{oID}, "钱七", w.colA)); err != nil {
		t.Fatalf("PullTransfer 钱七: %v", err)
	}
	w.tAssign = tr.No
	if tr, err = svc.ApproveTransfer(ctx, owner, w.tAssign); err != nil || tr.State != app.StateAssigning {
		t.Fatalf("ApproveTransfer 钱七 = %+v, %v; want it waiting for assignment", tr, err)
	}
	if ls, err := svc.IssueLetters(ctx, w.sess[roleCollege], []int64{w.tOut}, app.LetterOptions{}); err != nil || len(ls) != 1 || ls[0].No != 1 {
		t.Fatalf("IssueLetters = %+v, %v", ls, err)
	}
	// Graduation, member marks and an error report.
	w.yID = idOf(t, "33010220041030003")
	f.addMember(t, owner, member(w.a1.ID, "周九", w.yID, "2019-05", "201900000013"))
	if _, err := svc.MarkGraduation(ctx, owner, app.GradMark{OrgIDs: []int64{w.a1.ID}, Month: "2027-06"}); err != nil {
		t.Fatalf("MarkGraduation: %v", err)
	}
	if _, err := svc.MarkMembers(ctx, owner, app.MemberMark{IDNos: []string{w.peerID}, Mark: app.MarkTeacher}); err != nil {
		t.Fatalf("MarkMembers: %v", err)
	}
	if _, err := svc.ReportError(ctx, owner, w.yID, "姓名"); err != nil {
		t.Fatalf("ReportError: %v", err)
	}

	// The roles are what the matrix says they are.
	for r, want := range map[int]string{roleOwner: app.RoleCommittee, roleCollege: app.RoleCommittee, roleBranch: app.RoleBranch,
		roleOtherBranch: app.RoleBranch, roleMember: app.RoleMember, roleRevoked: app.RoleMember, roleMustChange: app.RoleCommittee} {
		if got := w.sess[r].Role(); got != want {
			t.Fatalf("%s: Role() = %s, want %s", roleNames[r], got, want)
		}
	}
	if !w.sess[roleOwner].Owner || w.sess[roleCollege].Owner || !w.sess[roleMustChange].Account.MustChange || w.sess[roleMember].Account.MustChange {
		t.Fatalf("sessions are not as built: %+v", w.sess)
	}

	w.orgs = map[int64]app.Org{}
	all, err := svc.FindOrgs(ctx, owner, app.OrgSearch{Scope: "全部"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range all {
		w.orgs[o.ID] = o
	}
	w.template = filepath.Join(t.TempDir(), "template.db")
	if err := f.store.Backup(ctx, w.template); err != nil {
		t.Fatalf("Backup of the fixture: %v", err)
	}
	return w
}

// permCell is one cell of the matrix: a role acting on its own copy of the fixture.
type permCell struct {
	w     *permWorld
	svc   *app.Service
	store *data.Store
	ss    *app.Session
	role  int
	dir   string
}

func (w *permWorld) cell(t *testing.T, role int) *permCell {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(w.template)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cell.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := openFileStore(t, path)
	if err != nil {
		t.Fatalf("data.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st)
	svc.Now = func() time.Time { return svcTestNow.Add(time.Hour) }
	var ss *app.Session
	if src := w.sess[role]; src != nil {
		cp := *src
		cp.Orgs = append([]app.Org(nil), src.Orgs...)
		ss = &cp
	}
	return &permCell{w: w, svc: svc, store: st, ss: ss, role: role, dir: dir}
}

// errLeak marks an allowed call that returned something outside the
// session's organizations: an unexpected allow as bad as a missing check.
var errLeak = errors.New("result outside the session's organizations")

// within returns errLeak unless the session may manage organization id.
func (c *permCell) within(id int64, what string) error {
	if c.ss.Owner {
		return nil
	}
	o, ok := c.w.orgs[id]
	if !ok || !c.ss.CanManage(o) {
		return fmt.Errorf("%w: %s (organization %d)", errLeak, what, id)
	}
	return nil
}

// permExpect is one cell's expectation, written in permRows as a token:
//
//	Y          allowed: no error
//	Y/notfound allowed by the permission check, then ENotFound (named, not a refusal)
//	Y/conflict allowed by the permission check, then EConflict (named, not a refusal)
//	E          allowed, and the result is empty (nothing to see)
//	N          refused: EForbidden
//	M          refused: EMustChange (the initial password is not changed yet)
//	U          refused: EUnauthorized (no session)
//	H          refused: ENotFound, the record is hidden from the session
type permExpect struct {
	allow bool
	empty bool
	code  app.Code // the error expected, "" for none
}

func parsePermExpect(t *testing.T, row string) [numRoles]permExpect {
	t.Helper()
	toks := strings.Fields(row)
	if len(toks) != numRoles {
		t.Fatalf("expectation %q has %d tokens, want %d", row, len(toks), numRoles)
	}
	var out [numRoles]permExpect
	for i, tok := range toks {
		switch tok {
		case "Y":
			out[i] = permExpect{allow: true}
		case "Y/notfound":
			out[i] = permExpect{allow: true, code: app.ENotFound}
		case "Y/conflict":
			out[i] = permExpect{allow: true, code: app.EConflict}
		case "E":
			out[i] = permExpect{allow: true, empty: true}
		case "N":
			out[i] = permExpect{code: app.EForbidden}
		case "M":
			out[i] = permExpect{code: app.EMustChange}
		case "U":
			out[i] = permExpect{code: app.EUnauthorized}
		case "H":
			out[i] = permExpect{code: app.ENotFound}
		default:
			t.Fatalf("unknown token %q in %q", tok, row)
		}
	}
	return out
}

// permRow is one use case (with one target) of the matrix.
type permRow struct {
	name   string
	writes int // audit entries an allowed call writes (R-X6): auditNone, auditOne or auditSome
	// roles, in column order:  校团委 学院团委 本支部 他支部 团员 已撤销 未改密 未登录
	expect string
	// do runs the use case and returns how many items it returned (lists).
	do func(c *permCell) (int, error)
}

// How many audit entries an allowed call writes (R-X6).
const (
	auditNone = 0
	auditOne  = 1
	// auditSome: one entry or more; a transfer step that finishes the
	// transfer also records the member's move (组织关系转接办结).
	auditSome = -1
)

func permOne(err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return 1, nil
}

// permRows is THE table of the permission matrix: every use case of
// app.Service that takes a *Session (except those of app/import.go) ×
// every role. R-A4: a committee admin acts on its whole subtree, a branch
// admin on its branch only (and deletes nothing of its own, R-O4); R-A5: a
// member sees the personal centre only (own record, password change);
// R-A1/R-X6: nothing but ChangePassword before the initial password is
// changed; R-A3: a revoked admin keeps the account but has no right left.
var permRows = []permRow{
	{"RootOrgs", auditNone,
		"Y Y Y Y E E M U",
		func(c *permCell) (int, error) {
			list, err := c.svc.RootOrgs(context.Background(), c.ss)
			for _, o := range list {
				if err := c.within(o.ID, "RootOrgs shows "+o.FullName); err != nil {
					return len(list), err
				}
			}
			return len(list), err
		}},
	{"Org(branch A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.Org(context.Background(), c.ss, c.w.a1.ID)
			return permOne(err)
		}},
	{"Org(root)", auditNone,
		"Y N N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.Org(context.Background(), c.ss, c.w.root.ID)
			return permOne(err)
		}},
	{"Children(college A)", auditNone,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			list, err := c.svc.Children(context.Background(), c.ss, c.w.colA.ID)
			return len(list), err
		}},
	{"Children(branch A1)", auditNone,
		"E E E N N N M U",
		func(c *permCell) (int, error) {
			list, err := c.svc.Children(context.Background(), c.ss, c.w.a1.ID)
			return len(list), err
		}},
	// Resolving a path and searching organizations serve choosing a transfer
	// target (R-T1, R-O3), which a member does too: any signed-in account.
	{"ResolveOrg(path of A1)", auditNone,
		"Y Y Y Y Y Y M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.ResolveOrg(context.Background(), c.ss, c.w.a1.FullName)
			return permOne(err)
		}},
	{"FindOrgs(团支部, 否)", auditNone,
		"Y Y Y Y Y Y M U",
		func(c *permCell) (int, error) {
			list, err := c.svc.FindOrgs(context.Background(), c.ss, app.OrgSearch{Text: "团支部", Scope: "否"})
			return len(list), err
		}},
	{"AddOrg(under college A)", auditOne,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			_, _, err := c.svc.AddOrg(context.Background(), c.ss, app.NewOrg{ParentID: c.w.colA.ID, Name: "2024级计算机1班团支部", Kind: app.KindBranch})
			return permOne(err)
		}},
	{"AddOrg(top level)", auditOne,
		"Y N N N N N M U",
		func(c *permCell) (int, error) {
			_, _, err := c.svc.AddOrg(context.Background(), c.ss, app.NewOrg{Name: "上海浦江大学团委", Kind: app.KindCommittee, Province: "上海"})
			return permOne(err)
		}},
	{"RenameOrg(branch A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.RenameOrg(context.Background(), c.ss, c.w.a1.ID, "2023级计算机科学1班团支部")
			return permOne(err)
		}},
	// R-O4: an empty branch is deleted by its superior, never by itself.
	{"DeleteOrg(empty branch A2)", auditOne,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) { return permOne(c.svc.DeleteOrg(context.Background(), c.ss, c.w.a2.ID)) }},
	{"AddMember(into A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.AddMember(context.Background(), c.ss, member(c.w.a1.ID, "李四", c.w.newMembr, "2020-05", "202000000005"))
			return permOne(err)
		}},
	{"EditMember(peer in A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.EditMember(context.Background(), c.ss, c.w.peerID, map[string]string{"QQ": "123456"})
			return permOne(err)
		}},
	// R-A5: the personal centre shows the own record; editing it (团员编号,
	// 入团年月, 政治面貌 ...) is the branch's business.
	{"EditMember(the member's own record)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.EditMember(context.Background(), c.ss, c.w.id[roleMember], map[string]string{"入团年月": "2019-06"})
			return permOne(err)
		}},
	{"Member(peer in A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.Member(context.Background(), c.ss, c.w.peerID)
			return permOne(err)
		}},
	{"Member(the member's own record)", auditNone,
		"Y Y Y N Y N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.Member(context.Background(), c.ss, c.w.id[roleMember])
			return permOne(err)
		}},
	{"ListMembers(A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) { return permListMembers(c, app.MemberQuery{OrgID: c.w.a1.ID}) }},
	{"ListMembers(all I manage)", auditNone,
		"Y Y Y E N N M U",
		func(c *permCell) (int, error) { return permListMembers(c, app.MemberQuery{}) }},
	{"CountMembers(A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			n, err := c.svc.CountMembers(context.Background(), c.ss, app.MemberQuery{OrgID: c.w.a1.ID})
			return n, err
		}},
	{"CountMembers(all I manage)", auditNone,
		"Y Y Y E N N M U",
		func(c *permCell) (int, error) {
			n, err := c.svc.CountMembers(context.Background(), c.ss, app.MemberQuery{})
			return n, err
		}},
	{"AddCadre(A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.AddCadre(context.Background(), c.ss, app.CadreInput{OrgID: c.w.a1.ID, IDNo: c.w.newID, Name: "吴老师", Post: "宣传委员"})
			return permOne(err)
		}},
	{"AddCadre(college A)", auditOne,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.AddCadre(context.Background(), c.ss, app.CadreInput{OrgID: c.w.colA.ID, IDNo: c.w.newID, Name: "吴老师", Post: "其他"})
			return permOne(err)
		}},
	{"Cadres(A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			cs, err := c.svc.Cadres(context.Background(), c.ss, c.w.a1.ID)
			return len(cs), err
		}},
	{"EditCadre(peer's post in A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.EditCadre(context.Background(), c.ss, c.w.peerCadr, app.CadreInput{Post: "宣传委员", PostSince: "2025-03", Nature: "兼职"})
			return permOne(err)
		}},
	{"EndCadre(peer's post in A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.EndCadre(context.Background(), c.ss, c.w.peerCadr))
		}},
	{"AddAdmin(A1, peer)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.AddAdmin(context.Background(), c.ss, c.w.a1.ID, c.w.peerID)
			return permOne(err)
		}},
	{"AddAdmin(college A, the revoked admin again)", auditOne,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.AddAdmin(context.Background(), c.ss, c.w.colA.ID, c.w.id[roleRevoked])
			return permOne(err)
		}},
	{"Admins(A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			as, err := c.svc.Admins(context.Background(), c.ss, c.w.a1.ID)
			return len(as), err
		}},
	// A branch admin may step down: college A can still act for A1 (R-A3).
	{"RevokeAdmin(A1, its branch admin)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.RevokeAdmin(context.Background(), c.ss, c.w.a1.ID, c.w.id[roleBranch]))
		}},
	{"RevokeAdmin(college A, the new admin)", auditOne,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.RevokeAdmin(context.Background(), c.ss, c.w.colA.ID, c.w.id[roleMustChange]))
		}},
	// R-A1: reset by the member's branch or above.
	{"ResetPassword(the member)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.ResetPassword(context.Background(), c.ss, c.w.id[roleMember]))
		}},
	// The college admin is also a member of A1: A1's admin must not reset
	// (and so take over) an account that administers college A.
	{"ResetPassword(the college admin, a member of A1)", auditOne,
		"Y Y/conflict N N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.ResetPassword(context.Background(), c.ss, c.w.id[roleCollege]))
		}},
	{"ResetPassword(A1's branch admin)", auditOne,
		"Y Y Y/conflict N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.ResetPassword(context.Background(), c.ss, c.w.id[roleBranch]))
		}},
	// R-A5: the own record; who is no member has none (ENotFound).
	{"MyRecord", auditNone,
		"Y/notfound Y Y/notfound Y/notfound Y Y/notfound M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.MyRecord(context.Background(), c.ss)
			return permOne(err)
		}},
	{"MyGraduation", auditNone,
		"Y/notfound Y Y/notfound Y/notfound Y Y/notfound M U",
		func(c *permCell) (int, error) {
			_, _, _, err := c.svc.MyGraduation(context.Background(), c.ss)
			return permOne(err)
		}},
	{"Backup", auditOne,
		"Y N N N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.Backup(context.Background(), c.ss, filepath.Join(c.dir, "backup.db")))
		}},
	{"Audit(no filter)", auditNone,
		"Y Y Y Y N N M U",
		func(c *permCell) (int, error) { return permAudit(c, app.AuditFilter{}) }},
	{"Audit(A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) { return permAudit(c, app.AuditFilter{OrgID: c.w.a1.ID}) }},
	// The trail is for administrators: it names who acted by full 身份证号.
	{"Audit(the member)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) { return permAudit(c, app.AuditFilter{Member: c.w.id[roleMember]}) }},
	{"Audit(UnderPath of the root)", auditNone,
		"Y N N N N N M U",
		func(c *permCell) (int, error) { return permAudit(c, app.AuditFilter{UnderPath: c.w.root.Path}) }},
	// Transfers (R-T1, R-T3) and letters (R-T7, R-L1).
	{"StartTransfer(a member of A1, 办理转出)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) { return permStartTransfer(c, c.w.qID) }},
	// R-A5: the member's own transfer application.
	{"StartTransfer(the member's own application)", auditOne,
		"Y Y Y N Y N M U",
		func(c *permCell) (int, error) { return permStartTransfer(c, c.w.id[roleMember]) }},
	{"PullTransfer(a member of B1 into A1, 办理转入)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.PullTransfer(context.Background(), c.ss, app.TransferInput{IDNos: []string{c.w.outsider}, Name: "张三",
				Reason: app.ReasonStudy, ToOrg: c.w.a1.ID, Scope: "否", Unit: "浙江明理大学信息学院", Address: "浙江省杭州市"})
			return permOne(err)
		}},
	// R-T3: a branch's step is acted on by the branch or its direct
	// superior, not by the school above them.
	{"ApproveTransfer(转出审批 at A1)", auditSome,
		"N Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.ApproveTransfer(context.Background(), c.ss, c.w.tA1)
			return permOne(err)
		}},
	{"RejectTransfer(转出审批 at A1)", auditOne,
		"N Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.RejectTransfer(context.Background(), c.ss, c.w.tA1, "材料不全")
			return permOne(err)
		}},
	// An outside organization nobody here administers: the store owner records its decision.
	{"ApproveTransfer(转入审批 at an outside committee)", auditOne,
		"Y N N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.ApproveTransfer(context.Background(), c.ss, c.w.tOut)
			return permOne(err)
		}},
	{"AssignTransfer(college A's 分配团支部, to A2)", auditSome,
		"N Y N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.AssignTransfer(context.Background(), c.ss, c.w.tAssign, c.w.a2.ID)
			return permOne(err)
		}},
	{"TransferByNo(A1 → B1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.TransferByNo(context.Background(), c.ss, c.w.tA1)
			return permOne(err)
		}},
	{"ListTransfers(all)", auditNone,
		"Y Y Y E E E M U",
		func(c *permCell) (int, error) { return permListTransfers(c, false) }},
	{"ListTransfers(pending)", auditNone,
		"Y Y Y E E E M U",
		func(c *permCell) (int, error) { return permListTransfers(c, true) }},
	{"Notices", auditNone,
		"Y Y Y Y Y Y M U",
		func(c *permCell) (int, error) {
			ns, err := c.svc.Notices(context.Background(), c.ss)
			return len(ns), err
		}},
	// R-A4: letters are issued by the college committee, not by a branch.
	{"IssueLetters(A1 → outside)", auditOne,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.IssueLetters(context.Background(), c.ss, []int64{c.w.tOut}, app.LetterOptions{})
			return permOne(err)
		}},
	{"Letters", auditNone,
		"Y Y E E N N M U",
		func(c *permCell) (int, error) {
			ls, err := c.svc.Letters(context.Background(), c.ss)
			for _, l := range ls {
				if err := c.within(l.IssuerOrg, "Letters shows "+l.Issuer); err != nil {
					return len(ls), err
				}
			}
			return len(ls), err
		}},
	{"VoidLetter(college A's No. 1)", auditOne,
		"Y Y H H N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.VoidLetter(context.Background(), c.ss, 1, c.w.colA.ID, "收件组织名称有误"))
		}},
	// Graduation (R-G1, R-A4), member marks (R-D1, R-D3), status (R-X4),
	// error reports (R-E1) and the roster export.
	// R-A4: a branch admin may not mark graduation times.
	{"MarkGraduation(A1)", auditOne,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.MarkGraduation(context.Background(), c.ss, app.GradMark{OrgIDs: []int64{c.w.a1.ID}, Month: "2027-07"})
			return permOne(err)
		}},
	{"Unmarked(A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			bs, err := c.svc.Unmarked(context.Background(), c.ss, c.w.a1.ID)
			return len(bs), err
		}},
	{"SetGradSwitchDate", auditOne,
		"Y N N N N N M U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.SetGradSwitchDate(context.Background(), c.ss, "06-30"))
		}},
	{"MarkMembers(a member of A1, 教师)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.MarkMembers(context.Background(), c.ss, app.MemberMark{IDNos: []string{c.w.qID}, Mark: app.MarkTeacher})
			return permOne(err)
		}},
	{"MarkMembers(the member's own record)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.MarkMembers(context.Background(), c.ss, app.MemberMark{IDNos: []string{c.w.id[roleMember]}, Mark: app.MarkDelayed, Month: "2028-06", Reason: "休学一年"})
			return permOne(err)
		}},
	{"UnmarkMembers(a marked member of A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.UnmarkMembers(context.Background(), c.ss, []string{c.w.peerID})
			return permOne(err)
		}},
	{"SetStatus(a member of A1, 自愿退团)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.SetStatus(context.Background(), c.ss, c.w.qID, app.StatusQuit, "2025-05-01", "本人申请")
			return permOne(err)
		}},
	{"SetStatus(the member's own record)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.SetStatus(context.Background(), c.ss, c.w.id[roleMember], app.StatusQuit, "2025-05-01", "本人申请")
			return permOne(err)
		}},
	{"OverAge(A1)", auditNone,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			ms, err := c.svc.OverAge(context.Background(), c.ss, c.w.a1.ID, 2035)
			return len(ms), err
		}},
	{"ReportError(a member of A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.ReportError(context.Background(), c.ss, c.w.qID, "身份证")
			return permOne(err)
		}},
	{"ErrorReport", auditNone,
		"Y Y Y E N N M U",
		func(c *permCell) (int, error) {
			rows, err := c.svc.ErrorReport(context.Background(), c.ss)
			return len(rows), err
		}},
	// Issue 10 item 5: the exports of 附件3 and 附件4 carry full 身份证号
	// and are audited once, with the count.
	{"ExportErrorReport", auditOne,
		"Y Y Y E N N M U",
		func(c *permCell) (int, error) {
			rows, err := c.svc.ExportErrorReport(context.Background(), c.ss, func([]app.ErrorReportRow) error { return nil })
			return len(rows), err
		}},
	{"ExportUnmarked(A1)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			bs, err := c.svc.ExportUnmarked(context.Background(), c.ss, c.w.a1.ID, func([]app.UnmarkedBranch) error { return nil })
			return len(bs), err
		}},
	{"AbroadRegister", auditNone,
		"Y Y N N N N M U",
		func(c *permCell) (int, error) {
			rows, err := c.svc.AbroadRegister(context.Background(), c.ss)
			return len(rows), err
		}},
	// Issue 10 item 3 (R-E1): the school committee confirms the deletion,
	// never the branch or college that reported it.
	{"ConfirmDeleted(a reported member of A1)", auditOne,
		"Y N N N N N M U",
		func(c *permCell) (int, error) {
			_, err := c.svc.ConfirmDeleted(context.Background(), c.ss, c.w.yID)
			return permOne(err)
		}},
	{"ExportRoster(A1, full 身份证号)", auditOne,
		"Y Y Y N N N M U",
		func(c *permCell) (int, error) {
			n := 0
			_, err := c.svc.ExportRoster(context.Background(), c.ss, c.w.a1.ID, true, func(m app.Member) error {
				n++
				return c.within(m.OrgID, "ExportRoster shows "+m.Name)
			})
			return n, err
		}},
	{"ChangePassword(own)", auditOne,
		"Y Y Y Y Y Y Y U",
		func(c *permCell) (int, error) {
			return permOne(c.svc.ChangePassword(context.Background(), c.ss, c.w.pass[c.role], "Another#2026"))
		}},
}

func permListMembers(c *permCell, q app.MemberQuery) (int, error) {
	n := 0
	err := c.svc.ListMembers(context.Background(), c.ss, q, func(m app.Member) error {
		n++
		return c.within(m.OrgID, "ListMembers shows "+m.Name)
	})
	return n, err
}

func permStartTransfer(c *permCell, id string) (int, error) {
	_, err := c.svc.StartTransfer(context.Background(), c.ss, app.TransferInput{IDNos: []string{id}, Reason: app.ReasonStudy,
		ToOrg: c.w.outCol.ID, Scope: "否", Unit: "南京金陵大学", Address: "江苏省南京市鼓楼区"})
	return permOne(err)
}

// listTransfers checks that every transfer listed is the session's own, or
// starts or ends in its organizations, or waits on a step it may act on.
func permListTransfers(c *permCell, pending bool) (int, error) {
	ts, err := c.svc.ListTransfers(context.Background(), c.ss, pending)
	if err != nil {
		return 0, err
	}
	for _, tr := range ts {
		if tr.IDNo == c.ss.Account.IDNo || c.within(tr.FromOrg, "") == nil || c.within(tr.ToOrg, "") == nil {
			continue
		}
		if st, ok := tr.Current(); ok {
			o := c.w.orgs[st.OrgID]
			if c.within(o.ID, "") == nil || (o.IsBranch() && c.within(o.ParentID, "") == nil) {
				continue
			}
		}
		return len(ts), fmt.Errorf("%w: ListTransfers shows transfer %d of %s", errLeak, tr.No, tr.Name)
	}
	return len(ts), nil
}

func permAudit(c *permCell, f app.AuditFilter) (int, error) {
	es, err := c.svc.Audit(context.Background(), c.ss, f)
	if err != nil {
		return 0, err
	}
	for _, e := range es {
		if f.Member != "" && e.Member == f.Member {
			continue
		}
		if err := c.within(e.OrgID, "Audit shows "+e.Action+" "+e.Object); err != nil {
			return len(es), err
		}
	}
	return len(es), nil
}

func permIsRefusal(code app.Code) bool {
	return code == app.EForbidden || code == app.EMustChange || code == app.EUnauthorized
}

// TestPermissionMatrix_R_A4_R_A5 runs every row of permRows for every role
// on a fresh copy of the fixture and counts unexpected allows: a refusal
// expected but the call went through (or failed on something other than
// a refusal, or wrote to the store), or an allowed call that showed data
// outside the session's organizations. There must be none.
func TestPermissionMatrix_R_A4_R_A5(t *testing.T) {
	w := buildPermWorld(t)
	var cells, unexpectedAllows, unexpectedDenies atomic.Int64
	t.Run("cells", func(t *testing.T) {
		for _, row := range permRows {
			exps := parsePermExpect(t, row.expect)
			for role := range numRoles {
				exp := exps[role]
				t.Run(row.name+"/"+roleNames[role], func(t *testing.T) {
					t.Parallel()
					cells.Add(1)
					c := w.cell(t, role)
					before := len(storedAudit(t, c.store))
					n, err := row.do(c)
					log := storedAudit(t, c.store)
					written := len(log) - before
					for _, e := range log[before:] {
						wantMasked(t, e) // R-X6: no full 身份证号 in Object, Before, After
					}
					code := app.ErrorCode(err)
					switch {
					case errors.Is(err, errLeak):
						unexpectedAllows.Add(1)
						t.Errorf("UNEXPECTED ALLOW: %v", err)
					case !exp.allow && code == exp.code && written == 0:
						// refused as expected, nothing written
					case !exp.allow && (!permIsRefusal(code) || written != 0):
						unexpectedAllows.Add(1)
						t.Errorf("UNEXPECTED ALLOW: want %s, got %v (code %q), %d audit entries written", exp.code, err, code, written)
					case !exp.allow:
						t.Errorf("want refusal %s, got %v (code %q)", exp.code, err, code)
					case code != exp.code:
						if permIsRefusal(code) {
							unexpectedDenies.Add(1)
						}
						t.Errorf("want allowed (error %q), got %v (code %q)", exp.code, err, code)
					case exp.empty && n != 0:
						unexpectedAllows.Add(1)
						t.Errorf("UNEXPECTED ALLOW: want an empty result, got %d items", n)
					case row.writes == auditOne && err == nil && written != 1:
						t.Errorf("R-X6: an allowed change wrote %d audit entries, want 1", written)
					case row.writes == auditSome && err == nil && written < 1:
						t.Errorf("R-X6: an allowed change wrote no audit entry")
					case (row.writes == auditNone || err != nil) && written != 0:
						t.Errorf("R-X6: %d audit entries written by a call that changed nothing", written)
					}
				})
			}
		}
	})
	t.Logf("permission matrix: %d use-case rows × %d roles = %d cells; %d unexpected allows, %d unexpected denials",
		len(permRows), numRoles, cells.Load(), unexpectedAllows.Load(), unexpectedDenies.Load())
	if n := unexpectedAllows.Load(); n != 0 {
		t.Errorf("%d unexpected allows in the permission matrix", n)
	}
}
