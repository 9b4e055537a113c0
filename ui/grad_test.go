package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

func withCodecs(u *UI) {
	u.Codecs = Codecs{ReadMembers: xlsx.ReadMembers, WriteTemplate: xlsx.WriteTemplate,
		WriteRoster: func(w io.Writer, title string, members func(yield func(app.Member) bool), mask bool, now time.Time) error {
			return xlsx.WriteRoster(w, title, members, xlsx.RosterOptions{MaskIDs: mask, Now: now})
		},
		WriteErrorReport: xlsx.WriteErrorReport, WriteUnmarked: xlsx.WriteUnmarked, WriteAbroadRegister: xlsx.WriteAbroadRegister, WriteGraduates: xlsx.WriteGraduates,
		WriteImportProblems: xlsx.WriteImportProblems}
}

// TestGradMarkDialog (R-G1..R-G4): ticked branches get the suggested month
// after a confirmation that states the consequences; the list shows it.
func TestGradMarkDialog(t *testing.T) {
	u := newTestUI(t)
	college, branch := initStore(t, u)
	signIn(t, u)
	u.main.tree.selectOrg(college)
	p := u.main.page
	p.tabs.Select(p.childTab)
	c := p.children
	c.table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(c.grad)
	g := c.gradD
	if g == nil || len(g.checks) != 1 || !g.checks[0].Checked {
		t.Fatal("the selected branch is offered and ticked")
	}
	if g.month.Text != "2024-06" {
		t.Fatalf("suggested month for 2020级本科 = %q, want 2024-06 (R-G2)", g.month.Text)
	}
	g.reason.SetSelected(app.CatMixed)
	test.Tap(g.next)
	if !strings.Contains(g.msg.Text, "只能选一个") {
		t.Fatalf("month and reason together: %q", g.msg.Text)
	}
	g.reason.SetSelected("")
	test.Tap(g.next)
	if g.confirm == nil {
		t.Fatal("a confirmation must come first (R-G4)")
	}
	test.Tap(findButton(u.Win.Canvas(), "确定"))
	o, err := u.svc.Org(context.Background(), u.sess, branch.ID)
	if err != nil || o.GradMonth != "2024-06" {
		t.Fatalf("branch after marking: %+v %v", o.GradMonth, err)
	}
	cell := widget.NewLabel("")
	c.updateCell(widget.TableCellID{Row: 0, Col: 5}, cell)
	if cell.Text != "2024-06" {
		t.Fatalf("the list shows %q", cell.Text)
	}
}

// TestMemberMarksDialog (R-D1, R-D3): a delayed mark needs a later month
// and a reason; the identity column shows it; revoking restores 毕业生.
func TestMemberMarksDialog(t *testing.T) {
	u := newTestUI(t)
	_, branch := initStore(t, u)
	ctx := context.Background()
	sess, _ := u.svc.SignIn(ctx, adminID, adminPW)
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	if _, err := u.svc.MarkGraduation(ctx, sess, app.GradMark{OrgIDs: []int64{branch.ID}, Month: "2024-06"}); err != nil {
		t.Fatal(err)
	}
	signIn(t, u)
	fresh, _ := u.svc.Org(ctx, u.sess, branch.ID)
	u.main.tree.selectOrg(fresh)
	u.main.page.focusSearch()
	v := u.main.page.members
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	g := showMarksDialog(v)
	g.month.SetText("2024-06")
	g.reason.SetText("休学一年")
	g.onOK()
	if !strings.Contains(g.msg.Text, "必须晚于") {
		t.Fatalf("same month as the branch: %q", g.msg.Text)
	}
	g.month.SetText("2025-06")
	g.onOK()
	if g.msg.Text != "" {
		t.Fatalf("delayed mark refused: %q", g.msg.Text)
	}
	cell := widget.NewLabel("")
	v.updateCell(widget.TableCellID{Row: 0, Col: 8}, cell)
	if cell.Text != app.MarkDelayed {
		t.Fatalf("identity = %q", cell.Text)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	g = showMarksDialog(v)
	g.action.SetSelected("撤销标记")
	g.onOK()
	v.updateCell(widget.TableCellID{Row: 0, Col: 8}, cell)
	if cell.Text != app.IdentityGrad {
		t.Fatalf("after revoking: %q", cell.Text)
	}
}

// TestImportPreview (R-M4, R-X3): a template with a good row, a bad ID and
// an ID already registered is previewed row by row; 全部导入 is refused,
// 只导入无误的行 imports the good one.
func TestImportPreview(t *testing.T) {
	u := newTestUI(t)
	withCodecs(u)
	_, branch := initStore(t, u)
	ctx := context.Background()
	sess, _ := u.svc.SignIn(ctx, adminID, adminPW)
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	good := fixCheck("33010220040506001")
	path := writeImportFile(t, "import.xlsx", [][]any{{"王五", good}, {"赵六", badCheck}, {"李四", validID}})
	signIn(t, u)
	u.main.tree.selectOrg(branch)
	u.main.page.focusSearch()
	v := u.main.page.members
	startImport(v, path)
	g := v.importD
	if g == nil || len(g.rows) != 3 || g.bad != 2 {
		t.Fatalf("preview: %+v", g)
	}
	if !g.all.Disabled() || g.good.Disabled() {
		t.Fatal("with bad rows only 只导入无误的行 is offered")
	}
	if !strings.Contains(strings.Join(g.rows[2].Problems, ""), "已注册") {
		t.Fatalf("R-X3 row: %v", g.rows[2].Problems)
	}
	test.Tap(g.good)
	if g.result != "已导入 1 人，跳过有问题的 2 行" || v.total != 2 {
		t.Fatalf("import result %q, total %d", g.result, v.total)
	}
}

// TestExportRosterMasked: the roster export masks IDs unless asked.
func TestExportRosterMasked(t *testing.T) {
	u := newTestUI(t)
	withCodecs(u)
	_, branch := initStore(t, u)
	ctx := context.Background()
	sess, _ := u.svc.SignIn(ctx, adminID, adminPW)
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	signIn(t, u)
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	u.writeTo("导出", path, func(w io.Writer) (string, error) { return writeRosterTo(u, w, branch, false) })
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	joined := ""
	for _, r := range rows {
		joined += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(joined, app.MaskID(validID)) || strings.Contains(joined, validID) {
		t.Fatalf("roster must show the masked ID only:\n%s", joined)
	}
}
