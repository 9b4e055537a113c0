package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// Issue 11 item 4: the import preview shows a row's message whole (the
// list cuts it where it says how to fix it), and 保存问题清单 writes the
// problem rows, with their cells and full messages, as an .xlsx.
func TestImportPreviewWholeMessageAndProblemList(t *testing.T) {
	u := newTestUI(t)
	withCodecs(u)
	_, branch := initStore(t, u)
	ctx := context.Background()
	sess, _ := u.svc.SignIn(ctx, adminID, adminPW)
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	good := fixCheck("33010220040506001")
	path := writeImportFile(t, "信息学院新生.xlsx", [][]any{{"王五", good}, {"赵六", badCheck, "汉人"}, {"李四", validID}})
	signIn(t, u)
	u.main.tree.selectOrg(branch)
	v := u.main.page.members
	startImport(v, path)
	g := v.importD
	if g == nil || g.bad != 2 {
		t.Fatalf("preview: %+v", g)
	}
	// The first bad row is selected and its problems shown whole, one a line.
	bad := g.rows[1]
	if len(bad.Problems) < 2 {
		t.Fatalf("row 3 should have two problems: %q", bad.Problems)
	}
	for _, p := range bad.Problems {
		if !strings.Contains(g.detail.Text, p) {
			t.Fatalf("detail %q lacks the whole problem %q", g.detail.Text, p)
		}
	}
	if g.detail.Wrapping != fyne.TextWrapWord {
		t.Fatal("the detail must wrap")
	}
	g.table.Select(widget.TableCellID{Row: 2, Col: 3})
	if !strings.Contains(g.detail.Text, "第 4 行（李四）") || !strings.Contains(g.detail.Text, "请删除这一行") {
		t.Fatalf("detail of the registered row: %q", g.detail.Text)
	}
	// 保存问题清单… writes the two problem rows.
	files := &fakeFiles{dir: t.TempDir()}
	u.Files = files.choose
	if g.save.Disabled() {
		t.Fatal("保存问题清单 must be offered when rows have problems")
	}
	test.Tap(g.save)
	req := files.last(t)
	if req.Name != "导入问题清单-信息学院新生-"+testNow.Format("2006-01-02")+".xlsx" || req.Ext != ".xlsx" {
		t.Fatalf("problem list asked for %+v", req)
	}
	out, err := excelize.OpenFile(filepath.Join(files.dir, req.Name))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	rows, err := out.GetRows(xlsx.TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("problem list has %d rows, want title, header and 2", len(rows))
	}
	last := len(rows[1]) - 1
	if rows[2][0] != "3" || rows[2][1] != "赵六" || rows[2][2] != badCheck || !strings.Contains(rows[2][last], bad.Problems[0]) || !strings.Contains(rows[2][last], bad.Problems[1]) {
		t.Fatalf("row 3 in the list: %q", rows[2])
	}
	if rows[3][0] != "4" || rows[3][2] != validID || !strings.Contains(rows[3][last], "已注册") {
		t.Fatalf("row 4 in the list: %q", rows[3])
	}
}
