package ui

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/xlsx"
)

const (
	adminID  = "330106199001010018"
	adminPW  = "Secret-2026"
	validID  = "11010519491231002X"
	badCheck = "110105194912310021"
)

var testNow = time.Date(2026, 11, 27, 10, 0, 0, 0, app.Shanghai)

func opener(t testing.TB) Opener {
	return func(p string) (*app.Service, error) {
		st, err := data.Open(p)
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { st.Close() })
		svc := app.NewService(st)
		svc.Now = func() time.Time { return testNow }
		return svc, nil
	}
}

// newTestUI starts the UI over a new store in a temporary folder.
func newTestUI(t testing.TB) *UI {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("团务台")
	w.Resize(fyne.NewSize(1200, 780))
	u := New(a, w, opener(t), newStoreLoc(t))
	u.Sync = true
	u.Start()
	return u
}

// initStore creates the root, a college and a branch, and changes the admin's password.
func initStore(t testing.TB, u *UI) (college, branch app.Org) {
	t.Helper()
	ctx := context.Background()
	if _, err := u.svc.Init(ctx, app.InitInput{OrgName: "浙江工商大学团委", Province: "浙江", AdminName: "张三", AdminID: adminID}); err != nil {
		t.Fatal(err)
	}
	sess, err := u.svc.SignIn(ctx, adminID, app.InitialPassword(adminID))
	if app.ErrorCode(err) != app.EMustChange {
		t.Fatalf("sign in: %v", err)
	}
	if err := u.svc.ChangePassword(ctx, sess, app.InitialPassword(adminID), adminPW); err != nil {
		t.Fatal(err)
	}
	root, err := u.svc.ResolveOrg(ctx, sess, "浙江工商大学团委")
	if err != nil {
		t.Fatal(err)
	}
	if college, _, err = u.svc.AddOrg(ctx, sess, app.NewOrg{ParentID: root.ID, Name: "信息学院团委", Kind: app.KindCommittee}); err != nil {
		t.Fatal(err)
	}
	if branch, _, err = u.svc.AddOrg(ctx, sess, app.NewOrg{ParentID: college.ID, Name: "2020级本科1班团支部", Kind: app.KindBranch}); err != nil {
		t.Fatal(err)
	}
	return college, branch
}

// signIn signs in through the login screen.
func signIn(t testing.TB, u *UI) {
	t.Helper()
	u.showLogin(adminID, "")
	test.Type(u.login.password, adminPW)
	test.Tap(u.login.login)
	if u.main == nil {
		t.Fatalf("not signed in: %q", u.login.msg.Text)
	}
}

// walkRendered calls visit for o and, while visit says so, for what o
// holds: a container's objects, a widget's rendered objects.
func walkRendered(o fyne.CanvasObject, visit func(fyne.CanvasObject) (descend bool)) {
	if o == nil || !visit(o) {
		return
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, k := range c.Objects {
			walkRendered(k, visit)
		}
		return
	}
	if w, ok := o.(fyne.Widget); ok {
		for _, k := range test.WidgetRenderer(w).Objects() {
			walkRendered(k, visit)
		}
	}
}

// findOnCanvas returns the first object of type T for which match holds,
// among the window's overlays (the top ones first in their list), then its content.
func findOnCanvas[T fyne.CanvasObject](c fyne.Canvas, match func(T) bool) T {
	var found T
	var done bool
	visit := func(o fyne.CanvasObject) bool {
		if done {
			return false
		}
		if v, ok := o.(T); ok && match(v) {
			found, done = v, true
			return false
		}
		return true
	}
	for _, o := range c.Overlays().List() {
		walkRendered(o, visit)
	}
	walkRendered(c.Content(), visit)
	return found
}

// findButton finds a button by its text among the window's content and overlays.
func findButton(c fyne.Canvas, text string) *widget.Button {
	return findOnCanvas(c, func(b *widget.Button) bool { return b.Text == text })
}

// TestFirstRunSetup: a new store offers 新建组织; creating it leads to sign-in.
func TestFirstRunSetup(t *testing.T) {
	u := newTestUI(t)
	if u.setup == nil {
		t.Fatal("a new store must show the set-up screen")
	}
	s := u.setup
	test.Tap(s.create)
	if s.msg.Text == "" {
		t.Fatal("an empty form must give a message")
	}
	test.Type(s.orgName, "浙江工商大学团委")
	test.Type(s.adminName, "张三")
	test.Type(s.adminID, badCheck)
	test.Tap(s.create)
	if !strings.Contains(s.msg.Text, "校验位") {
		t.Fatalf("bad ID message = %q", s.msg.Text)
	}
	s.adminID.SetText(adminID)
	test.Tap(s.create)
	if u.login == nil || u.login.id.Text != adminID {
		t.Fatalf("after set-up the login screen must show with the admin's ID; msg=%q", s.msg.Text)
	}
	ok, err := u.svc.Initialized(context.Background())
	if err != nil || !ok {
		t.Fatalf("store not initialized: %v", err)
	}
}

