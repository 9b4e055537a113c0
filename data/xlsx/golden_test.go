package xlsx_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// The golden files hold what Excel would show of each workbook the package
// writes, read back with excelize: sheets, panes, page setup, column widths
// and styles, merged cells, data validations, and every non-empty cell with
// its type, value and style. Comparing those instead of the zip bytes keeps
// the tests stable across excelize's timestamps and compression.
//
//	go test ./data/xlsx/ -run Golden -update

// dumpWorkbook describes a workbook as text, one fact a line.
func dumpWorkbook(tb testing.TB, b []byte) string {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("open written workbook: %v", err)
	}
	defer f.Close()
	var w strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&w, format+"\n", args...) }
	for _, dn := range f.GetDefinedName() {
		p("defined name %s scope=%s refers=%s", dn.Name, dn.Scope, dn.RefersTo)
	}
	p("active sheet %d", f.GetActiveSheetIndex())
	for _, sheet := range f.GetSheetList() {
		visible, _ := f.GetSheetVisible(sheet)
		p("\nsheet %q visible=%v", sheet, visible)
		if pn, err := f.GetPanes(sheet); err == nil {
			p("panes freeze=%v ysplit=%d xsplit=%d topLeft=%s", pn.Freeze, pn.YSplit, pn.XSplit, pn.TopLeftCell)
		}
		if pl, err := f.GetPageLayout(sheet); err == nil {
			p("page size=%s orientation=%s fitToWidth=%s fitToHeight=%s", ptr(pl.Size), ptr(pl.Orientation), ptr(pl.FitToWidth), ptr(pl.FitToHeight))
		}
		if sp, err := f.GetSheetProps(sheet); err == nil {
			p("fitToPage=%s", ptr(sp.FitToPage))
		}
		if mg, err := f.GetPageMargins(sheet); err == nil {
			p("margins left=%s right=%s top=%s bottom=%s centred=%s", ptr(mg.Left), ptr(mg.Right), ptr(mg.Top), ptr(mg.Bottom), ptr(mg.Horizontally))
		}
		if hf, err := f.GetHeaderFooter(sheet); err == nil && hf != nil {
			p("footer %q", hf.OddFooter)
		}
		merged, _ := f.GetMergeCells(sheet, true)
		for _, m := range merged {
			p("merged %s:%s", m.GetStartAxis(), m.GetEndAxis())
		}
		dvs, _ := f.GetDataValidations(sheet)
		for _, dv := range dvs {
			p("validation %s type=%s op=%s f1=%s f2=%s blank=%v prompt=%s:%s error=%s:%s:%s", dv.Sqref, dv.Type, dv.Operator, dv.Formula1, dv.Formula2,
				dv.AllowBlank, ptr(dv.PromptTitle), ptr(dv.Prompt), ptr(dv.ErrorStyle), ptr(dv.ErrorTitle), ptr(dv.Error))
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			tb.Fatalf("rows of %s: %v", sheet, err)
		}
		width := 0
		for _, r := range rows {
			width = max(width, len(r))
		}
		for c := 1; c <= width; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			cw, _ := f.GetColWidth(sheet, name)
			cs, _ := f.GetColStyle(sheet, name)
			p("col %s width=%g style={%s}", name, cw, styleOf(tb, f, cs))
		}
		for i, r := range rows {
			if i < 3 {
				h, _ := f.GetRowHeight(sheet, i+1)
				p("row %d height=%g", i+1, h)
			}
			for j, v := range r {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				typ, _ := f.GetCellType(sheet, cell)
				st, _ := f.GetCellStyle(sheet, cell)
				p("%s %s %q {%s}", cell, cellType(typ), v, styleOf(tb, f, st))
			}
		}
	}
	return w.String()
}

func ptr[T any](v *T) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprint(*v)
}

func cellType(t excelize.CellType) string {
	return map[excelize.CellType]string{excelize.CellTypeUnset: "number", excelize.CellTypeBool: "bool", excelize.CellTypeDate: "date",
		excelize.CellTypeError: "error", excelize.CellTypeFormula: "formula", excelize.CellTypeInlineString: "inline-string",
		excelize.CellTypeNumber: "number", excelize.CellTypeSharedString: "shared-string"}[t]
}

