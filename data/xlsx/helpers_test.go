package xlsx_test

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// update regenerates the golden files and the committed test files:
//
//	go test ./data/xlsx/ -run 'Golden|BadFiles' -update
var update = flag.Bool("update", false, "rewrite the golden files and testdata/import files")

// testNow is the fixed clock of the tests.
var testNow = time.Date(2025, 6, 1, 10, 0, 0, 0, app.Shanghai)

// idOf appends the check character to 17 digits.
func idOf(tb testing.TB, first17 string) string {
	tb.Helper()
	c := app.IDCheckChar(first17)
	if c == 0 {
		tb.Fatalf("IDCheckChar(%q) = 0", first17)
	}
	return first17 + string(c)
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文玲晨宇浩然欣怡子轩梓涵一诺雨彤思远嘉豪佳琪俊杰雅婷天佑")
	regions  = []string{"330102", "330106", "330203", "330302", "330402", "440304", "110101", "320102", "510104", "420102"}
)

// genMembers returns n valid members with unique 身份证号 and 团员编号,
// deterministic for a seed.
func genMembers(n int, seed int64) []app.Member {
	rng := rand.New(rand.NewSource(seed))
	out := make([]app.Member, 0, n)
	seen := make(map[string]bool, n)
	base := time.Date(1998, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; len(out) < n; i++ {
		birth := base.AddDate(0, 0, rng.Intn(8*365))
		first17 := fmt.Sprintf("%s%s%03d", regions[rng.Intn(len(regions))], birth.Format("20060102"), rng.Intn(999)+1)
		id := first17 + string(app.IDCheckChar(first17))
		if seen[id] {
			continue
		}
		seen[id] = true
		join := birth.AddDate(14, rng.Intn(36), 0)
		if join.After(testNow) {
			join = testNow.AddDate(0, -1, 0)
		}
		k := len(out)
		name := string(surnames[rng.Intn(len(surnames))]) + string(given[rng.Intn(len(given))])
		if rng.Intn(2) == 0 {
			name += string(given[rng.Intn(len(given))])
		}
		m := app.Member{
			Name: name, IDNo: id, Ethnicity: "汉族", Political: "共青团员", Education: "普通本科在读",
			JoinMonth: join.Format("2006-01"), Phone: fmt.Sprintf("13%09d", 100000000+k), QQ: fmt.Sprintf("%d", 10000000+k),
			Email: fmt.Sprintf("m%d@example.com", k), MemberNo: fmt.Sprintf("%s%08d", join.Format("2006"), k),
			Status: app.StatusActive,
		}
		if k%7 == 0 {
			m.Ethnicity = app.Ethnicities[1+k%50]
		}
		if k%10 == 3 {
			m.IsCadre, m.Post, m.PostSince, m.CadreNature = true, "组织委员", "2024-09", "兼职"
		}
		if k%13 == 5 {
			m.Weibo = "青春" + name
		}
		out = append(out, m)
	}
	return out
}

// templateRow returns a member's cells in the template's order (R-X2).
func templateRow(m app.Member) []string {
	row := []string{m.Name, m.IDNo}
	for _, f := range app.MemberFields {
		row = append(row, m.Field(f))
	}
	return row
}

// filledTemplate writes members as a filled template (text cells) with the
// stream writer, below a title row when title is not "".
func filledTemplate(tb testing.TB, members []app.Member, title string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	r := 1
	if title != "" {
		if err := sw.SetRow("A1", []any{title}); err != nil {
			tb.Fatal(err)
		}
		r++
	}
	row := func(cells []string) {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", r), vals); err != nil {
			tb.Fatal(err)
		}
		r++
	}
	row(xlsx.TemplateColumns())
	for _, m := range members {
		row(templateRow(m))
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// Cell kinds for sheet builders: how a value is stored in the cell.
type (
	num     string    // a number cell with this raw value, as Excel stores it
	dateVal time.Time // a date cell (serial number with a date format)
	boolVal bool      // a boolean cell
)

// sheetFile builds a small workbook cell by cell, with the cell types that
// real offices produce.
type sheetFile struct {
	tb    testing.TB
	f     *excelize.File
	sheet string
	date  int
}

func newSheetFile(tb testing.TB) *sheetFile {
	tb.Helper()
	f := excelize.NewFile()
	fmtCode := `yyyy"年"m"月"`
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &fmtCode})
	if err != nil {
		tb.Fatal(err)
	}
	return &sheetFile{tb: tb, f: f, sheet: "Sheet1", date: date}
}

// row writes the values of one row from column A; nil leaves a cell empty.
func (s *sheetFile) row(r int, vals ...any) {
	s.tb.Helper()
	for i, v := range vals {
		cell, _ := excelize.CoordinatesToCellName(i+1, r)
		var err error
		switch v := v.(type) {
		case nil:
		case string:
			err = s.f.SetCellStr(s.sheet, cell, v)
		case num:
			err = s.f.SetCellDefault(s.sheet, cell, string(v))
		case int:
			err = s.f.SetCellInt(s.sheet, cell, int64(v))
		case float64:
			err = s.f.SetCellFloat(s.sheet, cell, v, -1, 64)
		case dateVal:
			if err = s.f.SetCellValue(s.sheet, cell, time.Time(v)); err == nil {
				err = s.f.SetCellStyle(s.sheet, cell, cell, s.date)
			}
		case boolVal:
			err = s.f.SetCellBool(s.sheet, cell, bool(v))
		default:
			s.tb.Fatalf("cell %s: unsupported value %T", cell, v)
		}
		if err != nil {
			s.tb.Fatalf("cell %s: %v", cell, err)
		}
	}
}

// header writes the template's header into row r.
func (s *sheetFile) header(r int) {
	s.tb.Helper()
	cols := xlsx.TemplateColumns()
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = c
	}
	s.row(r, vals...)
}

func (s *sheetFile) bytes() []byte {
	s.tb.Helper()
	defer s.f.Close()
	var buf bytes.Buffer
	if _, err := s.f.WriteTo(&buf); err != nil {
		s.tb.Fatal(err)
	}
	return buf.Bytes()
}

// cells returns a member's template row as values for sheetFile.row.
func cells(m app.Member) []any {
	var out []any
	for _, c := range templateRow(m) {
		out = append(out, c)
	}
	return out
}

// with returns vals with the value of the template column name replaced.
func with(vals []any, name string, v any) []any {
	out := append([]any(nil), vals...)
	for i, c := range xlsx.TemplateColumns() {
		if c == name {
			out[i] = v
			return out
		}
	}
	panic("no column " + name)
}