// TestDemoFromSetup: 载入演示数据 fills the store and offers sign-in.
func TestDemoFromSetup(t *testing.T) {
	if testing.Short() {
		t.Skip("demo data takes a second")
	}
	u := newTestUI(t)
	test.Tap(u.setup.demo)
	if u.login == nil || u.login.id.Text != app.DemoAdminID || !strings.Contains(u.login.hint.Text, "20000 名团员") {
		t.Fatalf("after demo: login=%v", u.login)
	}
}

// TestSignInForcedPasswordChange (R-A1): the initial password must be
// changed before the main window opens; a wrong password is refused.
func TestSignInForcedPasswordChange(t *testing.T) {
	u := newTestUI(t)
	if _, err := u.svc.Init(context.Background(), app.InitInput{OrgName: "浙江工商大学团委", Province: "浙江", AdminName: "张三", AdminID: adminID}); err != nil {
		t.Fatal(err)
	}
	u.showLogin(adminID, "")
	test.Type(u.login.password, "wrong-password")
	test.Tap(u.login.login)
	if !strings.Contains(u.login.msg.Text, "账号或密码不正确") || u.main != nil {
		t.Fatalf("wrong password: msg=%q", u.login.msg.Text)
	}
	test.Type(u.login.password, app.InitialPassword(adminID))
	test.Tap(u.login.login)
	if u.pwd == nil || u.main != nil {
		t.Fatal("the initial password must open the forced change dialog, not the main window")
	}
	p := u.pwd
	if p.old.Text != app.InitialPassword(adminID) {
		t.Fatal("the old password is filled in after sign-in")
	}
	test.Type(p.new1, "short")
	test.Type(p.new2, "short")
	test.Tap(findButton(u.Win.Canvas(), "修改密码"))
	if !strings.Contains(p.msg.Text, "至少要 8 个字符") || u.main != nil {
		t.Fatalf("short password: msg=%q", p.msg.Text)
	}
	p.new1.SetText(adminPW)
	p.new2.SetText(adminPW)
	test.Tap(findButton(u.Win.Canvas(), "修改密码"))
	if u.main == nil {
		t.Fatalf("after the change the main window must open: msg=%q", p.msg.Text)
	}
	if _, err := u.svc.SignIn(context.Background(), adminID, adminPW); err != nil {
		t.Fatalf("new password does not work: %v", err)
	}
}

// TestAddMemberThroughForm (R-M2, R-X3): the form refuses a bad check
// character with a Chinese message, saves a valid member and refuses a duplicate.
func TestAddMemberThroughForm(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	signIn(t, u)
	m := u.main
	m.tree.selectOrg(branch)
	m.page.focusSearch()
	v := m.page.members
	if v.add.Disabled() {
		t.Fatal("a branch's member list must allow 新增团员")
	}
	test.Tap(v.add)
	f := v.form
	test.Type(f.name, "李四")
	test.Type(f.id, badCheck)
	if !strings.Contains(f.derived.Text, "校验位") {
		t.Fatalf("the ID is checked while typing: %q", f.derived.Text)
	}
	test.Tap(f.save)
	if !strings.Contains(f.msg.Text, "校验位不正确") {
		t.Fatalf("bad ID: msg=%q", f.msg.Text)
	}
	f.id.SetText(validID)
	if !strings.Contains(f.derived.Text, "1949-12-31") || !strings.Contains(f.derived.Text, "女") {
		t.Fatalf("derived = %q", f.derived.Text)
	}
	f.joinMonth.SetText("1964-05")
	test.Tap(f.save)
	if f.msg.Text != "" {
		t.Fatalf("valid member refused: %q", f.msg.Text)
	}
	if v.total != 1 || !strings.Contains(v.count.Text, "1 人") {
		t.Fatalf("list after add: total=%d %q", v.total, v.count.Text)
	}
	if got := v.table; got == nil {
		t.Fatal("no table")
	}
	mem, ok := v.row(0)
	if !ok || mem.Name != "李四" {
		t.Fatalf("row 0 = %+v", mem)
	}
	test.Tap(v.add)
	f2 := v.form
	test.Type(f2.name, "王五")
	test.Type(f2.id, validID)
	test.Tap(f2.save)
	if !strings.Contains(f2.msg.Text, "已注册") || !strings.Contains(f2.msg.Text, "2020级本科1班团支部") {
		t.Fatalf("duplicate ID: msg=%q", f2.msg.Text)
	}
}