// styleOf summarises a cell style: font, fill, borders, alignment, number format.
func styleOf(tb testing.TB, f *excelize.File, id int) string {
	tb.Helper()
	if id == 0 {
		return ""
	}
	s, err := f.GetStyle(id)
	if err != nil {
		tb.Fatalf("style %d: %v", id, err)
	}
	var parts []string
	if s.Font != nil {
		parts = append(parts, fmt.Sprintf("font=%s/%g/bold=%v", s.Font.Family, s.Font.Size, s.Font.Bold))
	}
	if len(s.Fill.Color) > 0 {
		parts = append(parts, fmt.Sprintf("fill=%s", strings.Join(s.Fill.Color, ",")))
	}
	if len(s.Border) > 0 {
		var b []string
		for _, x := range s.Border {
			b = append(b, fmt.Sprintf("%s:%d", x.Type, x.Style))
		}
		slices.Sort(b)
		parts = append(parts, "border="+strings.Join(b, ","))
	}
	if a := s.Alignment; a != nil {
		parts = append(parts, fmt.Sprintf("align=%s/%s/wrap=%v", a.Horizontal, a.Vertical, a.WrapText))
	}
	if s.NumFmt != 0 {
		parts = append(parts, fmt.Sprintf("numfmt=%d", s.NumFmt))
	}
	if s.CustomNumFmt != nil {
		parts = append(parts, fmt.Sprintf("numfmt=%q", *s.CustomNumFmt))
	}
	return strings.Join(parts, " ")
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(run with -update if the change is intended)", name, i+1, gl, wl)
		}
	}
}

func write(t *testing.T, fn func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatalf("write: %v", err)
	}
	return buf.Bytes()
}

// rosterMembers are the members of the roster goldens.
func rosterMembers(t *testing.T) []app.Member {
	t.Helper()
	org := "浙江明理大学团委/信息学院团委/2023级计算机1班团支部"
	return []app.Member{
		{OrgName: org, Name: "王小红", IDNo: idOf(t, "33010220050315002"), Ethnicity: "汉族", Political: "共青团员", Education: "普通本科在读",
			JoinMonth: "2019-05", Phone: "13912345678", QQ: "123456789", Email: "wxh@example.com", MemberNo: "201900000001", Status: app.StatusActive},
		{OrgName: org, Name: "李四", IDNo: "31010420050909002X", Ethnicity: "回族", Political: "中共预备党员", Education: "普通本科在读",
			JoinMonth: "2018-10", IsCadre: true, Post: "书记", PostSince: "2024-09", CadreNature: "兼职", PartyCommittee: true,
			MemberNo: "201700000002", Weibo: "李四的微博", DevelopedOn: "2018-10-12", Status: app.StatusActive},
		{OrgName: org, Name: "欧阳娜娜", IDNo: idOf(t, "44030420010101001"), Ethnicity: "汉族", Political: "共青团员", Education: "硕士在读",
			JoinMonth: "2015-05", Status: app.StatusOverAge},
	}
}

func each(ms []app.Member) func(func(app.Member) bool) {
	return func(yield func(app.Member) bool) {
		for _, m := range ms {
			if !yield(m) {
				return
			}
		}
	}
}

