package xlsx_test

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// R-T2: the 出国（境）学习研究团员登记册, written and read back with excelize:
// its sheet and title, the header, one numbered row per member, IDs, phone
// numbers and dates kept as text, and every column wide enough.
func TestWriteAbroadRegister_R_T2(t *testing.T) {
	const college = "浙江明理大学团委/信息学院团委"
	header := []string{"序号", "姓名", "身份证号", "所在学院", "原团支部", "境外学习研究地点", "期限", "境内联系人", "联系方式", "批准日期", "备注"}
	approved := app.AbroadRow{Name: "王小红", IDNo: idOf(t, "33010220050315002"), College: college,
		FromOrg: college + "/2021级计算机1班团支部", Place: "英国伦敦帝国理工学院", Period: "2025-09 至 2026-08（一年）",
		Contact: "王建国", ContactPhone: "13800138000", ApprovedOn: "2025-07-02", Remark: "联合培养硕士", TransferNo: 7}
	numeric := app.AbroadRow{Name: "李斯", IDNo: "310104200509090021", College: college, FromOrg: college + "/2022级软件工程1班团支部",
		Place: "日本东京", Period: "12", Contact: "李明", ContactPhone: "0571-88888888", ApprovedOn: "2025-01-15", TransferNo: 9}
	direct := app.AbroadRow{Name: "赵六", IDNo: "31010420050909002X", College: "浙江明理大学团委/经济学院团委"}
	line := func(n int, r app.AbroadRow) []string {
		out := []string{fmt.Sprint(n), r.Name, r.IDNo, r.College, r.FromOrg, r.Place, r.Period, r.Contact, r.ContactPhone, r.ApprovedOn, r.Remark}
		for len(out) > 0 && out[len(out)-1] == "" { // GetRows drops trailing empty cells
			out = out[:len(out)-1]
		}
		return out
	}
	for _, tc := range []struct {
		name string
		rows []app.AbroadRow
	}{
		{"empty register", nil},
		{"one approved member", []app.AbroadRow{approved}},
		{"digits-only ID and period, landline phone", []app.AbroadRow{numeric}},
		{"approved and entered directly", []app.AbroadRow{approved, direct, numeric}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := write(t, func(buf *bytes.Buffer) error { return xlsx.WriteAbroadRegister(buf, tc.rows) })
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("open the register: %v", err)
			}
			defer f.Close()
			if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != xlsx.AbroadRegisterTitle {
				t.Fatalf("sheets %q, want only %q", sheets, xlsx.AbroadRegisterTitle)
			}
			sheet := xlsx.AbroadRegisterTitle
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) < 2 || len(rows[0]) == 0 || rows[0][0] != xlsx.AbroadRegisterTitle || !reflect.DeepEqual(rows[1], header) {
				t.Fatalf("title and header: %q; want %q then %q", rows, xlsx.AbroadRegisterTitle, header)
			}
			want := [][]string{}
			for i, r := range tc.rows {
				want = append(want, line(i+1, r))
			}
			if got := rows[2:]; !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("rows\n%q\nwant\n%q", got, want)
			}
			merged, err := f.GetMergeCells(sheet)
			if err != nil || len(merged) != 1 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "K1" {
				t.Errorf("the title must be merged across A1:K1, got %v (%v)", merged, err)
			}
			for i := range header {
				col, _ := excelize.ColumnNumberToName(i + 1)
				w, err := f.GetColWidth(sheet, col)
				if err != nil || w < 7 {
					t.Errorf("column %s (%s) width %v (%v), want at least 7", col, header[i], w, err)
				}
			}
			if w, _ := f.GetColWidth(sheet, "C"); w < 18 {
				t.Errorf("身份证号 column width %v, too narrow for 18 characters", w)
			}
			for i, r := range tc.rows {
				row := i + 3
				for _, c := range []struct{ col, want string }{{"C", r.IDNo}, {"I", r.ContactPhone}, {"J", r.ApprovedOn}} {
					if c.want == "" {
						continue
					}
					cell := fmt.Sprintf("%s%d", c.col, row)
					v, _ := f.GetCellValue(sheet, cell)
					typ, _ := f.GetCellType(sheet, cell)
					if v != c.want || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
						t.Errorf("%s = %q (%s), want %q as text", cell, v, cellType(typ), c.want)
					}
					style, _ := f.GetCellStyle(sheet, cell)
					if s, err := f.GetStyle(style); err != nil || s.NumFmt != 49 {
						t.Errorf("%s is not formatted as text (@): %+v, %v", cell, s, err)
					}
				}
				v, _ := f.GetCellValue(sheet, fmt.Sprintf("A%d", row))
				typ, _ := f.GetCellType(sheet, fmt.Sprintf("A%d", row))
				if v != fmt.Sprint(i+1) || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
					t.Errorf("序号 of row %d = %q (%s), want the number %d", row, v, cellType(typ), i+1)
				}
			}
		})
	}
}
