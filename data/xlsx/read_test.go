package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"tuanwu/app"
	"tuanwu/data/xlsx"
)

// importDir holds the real-looking bad files of the import tests, one per
// kind of mistake offices make. They are committed; -update rebuilds every
// one that has a builder (old_format.xls is a real Excel 97-2003 file, see
// testdata/import/README.md).
const importDir = "testdata/import"

// importCase is one file and what ReadMembers must say about it: either an
// EInvalid error whose message has every part of err, or rows whose
// problems have the given parts (rows listed in good have none).
type importCase struct {
	file  string
	build func(tb testing.TB) []byte // nil: committed as it is
	err   []string
	rows  map[int][]string
	good  []int
	count int // rows expected, when rows are read
}

var importCases = []importCase{
	// R-X2: "it says clearly what it cannot read".
	{file: "old_format.xls", err: []string{"旧版 Excel 97-2003", ".xls", "另存为", "Excel 工作簿（*.xlsx）"}},
	{file: "old_format_password.xls", build: buildPasswordXLS, err: []string{"旧版 Excel 97-2003", "打开密码", "另存为"}},
	{file: "password.xlsx", build: buildPasswordXLSX, err: []string{"设置了打开密码", "取消打开密码"}},
	{file: "csv_renamed.xlsx", build: buildCSV, err: []string{"文本（CSV）", "另存为", ".xlsx"}},
	{file: "csv_gbk_renamed.xls", build: buildGBKCSV, err: []string{"文本（CSV）", "另存为"}},
	{file: "unicode_text_renamed.xlsx", build: buildUTF16Text, err: []string{"文本（CSV）"}},
	{file: "web_export.xls", build: buildHTML, err: []string{"网页（HTML）", "另存为"}},
	{file: "empty.xlsx", build: func(testing.TB) []byte { return nil }, err: []string{"文件是空的", "重新下载"}},
	{file: "junk.xlsx", build: buildJunk, err: []string{"不是有效的 Excel 文件", "重新获取"}},
	{file: "zip_renamed.xlsx", build: buildZip, err: []string{"压缩包（zip）", "解压"}},
	{file: "word_renamed.xlsx", build: buildDocx, err: []string{"Word 文档"}},
	{file: "broken_workbook.xlsx", build: buildBrokenWorkbook, err: []string{"文件已损坏", "另存为"}},
	{file: "wrong_header.xlsx", build: buildWrongHeader, err: []string{"第 2 行的表头",
		"模板中没有的列：", "性别", "班级"}},
	{file: "no_header.xlsx", build: buildNoHeader, err: []string{"找不到", "表头", "姓名、身份证号码、民族"}},
	{file: "header_only.xlsx", build: buildHeaderOnly, err: []string{"没有任何团员数据"}},
	// R-M2, R-X2: an ID typed into a number cell has lost its last digits.
	{file: "id_as_number.xlsx", build: buildIDAsNumber, count: 4, good: []int{5}, rows: map[int][]string{
		2: {"身份证号被存成了数字，后几位已丢失", "4.4030420060101E+17", "请把该列设为文本格式后重新填写"},
		3: {"身份证号被存成了数字，后几位已丢失", "请把该列设为文本格式后重新填写"},
		4: {"身份证号被存成了数字，后几位已丢失"},
	}},
	// R-M2, R-X1, R-X2: one row per kind of wrong value, under a title row.
	{file: "bad_values.xlsx", build: buildBadValues, count: 17, good: []int{17, 19}, rows: map[int][]string{
		3:  {"校验位不正确"},
		4:  {"15 位的旧号码"},
		5:  {"出生日期 20050230 不是有效日期"},
		6:  {"“入团年月”应写成年月", "2019-13"},
		7:  {"入团年月 2026-01 晚于今天"},
		8:  {"早于本人 10 周岁"},
		9:  {"前 4 位应为入团年份 2019"},
		10: {"必须填写团员编号"},
		11: {"“民族”填写的“汉人”不在可选范围内", "“政治面貌”填写的“群众”", "“文化程度”填写的“大学”"},
		12: {"团干部须填写“现任团内职务”"},
		13: {"手机号码“1381234567”不正确"},
		15: {"姓名不能为空"},
		16: {"“是否团干部”只能填“是”或“否”"},
		18: {"“任现职年月”应写成年月"},
		20: {"身份证号应为 18 位", "邮箱“wang#example.com”格式不正确"},
	}},
	// A row with 1,000-character cells.
	{file: "long_cells.xlsx", build: buildLongCells, count: 2, good: []int{3}, rows: map[int][]string{
		2: {"“姓名”一栏有 1001 个字，超过了 1000 个字的上限", "“微博”一栏有 1200 个字"},
	}},
	// Duplicates inside the file are a problem of the later row.
	{file: "duplicates.xlsx", build: buildDuplicates, count: 5, good: []int{2, 4, 6}, rows: map[int][]string{
		3: {"身份证号与第 2 行重复"},
		5: {"团员编号 201900000004 与第 4 行重复"},
	}},
}

