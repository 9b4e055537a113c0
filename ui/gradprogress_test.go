package ui

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"tuanwu/app"
)

// TestGradProgressChart_R_W6: 毕业生转接进度 draws a stacked bar per
// college whose parts are proportional to the counts on one scale; tapping
// a college lists its not-started graduates, and 办理转出 opens the form
// with them; the report is saved as Excel.
func TestGradProgressChart_R_W6(t *testing.T) {
	u, college, _, ms := schoolStore(t, 4)
	ctx := context.Background()
	root, err := u.svc.ResolveOrg(ctx, u.sess, "浙江工商大学团委")
	if err != nil {
		t.Fatal(err)
	}
	law, _, err := u.svc.AddOrg(ctx, u.sess, app.NewOrg{ParentID: root.ID, Name: "法学院团委", Kind: app.KindCommittee})
	if err != nil {
		t.Fatal(err)
	}
	lawBranch, _, err := u.svc.AddOrg(ctx, u.sess, app.NewOrg{ParentID: law.ID, Name: "2022级法学1班团支部", Kind: app.KindBranch})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range schoolIDs(6)[4:] {
		if _, err := u.svc.AddMember(ctx, u.sess, app.Member{OrgID: lawBranch.ID, Name: fmt.Sprintf("法学%c", '甲'+rune(i)), IDNo: id}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := u.svc.MarkGraduation(ctx, u.sess, app.GradMark{OrgIDs: []int64{lawBranch.ID}, Month: "2026-06"}); err != nil {
		t.Fatal(err)
	}
	out := func(id string) int64 {
		trs, err := u.svc.StartTransfer(ctx, u.sess, app.TransferInput{IDNos: []string{id}, Reason: app.ReasonStudy, Scope: "北京",
			Unit: "北京大学", Address: "北京市海淀区", Outside: &app.OutsideInput{Name: pkuSchool}})
		if err != nil {
			t.Fatal(err)
		}
		return trs[0].No
	}
	if _, err := u.svc.RecordOutsideAnswer(ctx, u.sess, out(ms[0].IDNo), app.OutsideAnswer{Approved: true}); err != nil {
		t.Fatal(err)
	}
	out(ms[1].IDNo) // in progress; ms[2], ms[3] not started

	if menu, ok := menuItem(u, gradProgressMenu); !ok || menu != "工具" {
		t.Fatalf("工具 lacks %s", gradProgressMenu)
	}
	v := showGradProgress(u)
	if v.year.Selected != "2026" || len(v.rep.Rows) != 2 {
		t.Fatalf("year %s, %d rows", v.year.Selected, len(v.rep.Rows))
	}
	ci := -1
	for i, r := range v.rep.Rows {
		if r.Org.ID == college.ID {
			ci = i
		}
	}
	if ci < 0 {
		t.Fatal("信息学院团委 is not in the report")
	}
	segs := v.chart.segments(ci, 400)
	got := map[string]int{}
	total := float32(0)
	for _, s := range segs {
		got[s.Category] = s.N
		total += s.Width
		if math.Abs(float64(s.Width-float32(s.N)*100)) > 0.01 {
			t.Errorf("%s: %d people drawn %.1f wide, want %d (400 px for the 4 graduates of the largest college)", s.Category, s.N, s.Width, s.N*100)
		}
	}
	if got[app.ProgressFinished] != 1 || got[app.ProgressInProgress] != 1 || got[app.ProgressNotStarted] != 2 || total != 400 {
		t.Fatalf("信息学院 segments %+v", segs)
	}
	lawSegs := v.chart.segments(1-ci, 400)
	if len(lawSegs) != 1 || lawSegs[0].Category != app.ProgressNotStarted || lawSegs[0].Width != 200 {
		t.Fatalf("法学院 (2 of 4 graduates, none started) segments %+v", lawSegs)
	}
	if cellText(v.updateCell, ci, 7) != "25.0%" || cellText(v.updateCell, 2, 0) != "合计" || cellText(v.updateCell, 2, 1) != "6" {
		t.Errorf("table: rate %q, total %q %q", cellText(v.updateCell, ci, 7), cellText(v.updateCell, 2, 0), cellText(v.updateCell, 2, 1))
	}

	// Tap the college's bar: its two not-started graduates, ticked.
	var row *chartRow
	for _, o := range v.chart.box.Objects {
		if r, ok := o.(*chartRow); ok && r.i == ci {
			row = r
		}
	}
	test.Tap(row)
	if v.college.ID != college.ID || len(v.notStarted) != 2 || len(v.selected()) != 2 {
		t.Fatalf("after tapping 信息学院: %s, %d listed", v.college.Name, len(v.notStarted))
	}
	for _, m := range v.notStarted {
		if m.IDNo != ms[2].IDNo && m.IDNo != ms[3].IDNo {
			t.Errorf("not started lists %s", m.Name)
		}
	}
	c := widget.NewCheck("", nil)
	v.updateItem(0, c)
	c.SetChecked(false)
	if v.start.Text != "办理转出（1 人）" {
		t.Errorf("after unticking one: %q", v.start.Text)
	}
	c.SetChecked(true)
	test.Tap(v.start)
	if v.form == nil || len(v.form.members) != 2 {
		t.Fatal("办理转出 must open with the not-started graduates")
	}
	fillStudyOutside(v.form.fields, "北京")
	if !v.form.fields.outside.pick(pkuSchool) {
		t.Fatal("the directory lacks the outside organization")
	}
	test.Tap(v.form.submit)
	if v.form.msg.Text != "" {
		t.Fatalf("start: %q", v.form.msg.Text)
	}
	if len(v.notStarted) != 0 || v.rep.Rows[ci].InProgress != 3 {
		t.Fatalf("after starting: %d not started, %d in progress", len(v.notStarted), v.rep.Rows[ci].InProgress)
	}

	path := filepath.Join(t.TempDir(), "2026届毕业生组织关系转接进度.xlsx")
	u.writeTo("导出毕业生转接进度", path, func(w io.Writer) (string, error) { return writeGradProgress(u, w, v.rep) })
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetName(0))
	if !strings.Contains(fmt.Sprint(rows), "法学院团委") {
		t.Fatalf("the Excel lacks the colleges: %q", rows)
	}
}

// TestOutsideDirectory_R_W1: 工具 → 校外组织目录 lists the outside
// organizations by scope and corrects an entry.
func TestOutsideDirectory_R_W1(t *testing.T) {
	u, _, _, ms := schoolStore(t, 1)
	ctx := context.Background()
	if _, err := u.svc.StartTransfer(ctx, u.sess, app.TransferInput{IDNos: []string{ms[0].IDNo}, Reason: app.ReasonStudy, Scope: "北京",
		Unit: "北京大学", Address: "北京市海淀区", Outside: &app.OutsideInput{Name: pkuSchool}}); err != nil {
		t.Fatal(err)
	}
	if menu, ok := menuItem(u, outsideDirMenu); !ok || menu != "工具" {
		t.Fatalf("工具 lacks %s", outsideDirMenu)
	}
	v := showOutsideDir(u)
	if len(v.list) != 1 || cellText(v.updateCell, 0, 1) != app.KindOutside {
		t.Fatalf("directory: %+v", v.list)
	}
	v.scope.SetSelected("否")
	if len(v.list) != 0 {
		t.Fatal("scope 否 lists a 北京 organization")
	}
	v.scope.SetSelected("北京")
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(v.edit)
	f := v.form
	f.phone.SetText("问门卫")
	test.Tap(f.save)
	if !strings.Contains(f.msg.Text, "联系电话") {
		t.Fatalf("a bad phone: %q", f.msg.Text)
	}
	f.phone.SetText("010-62751234")
	f.contact.SetText("王老师")
	f.kind.SetSelected(app.KindCommittee)
	test.Tap(f.save)
	if f.msg.Text != "" || len(v.list) != 1 || v.list[0].Contact != "王老师" || cellText(v.updateCell, 0, 1) != app.KindCommittee {
		t.Fatalf("after saving: %q %+v", f.msg.Text, v.list)
	}
}
