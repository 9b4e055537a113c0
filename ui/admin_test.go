package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

const secID = "330106200101010023" // 2001-01-01, check character fixed below

// TestAdminChangeFlow (R-A2, R-A3): a person who is not a cadre cannot be
// chosen; after 录入本级团干部 they can be added as administrator, an
// account is created, they sign in with the initial password and must
// change it; 撤销 removes the right and keeps the person.
func TestAdminChangeFlow(t *testing.T) {
	u := newTestUI(t)
	college, _ := initStore(t, u)
	signIn(t, u)
	p := u.main.page
	u.main.tree.selectOrg(college)
	p.tabs.Select(p.adminTab)
	v := p.admins
	if !v.addAdmin.Disabled() {
		t.Fatal("with no cadre, 添加管理员 must be disabled")
	}
	test.Tap(v.addCadre)
	f := v.form
	id := fixCheck(secID)
	test.Type(f.name, "王书记")
	test.Type(f.id, id[:17]+"0")
	if id[17] == '0' {
		f.id.SetText(id[:17] + "1")
	}
	test.Tap(f.save)
	if !strings.Contains(f.msg.Text, "校验位") {
		t.Fatalf("bad ID in the cadre form: %q", f.msg.Text)
	}
	f.id.SetText(id)
	test.Tap(f.save)
	if f.msg.Text != "" || len(v.cadres) != 1 {
		t.Fatalf("cadre not saved: %q", f.msg.Text)
	}
	test.Tap(v.addAdmin)
	if v.pick == nil || len(v.pick.Options) != 1 {
		t.Fatal("the admin picker must offer the organization's cadres")
	}
	test.Tap(findButton(u.Win.Canvas(), "添加"))
	if len(v.admins) != 1 || v.admins[0].IDNo != id {
		t.Fatalf("admins after add: %+v", v.admins)
	}
	// The new administrator signs in with the initial password and must change it.
	u.showLogin(id, "")
	test.Type(u.login.password, app.InitialPassword(id))
	test.Tap(u.login.login)
	if u.pwd == nil || !u.pwd.forced {
		t.Fatalf("new admin: forced change expected, msg=%q", u.login.msg.Text)
	}
	u.pwd.new1.SetText("College-2026")
	u.pwd.new2.SetText("College-2026")
	test.Tap(findButton(u.Win.Canvas(), "修改密码"))
	if u.main == nil || u.sess.Account.IDNo != id {
		t.Fatal("the new admin must reach the main window")
	}
	if got := u.main.tree.first(); got.ID != college.ID {
		t.Fatalf("the college admin's tree starts at %q", got.Name)
	}
	// Back as the school admin: revoke.
	signIn(t, u)
	u.main.tree.selectOrg(college)
	u.main.page.tabs.Select(u.main.page.adminTab)
	v = u.main.page.admins
	v.aList.Select(0)
	test.Tap(v.revoke)
	test.Tap(findButton(u.Win.Canvas(), "撤销"))
	if len(v.admins) != 0 {
		t.Fatalf("admins after revoke: %+v", v.admins)
	}
	if len(v.cadres) != 1 {
		t.Fatal("revoking keeps the cadre")
	}
	sess, err := u.svc.SignIn(context.Background(), id, "College-2026")
	if err != nil || sess.IsAdmin() {
		t.Fatalf("revoked admin: err=%v admin=%v", err, sess != nil && sess.IsAdmin())
	}
}

// TestLockoutMessage (R-X6): after 5 wrong passwords the login screen says
// the account waits and for how long.
func TestLockoutMessage(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	now := testNow
	u.svc.Now = func() time.Time { return now }
	u.showLogin(adminID, "")
	for i := 0; i < 5; i++ {
		u.login.password.SetText("wrong-password")
		test.Tap(u.login.login)
	}
	if !strings.Contains(u.login.msg.Text, "锁定") || !strings.Contains(u.login.msg.Text, "1 分钟") {
		t.Fatalf("lock message = %q", u.login.msg.Text)
	}
	u.login.password.SetText(adminPW)
	test.Tap(u.login.login)
	if u.main != nil || !strings.Contains(u.login.msg.Text, "锁定") {
		t.Fatalf("a locked account must not sign in even with the right password: %q", u.login.msg.Text)
	}
	now = now.Add(61 * time.Second)
	u.login.password.SetText(adminPW)
	test.Tap(u.login.login)
	if u.main == nil {
		t.Fatalf("after the wait the right password works: %q", u.login.msg.Text)
	}
}

// TestMemberSeesPersonalCentre (R-A5): a member signs in with the initial
// password, changes it and sees only the personal centre.
func TestMemberSeesPersonalCentre(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	ctx := context.Background()
	sess, _ := u.svc.SignIn(ctx, adminID, adminPW)
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID, Phone: "13800138000"}); err != nil {
		t.Fatal(err)
	}
	u.showLogin(validID, "")
	test.Type(u.login.password, app.InitialPassword(validID))
	test.Tap(u.login.login)
	if u.pwd == nil {
		t.Fatalf("member first sign-in: %q", u.login.msg.Text)
	}
	u.pwd.new1.SetText("Member-2026")
	u.pwd.new2.SetText("Member-2026")
	test.Tap(findButton(u.Win.Canvas(), "修改密码"))
	if u.main != nil || u.personal == nil {
		t.Fatal("a member must see the personal centre, not the main window")
	}
	found := false
	for _, it := range u.personal.record.Items {
		if l, ok := it.Widget.(*widget.Label); ok && strings.Contains(l.Text, "2020级本科1班团支部") {
			found = true
		}
	}
	if !found {
		t.Fatal("the personal centre shows the member's organization")
	}
}

// TestOrgInfoFollowsSelection: 基本信息 shows the organization selected
// now, also after another one (with fewer rows) was rendered before it.
func TestOrgInfoFollowsSelection(t *testing.T) {
	u := newTestUI(t)
	college, branch := initStore(t, u)
	signIn(t, u)
	p := u.main.page
	var root app.Org
	if roots, err := u.svc.RootOrgs(u.ctx, u.sess); err != nil || len(roots) == 0 {
		t.Fatalf("roots: %v", err)
	} else {
		root = roots[0]
	}
	for _, o := range []app.Org{root, college, branch, root} {
		u.main.onSelect(o)
		texts := renderedTexts(p.info)
		for _, want := range []string{o.Name, o.Kind, strconv.FormatInt(o.ID, 10)} {
			if !texts[want] {
				t.Fatalf("基本信息 of %s does not show %q: %v", o.Name, want, texts)
			}
		}
		if o.ID != root.ID && texts[root.Name] && o.Name != root.Name {
			t.Fatalf("基本信息 of %s still shows %s", o.Name, root.Name)
		}
	}
}

// renderedTexts collects the texts of the labels obj renders.
func renderedTexts(obj fyne.CanvasObject) map[string]bool {
	out := map[string]bool{}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			out[v.Text] = true
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(obj)
	return out
}