func TestBadFiles_R_M4_R_X2(t *testing.T) {
	if err := os.MkdirAll(importDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range importCases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(importDir, tc.file)
			if *update && tc.build != nil {
				if err := os.WriteFile(path, tc.build(t), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to build the test files)", err)
			}
			rows, err := xlsx.ReadMembers(bytes.NewReader(b), testNow)
			if tc.err != nil {
				if app.ErrorCode(err) != app.EInvalid {
					t.Fatalf("ReadMembers = %d rows, error %v (code %q); want EInvalid", len(rows), err, app.ErrorCode(err))
				}
				for _, part := range tc.err {
					if !strings.Contains(app.ErrorMessage(err), part) {
						t.Errorf("message %q does not contain %q", app.ErrorMessage(err), part)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadMembers: %v", err)
			}
			checkRows(t, rows, tc)
		})
	}
}

func checkRows(t *testing.T, rows []app.ImportRow, tc importCase) {
	t.Helper()
	if len(rows) != tc.count {
		t.Errorf("read %d rows, want %d", len(rows), tc.count)
	}
	byRow := map[int]app.ImportRow{}
	for _, r := range rows {
		byRow[r.Row] = r
	}
	for n, parts := range tc.rows {
		r, ok := byRow[n]
		if !ok {
			t.Errorf("row %d not read", n)
			continue
		}
		all := strings.Join(r.Problems, " | ")
		for _, p := range parts {
			if !strings.Contains(all, p) {
				t.Errorf("row %d problems %q do not contain %q", n, r.Problems, p)
			}
		}
	}
	for _, n := range tc.good {
		if r, ok := byRow[n]; !ok || !r.OK() {
			t.Errorf("row %d: %+v; want a row without problems", n, r)
		}
	}
	for _, r := range rows {
		if _, listed := tc.rows[r.Row]; !listed && !r.OK() && !contains(tc.good, r.Row) {
			t.Errorf("row %d has unexpected problems %q", r.Row, r.Problems)
		}
	}
}

func contains(list []int, n int) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}

// --- builders of the bad files ---

func buildPasswordXLSX(tb testing.TB) []byte {
	s := newSheetFile(tb)
	s.header(1)
	s.row(2, cells(genMembers(1, 1)[0])...)
	var buf bytes.Buffer
	if err := s.f.Write(&buf, excelize.Options{Password: "tuanwu2025"}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// buildPasswordXLS writes a minimal compound file (OLE2) whose Workbook
// stream starts with BIFF8 BOF and FILEPASS records: an .xls with an open
// password, as Excel 97-2003 writes it.
func buildPasswordXLS(testing.TB) []byte {
	const sector = 512
	le := binary.LittleEndian
	end, free, fatSect, noStream := uint32(0xFFFFFFFE), uint32(0xFFFFFFFF), uint32(0xFFFFFFFD), uint32(0xFFFFFFFF)
	out := make([]byte, sector*11) // header, FAT, directory, 8 sectors of stream
	h := out[:sector]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(h[24:], 0x3E)
	le.PutUint16(h[26:], 3)
	le.PutUint16(h[28:], 0xFFFE)
	le.PutUint16(h[30:], 9)
	le.PutUint16(h[32:], 6)
	le.PutUint32(h[44:], 1)    // FAT sectors
	le.PutUint32(h[48:], 1)    // first directory sector
	le.PutUint32(h[56:], 4096) // mini stream cutoff
	le.PutUint32(h[60:], end)
	le.PutUint32(h[68:], end)
	le.PutUint32(h[76:], 0) // the FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(h[76+4*i:], free)
	}
	fat := out[sector : 2*sector]
	for i := 0; i < 128; i++ {
		le.PutUint32(fat[4*i:], free)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], end)
	for s := 2; s < 9; s++ {
		le.PutUint32(fat[4*s:], uint32(s+1))
	}
	le.PutUint32(fat[4*9:], end)
	dir := out[2*sector : 3*sector]
	entry := func(i int, name string, typ byte, child, start, size uint32) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66], e[67] = typ, 1
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], size)
	}
	entry(0, "Root Entry", 5, 1, end, 0)
	entry(1, "Workbook", 2, noStream, 2, 4096)
	for i := 2; i < 4; i++ {
		e := dir[128*i:]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}
	wb := out[3*sector:]
	le.PutUint16(wb[0:], 0x0809) // BOF
	le.PutUint16(wb[2:], 16)
	le.PutUint16(wb[4:], 0x0600)
	le.PutUint16(wb[6:], 0x0005)
	le.PutUint16(wb[20:], 0x002F) // FILEPASS
	le.PutUint16(wb[22:], 54)
	le.PutUint16(wb[24:], 1)
	return out
}

