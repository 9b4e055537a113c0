package xlsx_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// Issue 11 item 4 (R-M4, R-X2): the problem list of an import holds every
// row with a problem, its row number, the template's cells as they were
// given (an ID keeps every character, as text), and every problem in full;
// the corrected file imports again as it is.
func TestImportProblemList_R_M4(t *testing.T) {
	rows, err := xlsx.ReadMembers(bytes.NewReader(buildBadValues(t)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	// A row the store found wrong (R-X3): read without problems, so its
	// cells come from the member.
	i := slices.IndexFunc(rows, func(r app.ImportRow) bool { return r.OK() })
	if i < 0 {
		t.Fatal("no good row in the test file")
	}
	registered := rows[i]
	rows[i].Problems = []string{"身份证号 " + app.MaskID(registered.Member.IDNo) + " 已注册：" + registered.Member.Name + " 现在在“浙江明理大学团委/信息学院团委/2023级计算机1班团支部”。同一人不能重复录入，请删除这一行，改为办理组织关系转入。"}
	want := app.ProblemRows(rows)
	if len(want) < 10 || len(want) == len(rows) {
		t.Fatalf("%d of %d rows have problems: the test needs good and bad rows", len(want), len(rows))
	}
	var buf bytes.Buffer
	if err := xlsx.WriteImportProblems(&buf, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{xlsx.TemplateSheet}) {
		t.Fatalf("sheets %q, want only %q", got, xlsx.TemplateSheet)
	}
	got, err := f.GetRows(xlsx.TemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	if got[0][0] != xlsx.ProblemsTitle {
		t.Fatalf("title %q", got[0][0])
	}
	head := append(append([]string{"原行号"}, xlsx.TemplateColumns()...), "问题")
	if !slices.Equal(got[1], head) {
		t.Fatalf("header %q\nwant %q", got[1], head)
	}
	if len(got)-2 != len(want) {
		t.Fatalf("%d problem rows written, want %d", len(got)-2, len(want))
	}
	last := len(head) - 1
	for k, r := range want {
		line := got[2+k]
		for len(line) < len(head) {
			line = append(line, "")
		}
		if line[0] != strconv.Itoa(r.Row) {
			t.Errorf("row %d: 原行号 %q", r.Row, line[0])
		}
		if !slices.Equal(line[1:last], r.Cells()) {
			t.Errorf("row %d: cells %q\nwant as given %q", r.Row, line[1:last], r.Cells())
		}
		for _, p := range r.Problems {
			if !strings.Contains(line[last], p) {
				t.Errorf("row %d: 问题 %q lacks %q", r.Row, line[last], p)
			}
		}
		// Every cell of the template's columns is text, so an ID keeps its digits.
		name, _ := excelize.CoordinatesToCellName(3, 3+k)
		if typ, _ := f.GetCellType(xlsx.TemplateSheet, name); typ == excelize.CellTypeNumber {
			t.Errorf("row %d: 身份证号码 written as a number", r.Row)
		}
	}
	// The ID typed with 15 digits comes back as typed, not as the member's.
	if !slices.ContainsFunc(got, func(l []string) bool { return len(l) > 2 && l[2] == "330102050315004" }) {
		t.Error("the short 身份证号 is not given back as typed")
	}
	if !slices.ContainsFunc(got, func(l []string) bool {
		return len(l) > 2 && l[2] == registered.Member.IDNo && strings.Contains(l[last], "改为办理组织关系转入")
	}) {
		t.Error("the row found wrong by the store is missing or lacks its full 身份证号")
	}
	// Corrected or not, the list imports again: 原行号 and 问题 are skipped.
	again, err := xlsx.ReadMembers(bytes.NewReader(buf.Bytes()), testNow)
	if err != nil {
		t.Fatalf("the problem list does not import again: %v", err)
	}
	if len(again) != len(want) {
		t.Fatalf("re-read %d rows, want %d", len(again), len(want))
	}
	for k, r := range want {
		if r.Given != nil && again[k].OK() {
			t.Errorf("row %d (now %d): read again without its problems %q", r.Row, again[k].Row, r.Problems)
		}
	}
}
