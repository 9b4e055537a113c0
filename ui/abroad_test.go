package ui

import (
	"context"
	"io"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// menuItem reports whether the main menu has an item labelled label, and under which menu.
func menuItem(u *UI, label string) (string, bool) {
	mm := u.Win.MainMenu()
	if mm == nil {
		return "", false
	}
	for _, m := range mm.Items {
		for _, it := range m.Items {
			if it.Label == label {
				return m.Label, true
			}
		}
	}
	return "", false
}

// TestAbroadRegisterExport_R_T2: the school committee approves a member's
// 出国（境）学习研究; the 工具 menu offers the register next to 附件3 and 附件4,
// and the saved workbook lists the member with the application data.
func TestAbroadRegisterExport_R_T2(t *testing.T) {
	u := newTestUI(t)
	withCodecs(u)
	college, branch := initStore(t, u)
	ctx := context.Background()
	sess, err := u.svc.SignIn(ctx, adminID, adminPW)
	if err != nil {
		t.Fatal(err)
	}
	abroad, _, err := u.svc.AddOrg(ctx, sess, app.NewOrg{ParentID: college.ID, Name: "出国(境)学习研究团员团支部", Kind: app.KindBranch, Category: app.CatAbroad})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.svc.AddMember(ctx, sess, app.Member{OrgID: branch.ID, Name: "李四", IDNo: validID}); err != nil {
		t.Fatal(err)
	}
	trs, err := u.svc.StartTransfer(ctx, sess, app.TransferInput{IDNos: []string{validID}, Reason: app.ReasonAbroadStudy,
		AbroadPlace: "美国波士顿", AbroadPeriod: "2025-09 至 2026-06", Contact: "李明", ContactPhone: "13800138000", Remark: "访问学者"})
	if err != nil || len(trs) != 1 {
		t.Fatalf("StartTransfer: %v, %v", trs, err)
	}
	tr, err := u.svc.ApproveTransfer(ctx, sess, trs[0].No)
	if err != nil || tr.State != app.StateDone || tr.ToOrg != abroad.ID {
		t.Fatalf("ApproveTransfer = %+v, %v; want done into %s", tr, err, abroad.FullName)
	}

	signIn(t, u)
	if menu, ok := menuItem(u, abroadRegisterMenu); !ok || menu != "工具" {
		t.Fatalf("the 工具 menu lacks %q (found under %q)", abroadRegisterMenu, menu)
	}
	path := filepath.Join(t.TempDir(), "出国（境）学习研究团员登记册.xlsx")
	u.writeTo("导出出国（境）学习研究团员登记册", path, func(w io.Writer) (string, error) { return writeAbroadRegisterTo(u, w) })
	if u.lastSaved != path {
		t.Fatalf("the register was not saved to %s (last saved %q)", path, u.lastSaved)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(xlsx.AbroadRegisterTitle)
	if err != nil {
		t.Fatalf("sheet %s: %v", xlsx.AbroadRegisterTitle, err)
	}
	want := []string{"1", "李四", validID, college.FullName, branch.FullName, "美国波士顿", "2025-09 至 2026-06", "李明", "13800138000",
		tr.FinishedAt.In(app.Shanghai).Format("2006-01-02"), "访问学者"}
	if len(rows) != 3 || rows[0][0] != xlsx.AbroadRegisterTitle || !reflect.DeepEqual(rows[2], want) {
		t.Fatalf("register rows %q;\nwant the title, the header and %q", rows, want)
	}
}