// TestSearchMembers: the search box finds by name prefix, ID prefix and 团员编号,
// and the ID shows masked until revealed.
func TestSearchMembers(t *testing.T) {
	u := newTestUI(t)
	college, branch := initStore(t, u)
	ctx := context.Background()
	sess, err := u.svc.SignIn(ctx, adminID, adminPW)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []app.Member{
		{OrgID: branch.ID, Name: "张伟", IDNo: "330102200203040011", JoinMonth: "2017-05", MemberNo: "201700000001"},
		{OrgID: branch.ID, Name: "张丽", IDNo: "330102200205060027", JoinMonth: "2016-05"},
		{OrgID: branch.ID, Name: "王芳", IDNo: validID},
	} {
		m.IDNo = fixCheck(m.IDNo)
		if _, err := u.svc.AddMember(ctx, sess, m); err != nil {
			t.Fatalf("add %s: %v", m.Name, err)
		}
	}
	signIn(t, u)
	u.main.tree.selectOrg(college)
	u.main.page.focusSearch()
	v := u.main.page.members
	if v.total != 3 {
		t.Fatalf("college total = %d", v.total)
	}
	for _, c := range []struct {
		text string
		want int
	}{{"张", 2}, {"张伟", 1}, {"王", 1}, {"3301", 2}, {"201700000001", 1}, {"赵", 0}} {
		v.search.SetText(c.text)
		if v.total != c.want {
			t.Errorf("search %q: %d members, want %d", c.text, v.total, c.want)
		}
	}
	v.search.SetText("王")
	v.table.Select(widget.TableCellID{Row: 0, Col: 1})
	cell := widget.NewLabel("")
	v.updateCell(widget.TableCellID{Row: 0, Col: 1}, cell)
	if cell.Text != app.MaskID(validID) {
		t.Fatalf("ID shown %q, want masked", cell.Text)
	}
	test.Tap(v.reveal)
	v.updateCell(widget.TableCellID{Row: 0, Col: 1}, cell)
	if cell.Text != validID {
		t.Fatalf("revealed ID %q", cell.Text)
	}
}

// fixCheck replaces the last character with the right check character.
func fixCheck(id string) string { return id[:17] + string(app.IDCheckChar(id[:17])) }

// TestDeleteEmptyBranch (R-O4): a branch with members is refused with the
// count; an empty one is deleted after confirmation.
func TestDeleteEmptyBranch(t *testing.T) {
	u := newTestUI(t)
	college, branch := initStore(t, u)
	ctx := context.Background()
	sess, _ := u.svc.SignIn(ctx, adminID, adminPW)
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	empty, _, err := u.svc.AddOrg(ctx, sess, app.NewOrg{ParentID: college.ID, Name: "2019级本科9班团支部", Kind: app.KindBranch})
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, u)
	u.main.tree.selectOrg(college)
	u.main.page.tabs.Select(u.main.page.childTab)
	c := u.main.page.children
	if len(c.list) != 2 {
		t.Fatalf("children = %d", len(c.list))
	}
	rowOf := func(id int64) int {
		for i, o := range c.list {
			if o.ID == id {
				return i
			}
		}
		t.Fatalf("org %d not listed", id)
		return -1
	}
	c.table.Select(widget.TableCellID{Row: rowOf(branch.ID), Col: 0})
	test.Tap(c.del)
	if len(c.list) != 2 {
		t.Fatal("a branch with members must not be deleted")
	}
	c.table.Select(widget.TableCellID{Row: rowOf(empty.ID), Col: 0})
	test.Tap(c.del)
	confirm := findButton(u.Win.Canvas(), "删除")
	if confirm == nil || confirm == c.del {
		t.Fatal("no confirmation dialog")
	}
	test.Tap(confirm)
	if _, err := u.svc.Org(ctx, sess, empty.ID); !app.IsNotFound(err) {
		t.Fatalf("empty branch still there: %v", err)
	}
	if len(u.main.page.children.list) != 1 {
		t.Fatalf("children after delete = %d", len(u.main.page.children.list))
	}
}

// TestAddOrgDialog (R-O1, R-X5): adding a branch warns about an unusual name.
func TestAddOrgDialog(t *testing.T) {
	u := newTestUI(t)
	college, _ := initStore(t, u)
	signIn(t, u)
	u.main.tree.selectOrg(college)
	u.main.page.tabs.Select(u.main.page.childTab)
	a := showAddOrg(u.main, college)
	test.Type(a.name, "2020级本科1班团支部")
	a.onSave()
	if !strings.Contains(a.msg.Text, "已有名为") {
		t.Fatalf("duplicate name: %q", a.msg.Text)
	}
	a.name.SetText("2021级本科2班团支部")
	a.onSave()
	if a.msg.Text != "" {
		t.Fatalf("add refused: %q", a.msg.Text)
	}
	if n := len(u.main.page.children.list); n != 2 {
		t.Fatalf("children after add = %d", n)
	}
}

// writeImportFile writes rows into a copy of the import template (from its
// second row on) as the file name in a temporary folder, and returns its path.
func writeImportFile(t testing.TB, name string, rows [][]any) string {
	t.Helper()
	var tpl bytes.Buffer
	if err := xlsx.WriteTemplate(&tpl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&tpl)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	for i, row := range rows {
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}