// R-M4, R-X2: the empty template with its drop-downs, text columns and guide.
func TestGolden_Template_R_X2(t *testing.T) {
	b := write(t, func(buf *bytes.Buffer) error { return xlsx.WriteTemplate(buf) })
	golden(t, "template.golden", dumpWorkbook(t, b))

	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{xlsx.TemplateSheet, xlsx.GuideSheet}) {
		t.Errorf("sheets = %q", got)
	}
	dvs, _ := f.GetDataValidations(xlsx.TemplateSheet)
	lists := map[string]string{}
	for _, dv := range dvs {
		if dv.Type == "list" {
			lists[dv.Sqref[:1]] = dv.Formula1
		}
	}
	for i, name := range xlsx.TemplateColumns() {
		col, _ := excelize.ColumnNumberToName(i + 1)
		var list []string
		switch name {
		case "民族":
			list = app.Ethnicities
		case "政治面貌":
			list = app.PoliticalStatuses
		case "文化程度":
			list = app.Educations
		case "是否团干部", "是否同级党委（支部）成员":
			list = app.YesNo
		case "现任团内职务":
			list = app.Posts
		case "团干部性质":
			list = app.CadreNatures
		}
		if want := `"` + strings.Join(list, ",") + `"`; list != nil && lists[col] != want {
			t.Errorf("column %s %s: drop-down %s, want %s", col, name, lists[col], want)
		}
		st, _ := f.GetColStyle(xlsx.TemplateSheet, col)
		if s, _ := f.GetStyle(st); s == nil || s.NumFmt != 49 {
			t.Errorf("column %s %s is not formatted as text", col, name)
		}
		if v, _ := f.GetCellValue(xlsx.TemplateSheet, col+"1"); v != name {
			t.Errorf("header %s = %q, want %q", col, v, name)
		}
	}
}

// R-X2: the roster with masked IDs as text, derived 性别/出生日期/年龄.
func TestGolden_Roster(t *testing.T) {
	ms := rosterMembers(t)
	b := write(t, func(buf *bytes.Buffer) error {
		return xlsx.WriteRoster(buf, "信息学院团委团员名册", each(ms), xlsx.RosterOptions{MaskIDs: true, Now: testNow})
	})
	golden(t, "roster.golden", dumpWorkbook(t, b))

	full := write(t, func(buf *bytes.Buffer) error {
		return xlsx.WriteRoster(buf, "信息学院团委团员名册", each(ms), xlsx.RosterOptions{Now: testNow})
	})
	f, err := excelize.OpenReader(bytes.NewReader(full))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, m := range ms {
		cell := fmt.Sprintf("D%d", i+3)
		v, _ := f.GetCellValue(xlsx.RosterSheet, cell)
		typ, _ := f.GetCellType(xlsx.RosterSheet, cell)
		if v != m.IDNo || typ != excelize.CellTypeInlineString {
			t.Errorf("%s = %q (%s), want the full ID %q as text", cell, v, cellType(typ), m.IDNo)
		}
	}
}

// R-E1: 附件3 信息录入错误团员需上报删除的信息汇总表.
func TestGolden_ErrorReport_R_E1(t *testing.T) {
	rows := []app.ErrorReportRow{
		{Org: "浙江明理大学团委/信息学院团委/2023级计算机1班团支部", Name: "王小红", IDNo: idOf(t, "33010220050315002"), Remark: "身份证信息录入错误"},
		{Org: "浙江明理大学团委/经济学院团委/2023级经济学1班团支部", Name: "李斯", IDNo: "31010420050909002X", Remark: "姓名录入错误"},
	}
	b := write(t, func(buf *bytes.Buffer) error { return xlsx.WriteErrorReport(buf, rows) })
	golden(t, "error_report.golden", dumpWorkbook(t, b))
}

// R-G6: 附件4 目前尚未标记的团支部团员信息汇总表; a branch without members
// still has its row.
func TestGolden_Unmarked_R_G6(t *testing.T) {
	ms := rosterMembers(t)
	branches := []app.UnmarkedBranch{
		{Org: app.Org{Name: "2023级计算机1班团支部", FullName: "浙江明理大学团委/信息学院团委/2023级计算机1班团支部", Kind: app.KindBranch}, Members: ms[:2]},
		{Org: app.Org{Name: "2024级软件工程1班团支部", FullName: "浙江明理大学团委/信息学院团委/2024级软件工程1班团支部", Kind: app.KindBranch}},
	}
	b := write(t, func(buf *bytes.Buffer) error { return xlsx.WriteUnmarked(buf, branches) })
	golden(t, "unmarked.golden", dumpWorkbook(t, b))
}