const csvText = "姓名,身份证号码,民族,政治面貌,文化程度,入团年月,是否团干部,手机号码,微博,QQ,邮箱,发展团员编号,现任团内职务,任现职年月,团干部性质,是否同级党委（支部）成员\r\n" +
	"王小红,330102200503150023,汉族,共青团员,普通本科在读,2019-05,否,13912345678,,,,201900000001,,,,否\r\n"

func buildCSV(testing.TB) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, csvText...) }

func buildGBKCSV(tb testing.TB) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csvText))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func buildUTF16Text(testing.TB) []byte {
	u := utf16.Encode([]rune(strings.ReplaceAll(csvText, ",", "\t")))
	out := []byte{0xFF, 0xFE}
	for _, c := range u {
		out = binary.LittleEndian.AppendUint16(out, c)
	}
	return out
}

func buildHTML(testing.TB) []byte {
	return []byte(`<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><table border="1"><tr><td>姓名</td><td>身份证号码</td><td>民族</td></tr>
<tr><td>王小红</td><td>330102200503150023</td><td>汉族</td></tr></table></body></html>
`)
}

func buildJunk(testing.TB) []byte {
	b := make([]byte, 64<<10)
	rand.New(rand.NewSource(7)).Read(b)
	return b
}

func zipOf(tb testing.TB, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "说明.txt", "照片/001.jpg", "xl/styles.xml"} {
		body, ok := files[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func buildZip(tb testing.TB) []byte {
	return zipOf(tb, map[string]string{"说明.txt": "2025级新生团员照片", "照片/001.jpg": "\xFF\xD8\xFF\xE0 not really a photo"})
}

func buildDocx(tb testing.TB) []byte {
	return zipOf(tb, map[string]string{"[Content_Types].xml": `<?xml version="1.0"?><Types/>`, "word/document.xml": `<w:document/>`})
}

// buildBrokenWorkbook is an .xlsx whose workbook part went missing, as a
// broken download or a bad repack leaves it.
func buildBrokenWorkbook(tb testing.TB) []byte {
	return zipOf(tb, map[string]string{"[Content_Types].xml": `<?xml version="1.0"?><Types/>`, "xl/styles.xml": `<styleSheet/>`})
}

func buildWrongHeader(tb testing.TB) []byte {
	s := newSheetFile(tb)
	s.row(1, "2025级新生团员信息统计表")
	s.row(2, "序号", "姓名", "身份证号", "性别", "民族", "文化程度", "入团年月", "是否团干部", "手机号码", "微博", "QQ", "邮箱",
		"团员编号", "现任团内职务", "团干部性质", "是否同级党委（支部）成员", "班级")
	s.row(3, 1, "王小红", "330102200503150023", "女", "汉族", "普通本科在读", "2019-05", "否", "13912345678", nil, nil, nil,
		"201900000001", nil, nil, "否", "2025级小学教育1班")
	return s.bytes()
}

func buildNoHeader(tb testing.TB) []byte {
	s := newSheetFile(tb)
	s.row(1, "期末成绩表")
	s.row(2, "学号", "课程", "成绩")
	s.row(3, "2025001", "高等数学", 92)
	return s.bytes()
}

func buildHeaderOnly(tb testing.TB) []byte {
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func buildIDAsNumber(tb testing.TB) []byte {
	ms := genMembers(4, 2)
	s := newSheetFile(tb)
	s.header(1)
	// Excel writes an 18-digit number it has cut to 15 digits like this.
	s.row(2, with(cells(ms[0]), "身份证号码", num("4.4030420060101E+17"))...)
	// WPS and some exports write the cut number in full.
	s.row(3, with(cells(ms[1]), "身份证号码", num("330102200503150000"))...)
	s.row(4, with(cells(ms[2]), "身份证号码", num("3.30102200503150E17"))...)
	s.row(5, cells(ms[3])...)
	return s.bytes()
}

func buildBadValues(tb testing.TB) []byte {
	ms := genMembers(20, 3)
	s := newSheetFile(tb)
	s.row(1, "2025级新生团员信息（请勿修改表头）")
	s.header(2)
	good := func(i int) []any {
		m := ms[i]
		m.IDNo = idOf(tb, "33010220050315"+string(rune('0'+i/10))+string(rune('0'+i%10))+"1")
		m.JoinMonth, m.MemberNo = "2019-05", "2019000000"+string(rune('0'+i/10))+string(rune('0'+i%10))
		return cells(m)
	}
	badCheck := idOf(tb, "33010220050315003")
	badCheck = badCheck[:17] + map[bool]string{true: "1", false: "2"}[badCheck[17] != '1']
	s.row(3, with(good(3), "身份证号码", badCheck)...)
	s.row(4, with(good(4), "身份证号码", "330102050315004")...)
	s.row(5, with(good(5), "身份证号码", idOf(tb, "33010220050230005"))...)
	s.row(6, with(good(6), "入团年月", "2019-13")...)
	s.row(7, with(with(good(7), "入团年月", "2026-01"), "发展团员编号", "202600000007")...)
	s.row(8, with(with(good(8), "入团年月", "2012-01"), "发展团员编号", "")...)
	s.row(9, with(good(9), "发展团员编号", "202000000009")...)
	s.row(10, with(with(good(10), "入团年月", "2020-05"), "发展团员编号", "")...)
	s.row(11, with(with(with(good(11), "民族", "汉人"), "政治面貌", "群众"), "文化程度", "大学")...)
	s.row(12, with(good(12), "是否团干部", "是")...)
	s.row(13, with(good(13), "手机号码", "1381234567")...)
	// row 14 stays empty and is skipped
	s.row(15, with(good(15), "姓名", "")...)
	s.row(16, with(good(16), "是否团干部", "对")...)
	s.row(17, good(17)...)
	s.row(18, with(with(with(with(good(18), "是否团干部", "是"), "现任团内职务", "组织委员"), "任现职年月", "2019年13月"), "团干部性质", "兼职")...)
	s.row(19, with(good(19), "民族", "汉")...) // 汉 is read as 汉族
	s.row(20, with(with(good(0), "身份证号码", "3301022005031500"), "邮箱", "wang#example.com")...)
	return s.bytes()
}

func buildLongCells(tb testing.TB) []byte {
	ms := genMembers(2, 4)
	s := newSheetFile(tb)
	s.header(1)
	s.row(2, with(with(cells(ms[0]), "姓名", strings.Repeat("王", 1001)), "微博", strings.Repeat("青", 1200))...)
	s.row(3, cells(ms[1])...)
	return s.bytes()
}

func buildDuplicates(tb testing.TB) []byte {
	ms := genMembers(5, 5)
	for i := range ms {
		ms[i].JoinMonth = "2019-09"
		ms[i].MemberNo = "20190000000" + string(rune('0'+i))
	}
	s := newSheetFile(tb)
	s.header(1)
	s.row(2, cells(ms[0])...)
	dup := ms[1]
	dup.IDNo = ms[0].IDNo
	s.row(3, cells(dup)...)
	s.row(4, cells(ms[4])...)
	no := ms[2]
	no.MemberNo = ms[4].MemberNo
	s.row(5, cells(no)...)
	s.row(6, cells(ms[3])...)
	return s.bytes()
}

// R-X2: cells typed as numbers, text or dates all read correctly.
func TestReadMembers_TypedCells_R_X2(t *testing.T) {
	ms := genMembers(8, 6)
	s := newSheetFile(t)
	s.row(1, "2025级计算机1班团员信息")
	s.header(2)
	type want struct{ join, phone, qq, no, postSince string }
	rows := []struct {
		vals []any
		want want
	}{
		{with(with(with(cells(ms[0]), "入团年月", dateVal(time.Date(2019, 5, 4, 0, 0, 0, 0, time.UTC))), "手机号码", 13912345678), "QQ", 123456789),
			want{"2019-05", "13912345678", "123456789", ms[0].MemberNo, ""}},
		{with(with(cells(ms[1]), "入团年月", 201905), "发展团员编号", num("201900000101")), want{"2019-05", ms[1].Phone, ms[1].QQ, "201900000101", ""}},
		{with(cells(ms[2]), "入团年月", "2019.05"), want{"2019-05", ms[2].Phone, ms[2].QQ, ms[2].MemberNo, ""}},
		{with(cells(ms[3]), "入团年月", "2019年5月"), want{"2019-05", ms[3].Phone, ms[3].QQ, ms[3].MemberNo, ms[3].PostSince}},
		{with(with(cells(ms[4]), "入团年月", " 2019-05 "), "手机号码", num("1.3912345679E10")), want{"2019-05", "13912345679", ms[4].QQ, ms[4].MemberNo, ""}},
		{with(with(with(with(with(cells(ms[5]), "入团年月", "2019/5"), "是否团干部", boolVal(true)), "现任团内职务", "书记"),
			"任现职年月", dateVal(time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC))), "团干部性质", "兼职"),
			want{"2019-05", ms[5].Phone, ms[5].QQ, ms[5].MemberNo, "2024-09"}},
		{with(with(cells(ms[6]), "入团年月", num("20190504")), "手机号码", "139 1234 5670"), want{"2019-05", "13912345670", ms[6].QQ, ms[6].MemberNo, ""}},
		{with(with(cells(ms[7]), "入团年月", "2019-05-04"), "QQ", num("987654321.0")), want{"2019-05", ms[7].Phone, "987654321", ms[7].MemberNo, ""}},
	}
	for i, r := range rows {
		if i != 1 {
			r.vals = with(r.vals, "发展团员编号", "2019000001"+string(rune('0'+i/10))+string(rune('0'+i%10)))
			rows[i].want.no = "2019000001" + string(rune('0'+i/10)) + string(rune('0'+i%10))
		}
		s.row(3+i, r.vals...)
	}
	got, err := xlsx.ReadMembers(bytes.NewReader(s.bytes()), testNow)
	if err != nil {
		t.Fatalf("ReadMembers: %v", err)
	}
	if len(got) != len(rows) {
		t.Fatalf("read %d rows, want %d", len(got), len(rows))
	}
	for i, r := range got {
		w := rows[i].want
		m := r.Member
		if r.Row != 3+i || !r.OK() {
			t.Errorf("row %d (want %d): problems %q", r.Row, 3+i, r.Problems)
		}
		if m.JoinMonth != w.join || m.Phone != w.phone || m.QQ != w.qq || m.MemberNo != w.no || m.PostSince != w.postSince {
			t.Errorf("row %d: 入团年月 %q 手机 %q QQ %q 编号 %q 任现职 %q; want %+v", r.Row, m.JoinMonth, m.Phone, m.QQ, m.MemberNo, m.PostSince, w)
		}
		if m.IDNo != ms[i].IDNo || m.Name != ms[i].Name || m.Political != "共青团员" || m.Status != app.StatusActive {
			t.Errorf("row %d: member %+v", r.Row, m)
		}
	}
	if !got[5].Member.IsCadre || got[5].Member.Post != "书记" {
		t.Errorf("boolean 是否团干部 not read: %+v", got[5].Member)
	}
}

// R-M4, R-X2: the template the app hands out, filled in by an office (text
// typed into its text columns, drop-down values), reads back unchanged.
func TestReadMembers_FilledTemplate_R_M4(t *testing.T) {
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ms := genMembers(30, 8)
	for i, m := range ms {
		for j, v := range templateRow(m) {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := f.SetCellStr(xlsx.TemplateSheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var filled bytes.Buffer
	if _, err := f.WriteTo(&filled); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rows, err := xlsx.ReadMembers(&filled, testNow)
	if err != nil {
		t.Fatalf("ReadMembers: %v", err)
	}
	if len(rows) != len(ms) {
		t.Fatalf("read %d rows, want %d", len(rows), len(ms))
	}
	for i, r := range rows {
		want := ms[i]
		if !r.OK() || r.Row != i+2 || r.Member != want {
			t.Errorf("row %d: %q\n got %+v\nwant %+v", r.Row, r.Problems, r.Member, want)
		}
	}
}

// A header in another order, with 序号, marks and hints, still matches.
func TestReadMembers_HeaderVariants(t *testing.T) {
	m := genMembers(1, 9)[0]
	s := newSheetFile(t)
	cols := xlsx.TemplateColumns()
	head := []any{"序号"}
	vals := []any{1}
	row := templateRow(m)
	for i := len(cols) - 1; i >= 0; i-- { // reversed
		name := cols[i]
		switch name {
		case "姓名":
			name = "*姓名"
		case "身份证号码":
			name = "身份证号码\n（18位）"
		case "发展团员编号":
			name = "团员编号"
		case "是否同级党委（支部）成员":
			name = "是否同级党委(支部)成员"
		}
		head = append(head, name)
		vals = append(vals, row[i])
	}
	s.row(1, head...)
	s.row(2, vals...)
	rows, err := xlsx.ReadMembers(bytes.NewReader(s.bytes()), testNow)
	if err != nil {
		t.Fatalf("ReadMembers: %v", err)
	}
	if len(rows) != 1 || !rows[0].OK() || rows[0].Member != m {
		t.Fatalf("rows = %+v, want %+v", rows, m)
	}
}

// A 50 MB file of random bytes is refused at once, reading only its start.
func TestReadMembers_LargeJunk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.xlsx")
	b := make([]byte, 50<<20)
	rand.New(rand.NewSource(1)).Read(b)
	b[0], b[1] = 'P', 'K' // not even the zip magic saves it: bytes 2-3 are random
	b[2], b[3] = 0x17, 0x91
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	b = nil
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err = xlsx.ReadMembers(f, testNow)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "不是有效的 Excel 文件") {
		t.Fatalf("ReadMembers = %v, want the junk message", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("allocated %d bytes for a junk file, want < 1 MB", alloc)
	}
	if took > time.Second {
		t.Errorf("took %v for a junk file", took)
	}
}

// Junk behind the zip magic is read (it may be a workbook), then refused.
func TestReadMembers_JunkBehindZipMagic(t *testing.T) {
	b := make([]byte, 5<<20)
	rand.New(rand.NewSource(2)).Read(b)
	copy(b, "PK\x03\x04")
	_, err := xlsx.ReadMembers(bytes.NewReader(b), testNow)
	if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "不是有效的 Excel 文件") {
		t.Fatalf("ReadMembers = %v, want the junk message", err)
	}
}

// R-M3: an optional 发展日期 column beside the template's is read, typed as
// a date cell or as text in the usual ways.
func TestReadMembers_DevelopedOn_R_M3(t *testing.T) {
	ms := genMembers(3, 10)
	s := newSheetFile(t)
	head := []any{}
	for _, c := range xlsx.TemplateColumns() {
		head = append(head, c)
	}
	s.row(1, append(head, "发展日期")...)
	s.row(2, append(cells(ms[0]), dateVal(time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC)))...)
	s.row(3, append(cells(ms[1]), "2025年5月4日")...)
	s.row(4, append(cells(ms[2]), "2025/13/40")...)
	rows, err := xlsx.ReadMembers(bytes.NewReader(s.bytes()), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Member.DevelopedOn != "2025-05-04" || rows[1].Member.DevelopedOn != "2025-05-04" || !rows[0].OK() || !rows[1].OK() {
		t.Fatalf("rows = %+v", rows)
	}
	if p := strings.Join(rows[2].Problems, ""); !strings.Contains(p, "发展日期“2025/13/40”不正确") {
		t.Errorf("row 4 problems %q", rows[2].Problems)
	}
}

// TestPartialTemplate (R-X2, R-M4): a sheet with only some of the template's
// columns imports, the others read as empty; without 身份证号码 it is refused.
func TestPartialTemplate(t *testing.T) {
	s := newSheetFile(t)
	s.row(1, "姓名", "身份证号码", "入团年月", "发展团员编号")
	s.row(2, "王小红", "330102200503150029", "2019-05", "201900000001")
	rows, err := xlsx.ReadMembers(bytes.NewReader(s.bytes()), time.Date(2026, 11, 27, 0, 0, 0, 0, app.Shanghai))
	if err != nil || len(rows) != 1 || !rows[0].OK() || rows[0].Member.JoinMonth != "2019-05" || rows[0].Member.Ethnicity != "" {
		t.Fatalf("partial template: %+v %v", rows, err)
	}
	s = newSheetFile(t)
	s.row(1, "姓名", "入团年月")
	s.row(2, "王小红", "2019-05")
	if _, err := xlsx.ReadMembers(bytes.NewReader(s.bytes()), time.Now()); err == nil || !strings.Contains(app.ErrorMessage(err), "缺少列：身份证号码") {
		t.Fatalf("without 身份证号码: %v", err)
	}
}
