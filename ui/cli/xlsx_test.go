package cli_test

// The Excel commands of CLI.md, end to end through cli.Run:
//   member import FILE.xlsx --org BRANCH [--skip-bad]   (R-M4, R-X2, R-X3, R-X1, R-M2)
//   member export --org ORG --out FILE.xlsx              (roster)
//   report errors --out FILE.xlsx                        (R-E1, 附件3)
// Input files are the national template as xlsx.WriteTemplate hands it out,
// filled in with excelize the way a user fills it; output files are opened
// back with excelize.

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tuanwu/data/xlsx"
)

// templateHeader is the national template's header (R-X2), written out here
// independently of the program: 姓名, 身份证号码, then the member fields.
var templateHeader = []string{"姓名", "身份证号码", "民族", "政治面貌", "文化程度", "入团年月", "是否团干部", "手机号码",
	"微博", "QQ", "邮箱", "发展团员编号", "现任团内职务", "任现职年月", "团干部性质", "是否同级党委（支部）成员"}

// fieldKeys maps a template column to its key in member --json output.
var fieldKeys = map[string]string{"民族": "ethnicity", "政治面貌": "political", "文化程度": "education", "入团年月": "join_month",
	"是否团干部": "is_cadre", "手机号码": "phone", "微博": "weibo", "QQ": "qq", "邮箱": "email", "发展团员编号": "member_no",
	"现任团内职务": "post", "任现职年月": "post_since", "团干部性质": "cadre_nature", "是否同级党委（支部）成员": "party_committee"}

// sheetRow is one row a user types into the template: 姓名, 身份证号码 and
// fields by column name as text; numbers are cells typed as numbers (an ID,
// a phone number, a month as an Excel date), which the import must read
// (R-X2); shown is what such a cell must read as after the import when it
// is not the number's digits.
type sheetRow struct {
	name, id string
	fields   map[string]string
	numbers  map[string]int64
	shown    map[string]string
}

// want returns the text the member's field must show after the import.
func (r sheetRow) want(col string) string {
	if v, ok := r.shown[col]; ok {
		return v
	}
	if n, ok := r.numbers[col]; ok {
		return strconv.FormatInt(n, 10)
	}
	return r.fields[col]
}

// fillTemplate takes the empty template from xlsx.WriteTemplate, checks its
// header row, types rows below it in the header's column order and saves
// the workbook at path.
func fillTemplate(t *testing.T, path string, rows []sheetRow) {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.WriteTemplate(&buf); err != nil {
		t.Fatalf("WriteTemplate: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open the template: %v", err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != xlsx.TemplateSheet {
		t.Fatalf("template's first sheet is %q, want %q", sheet, xlsx.TemplateSheet)
	}
	got, err := f.GetRows(sheet)
	if err != nil || len(got) == 0 {
		t.Fatalf("template rows: %v, %v", got, err)
	}
	header := got[0]
	if !reflect.DeepEqual(header, templateHeader) {
		t.Fatalf("template header = %q\nwant (R-X2)        %q", header, templateHeader)
	}
	for i, r := range rows {
		for j, col := range header {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			var err error
			switch {
			case r.numbers[col] != 0:
				err = f.SetCellInt(sheet, cell, r.numbers[col])
			case col == "姓名":
				err = f.SetCellStr(sheet, cell, r.name)
			case col == "身份证号码":
				err = f.SetCellStr(sheet, cell, r.id)
			case r.fields[col] != "":
				err = f.SetCellStr(sheet, cell, r.fields[col])
			}
			if err != nil {
				t.Fatalf("set %s: %v", cell, err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatalf("save %s: %v", path, err)
	}
}

// sheetRows opens an .xlsx the program wrote and returns its first sheet's
// name and rows.
func sheetRows(t *testing.T, path string) (string, [][]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("rows of %s: %v", path, err)
	}
	return sheet, rows
}

// listByID is member list --org org --json keyed by 身份证号.
func listByID(t *testing.T, h *harness, org string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", org)).stdout) {
		out[str(m, "id_no")] = m
	}
	return out
}

// Rows of the import files. Ages and months are as of testNow (2025-06-30).
var (
	// 赵一: male, born 2005-03-15, joined 2019 with a 2019 number, every cell text.
	rowZhao = sheetRow{name: "赵一", id: idWith("33010220050315011"), fields: map[string]string{
		"民族": "汉族", "政治面貌": "共青团员", "文化程度": "普通本科在读", "入团年月": "2019-05", "是否团干部": "否",
		"手机号码": "13912345678", "QQ": "123456789", "邮箱": "zhao@example.com", "发展团员编号": "201900000011",
		"是否同级党委（支部）成员": "否"}}
	// 钱二: female, born 2004-08-20, joined 2016 (no number needed), a cadre;
	// phone and QQ typed as numbers, 任现职年月 as an Excel date (serial
	// 45536 is 2024-09-01).
	rowQian = sheetRow{name: "钱二", id: idWith("33010620040820022"), fields: map[string]string{
		"民族": "回族", "政治面貌": "中共预备党员", "文化程度": "普通本科在读", "入团年月": "2016-04", "是否团干部": "是",
		"微博": "qian_er", "现任团内职务": "组织委员", "团干部性质": "兼职", "是否同级党委（支部）成员": "是"},
		numbers: map[string]int64{"手机号码": 13712345678, "QQ": 987654321, "任现职年月": 45536},
		shown:   map[string]string{"任现职年月": "2024-09"}}
)

// R-M4, R-X2, R-X3, R-X1, R-M2: member import of the national template.
func TestMemberImport_R_M4_R_X2_R_X3(t *testing.T) {
	t.Run("all rows good", func(t *testing.T) {
		h := initStore(t)
		buildTree(t, h)
		file := filepath.Join(t.TempDir(), "团员导入.xlsx")
		good := []sheetRow{rowZhao, rowQian}
		fillTemplate(t, file, good)

		r := obj(t, mustOK(t, h.as(adminID, "member", "import", file, "--org", branch2)).stdout)
		if num(r, "imported") != 2 || num(r, "skipped") != 0 || str(r, "org") != branch2 {
			t.Fatalf("import result %v; want imported 2, skipped 0, org %s", r, branch2)
		}
		if bad, ok := r["bad_rows"].([]any); !ok || len(bad) != 0 {
			t.Errorf("bad_rows = %v, want []", r["bad_rows"])
		}

		list := listByID(t, h, branch2)
		if len(list) != len(good) {
			t.Fatalf("member list --org %s: %d members, want %d: %v", branch2, len(list), len(good), list)
		}
		derived := map[string][3]string{ // gender, birth, age
			rowZhao.id: {"男", "2005-03-15", "20"},
			rowQian.id: {"女", "2004-08-20", "20"},
		}
		for _, row := range good {
			m := list[row.id]
			if m == nil {
				t.Errorf("%s (%s) not in member list after the import", row.name, row.id)
				continue
			}
			d := derived[row.id]
			if str(m, "name") != row.name || str(m, "org_path") != branch2 || str(m, "status") != "在团" ||
				str(m, "gender") != d[0] || str(m, "birth") != d[1] || strconv.FormatInt(num(m, "age"), 10) != d[2] {
				t.Errorf("%s: name/org_path/status/gender/birth/age = %q %q %q %q %q %v; want %s %s 在团 %s %s %s",
					row.name, str(m, "name"), str(m, "org_path"), str(m, "status"), str(m, "gender"), str(m, "birth"), m["age"],
					row.name, branch2, d[0], d[1], d[2])
			}
			for _, col := range templateHeader[2:] {
				key := fieldKeys[col]
				want := row.want(col)
				var got string
				switch v := m[key].(type) {
				case bool:
					got = map[bool]string{true: "是", false: "否"}[v]
					if want == "" {
						want = "否"
					}
				case string:
					got = v
				default:
					t.Errorf("%s: %s (%s) is %T %v", row.name, col, key, m[key], m[key])
					continue
				}
				if got != want {
					t.Errorf("%s: %s (%s) = %q, want %q", row.name, col, key, got, want)
				}
			}
		}
		// The others are untouched: the first branch is still empty.
		if l := listByID(t, h, branch); len(l) != 0 {
			t.Errorf("%s has %d members after importing into %s", branch, len(l), branch2)
		}

		// R-X3: the same file again enters nobody twice, with or without
		// --skip-bad; each row says the member is already in this branch.
		before := snapshot(t, h)
		for _, skip := range [][]string{nil, {"--skip-bad"}} {
			r := h.as(adminID, append([]string{"member", "import", file, "--org", branch2}, skip...)...)
			if r.code != 1 || r.stdout != "" {
				t.Fatalf("re-import %v: want exit 1 and nothing on stdout, got %s", skip, r)
			}
			for i, row := range good {
				if !strings.Contains(r.stderr, "第 "+strconv.Itoa(i+2)+" 行 "+row.name) || !strings.Contains(r.stderr, "已在本团支部") {
					t.Errorf("re-import %v: row %d (%s) not reported as already in the branch:\n%s", skip, i+2, row.name, r.stderr)
				}
			}
		}
		if after := snapshot(t, h); after != before {
			t.Errorf("a refused re-import changed the store:\nbefore %s\nafter %s", before, after)
		}
	})

	t.Run("bad rows refuse the file, --skip-bad imports the good ones", func(t *testing.T) {
		h := initStore(t)
		buildTree(t, h)
		addMembers(t, h) // 张三 (m1ID) and 李四 (m2ID, 团员编号 201800000001) in the first branch

		cases := []struct {
			row      sheetRow
			problem  string // "" for a good row; else part of its Chinese reason
			existing string // where a registered member already is (R-X3)
		}{
			{row: rowZhao},
			{row: sheetRow{name: "孙三", id: badCheck("33010220050601033"), fields: map[string]string{"入团年月": "2016-05"}},
				problem: "校验位不正确"}, // R-M2
			{row: sheetRow{name: "李重", id: rowZhao.id, fields: map[string]string{"入团年月": "2016-05"}},
				problem: "身份证号与第 2 行重复"}, // the same person twice in the file
			{row: sheetRow{name: "张三", id: m1ID}, problem: "已注册", existing: branch}, // R-X3
			{row: sheetRow{name: "郑七", id: "330102200503150000", numbers: map[string]int64{"身份证号码": 330102200503150000}},
				problem: "身份证号被存成了数字，后几位已丢失"}, // an ID Excel turned into a number (R-X2)
			{row: sheetRow{name: "周五", id: idWith("33010620050909044"), fields: map[string]string{"入团年月": "2019-09", "发展团员编号": "201800000099"}},
				problem: "前 4 位应为入团年份 2019"}, // R-X1, strict from 2019
			{row: sheetRow{name: "吴六", id: idWith("33010220041111055"), fields: map[string]string{"入团年月": "2018-03", "发展团员编号": "201800000001"}},
				problem: "团员编号 201800000001 已被“李四”"}, // R-X1: a duplicate number
			{row: rowQian},
		}
		var rows []sheetRow
		bad := map[int]int{} // Excel row number → case index
		var goodIDs []string
		for i, c := range cases {
			rows = append(rows, c.row)
			if c.problem != "" {
				bad[i+2] = i
			} else {
				goodIDs = append(goodIDs, c.row.id)
			}
		}
		file := filepath.Join(t.TempDir(), "团员导入.xlsx")
		fillTemplate(t, file, rows)

		// Without --skip-bad: exit 1, every bad row on stderr with its row
		// number and reason, then the sentence; nothing imported.
		before := snapshot(t, h)
		r := h.as(adminID, "member", "import", file, "--org", branch2)
		if r.code != 1 || r.stdout != "" {
			t.Fatalf("a file with bad rows: want exit 1 and nothing on stdout, got %s", r)
		}
		lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
		if len(lines) != len(bad)+1 {
			t.Fatalf("stderr has %d lines, want one per bad row (%d) and the refusal:\n%s", len(lines), len(bad), r.stderr)
		}
		for _, line := range lines[:len(bad)] {
			var n int
			if !strings.HasPrefix(line, "第 ") {
				t.Errorf("bad-row line without its row number: %q", line)
				continue
			}
			n, _ = strconv.Atoi(strings.Fields(line)[1])
			i, ok := bad[n]
			if !ok {
				t.Errorf("line names row %d, which is not a bad row: %q", n, line)
				continue
			}
			delete(bad, n)
			c := cases[i]
			if !strings.Contains(line, c.row.name) || !strings.Contains(line, c.problem) {
				t.Errorf("row %d: %q should name %s and say %q", n, line, c.row.name, c.problem)
			}
			if c.existing != "" && !strings.Contains(line, "组织关系转入") {
				t.Errorf("row %d: a registered member should be offered a transfer in (R-X3): %q", n, line)
			}
		}
		for n := range bad {
			t.Errorf("bad row %d (%s) not reported on stderr:\n%s", n, cases[n-2].row.name, r.stderr)
		}
		last := lines[len(lines)-1]
		for _, part := range []string{"6 行有问题", "共 8 行", "都没有导入"} {
			if !strings.Contains(last, part) {
				t.Errorf("refusal %q should say %q", last, part)
			}
		}
		if after := snapshot(t, h); after != before {
			t.Errorf("a refused import changed the store:\nbefore %s\nafter %s", before, after)
		}
		if l := listByID(t, h, branch2); len(l) != 0 {
			t.Errorf("refused import left %d members in %s", len(l), branch2)
		}

		// With --skip-bad: the good rows only, the bad ones reported.
		out := obj(t, mustOK(t, h.as(adminID, "member", "import", file, "--org", branch2, "--skip-bad")).stdout)
		if num(out, "imported") != 2 || num(out, "skipped") != 6 || str(out, "org") != branch2 {
			t.Fatalf("--skip-bad result %v; want imported 2, skipped 6", out)
		}
		badRows, _ := out["bad_rows"].([]any)
		if len(badRows) != 6 {
			t.Fatalf("bad_rows = %v, want 6", out["bad_rows"])
		}
		for _, x := range badRows {
			b, _ := x.(map[string]any)
			n := int(num(b, "row"))
			if n < 2 || n-2 >= len(cases) || cases[n-2].problem == "" {
				t.Errorf("bad_rows names row %d, which is good or absent: %v", n, b)
				continue
			}
			c := cases[n-2]
			probs, _ := b["problems"].([]any)
			joined := ""
			for _, p := range probs {
				s, _ := p.(string)
				joined += s + "；"
			}
			if str(b, "name") != c.row.name || str(b, "id_no") != c.row.id || !strings.Contains(joined, c.problem) ||
				str(b, "existing") != c.existing {
				t.Errorf("bad row %d = %v; want name %s, id_no %s, a problem with %q, existing %q",
					n, b, c.row.name, c.row.id, c.problem, c.existing)
			}
		}
		list := listByID(t, h, branch2)
		if len(list) != len(goodIDs) {
			t.Errorf("%s has %d members after --skip-bad, want %d: %v", branch2, len(list), len(goodIDs), list)
		}
		for _, id := range goodIDs {
			if list[id] == nil {
				t.Errorf("good row %s not imported by --skip-bad", id)
			}
		}
		// The registered member stayed where they were (R-X3: not entered twice).
		if m := obj(t, mustOK(t, h.as(adminID, "member", "show", m1ID)).stdout); str(m, "org_path") != branch {
			t.Errorf("张三 moved to %s by the import", str(m, "org_path"))
		}
		if l := listByID(t, h, branch); len(l) != 2 {
			t.Errorf("%s has %d members, want its 2", branch, len(l))
		}
	})

	t.Run("files and command lines it cannot take", func(t *testing.T) {
		h := initStore(t)
		buildTree(t, h)
		addMembers(t, h)
		dir := t.TempDir()
		write := func(name string, b []byte) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
		var docx bytes.Buffer
		zw := zip.NewWriter(&docx)
		w, _ := zw.Create("word/document.xml")
		w.Write([]byte(`<?xml version="1.0"?><w:document/>`))
		zw.Close()
		wrongHeader := filepath.Join(dir, "表头不对.xlsx")
		{
			f := excelize.NewFile()
			f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号码", "爱好"})
			f.SetSheetRow("Sheet1", "A2", &[]any{"赵一", rowZhao.id, "篮球"})
			if err := f.SaveAs(wrongHeader); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
		emptyTemplate := filepath.Join(dir, "空模板.xlsx")
		fillTemplate(t, emptyTemplate, nil)

		before := snapshot(t, h)
		for _, c := range []struct {
			what, file, want string
		}{
			{"CSV renamed .xlsx", write("名单.xlsx", []byte("姓名,身份证号码\n赵一,"+rowZhao.id+"\n")), "文本（CSV）"},
			{"web page renamed .xls", write("名单.xls", []byte("<html><body><table><tr><td>姓名</td></tr></table></body></html>")), "网页（HTML）"},
			{"empty file", write("空.xlsx", nil), "文件是空的"},
			{"Word document", write("名单.docx", docx.Bytes()), "Word 文档"},
			{"header not the template's", wrongHeader, "模板中没有的列：爱好"},
			{"template without rows", emptyTemplate, "没有任何团员数据"},
			{"missing file", filepath.Join(dir, "不存在.xlsx"), "无法打开文件"},
		} {
			msg := mustRefuse(t, h.as(adminID, "member", "import", c.file, "--org", branch2))
			if !strings.Contains(msg, c.want) {
				t.Errorf("%s: refusal %q should say %q", c.what, msg, c.want)
			}
		}
		// Members go into a 团支部 only (R-O1).
		good := filepath.Join(dir, "好.xlsx")
		fillTemplate(t, good, []sheetRow{rowZhao})
		if msg := mustRefuse(t, h.as(adminID, "member", "import", good, "--org", college)); !strings.Contains(msg, "团支部") {
			t.Errorf("import into a 团委: %q should say it takes a 团支部", msg)
		}
		// Usage errors: exit 2.
		mustUsage(t, h.as(adminID, "member", "import", good))
		mustUsage(t, h.as(adminID, "member", "import", good, "--org"))
		mustUsage(t, h.as(adminID, "member", "import", "--org", branch2))
		mustUsage(t, h.as(adminID, "member", "import", good, good, "--org", branch2))
		mustUsage(t, h.as(adminID, "member", "import", good, "--org", branch2, "--skip-broken"))
		if after := snapshot(t, h); after != before {
			t.Errorf("a refused import changed the store:\nbefore %s\nafter %s", before, after)
		}

		// R-X2: a file named .xls that is really xlsx imports.
		xls := filepath.Join(dir, "团员导入.xls")
		fillTemplate(t, xls+"x", []sheetRow{rowZhao})
		if err := os.Rename(xls+"x", xls); err != nil {
			t.Fatal(err)
		}
		r := obj(t, mustOK(t, h.as(adminID, "member", "import", xls, "--org", branch2)).stdout)
		if num(r, "imported") != 1 {
			t.Errorf("an xlsx named .xls: %v, want imported 1", r)
		}
		if l := listByID(t, h, branch2); len(l) != 1 || l[rowZhao.id] == nil {
			t.Errorf("after importing the .xls-named file %s holds %v", branch2, l)
		}
	})
}

// member export: the roster, IDs masked unless --full-ids; an existing
// file is never overwritten.
func TestMemberExport(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	m3ID := idWith("33010620040820022") // female, born 2004-08-20
	mustOK(t, h.as(adminID, "member", "add", "--org", branch2, "--name", "钱二", "--id", m3ID,
		"--field", "民族=回族", "--field", "入团年月=2019-05", "--field", "团员编号=201900000033"))

	wantHeader := append(append([]string{"序号", "所在组织", "姓名", "身份证号码", "性别", "出生日期", "年龄"},
		templateHeader[2:]...), "发展日期", "团籍状态")
	type person struct{ name, id, org, gender, birth, age, ethnicity, join, phone, no string }
	people := map[string]person{
		m1ID: {"张三", m1ID, branch, "男", "2002-07-01", "22", "汉族", "2016-05", "13800138000", ""},
		m2ID: {"李四", m2ID, branch, "女", "2003-05-12", "22", "", "2018-05", "", "201800000001"},
		m3ID: {"钱二", m3ID, branch2, "女", "2004-08-20", "20", "回族", "2019-05", "", "201900000033"},
	}
	masked := func(id string) string { return id[:6] + "********" + id[14:] }

	dir := t.TempDir()
	for _, c := range []struct {
		what    string
		org     string
		fullIDs bool
		ids     []string
	}{
		{"a committee's whole subtree", college, false, []string{m1ID, m2ID, m3ID}},
		{"one branch", branch2, false, []string{m3ID}},
		{"full IDs", branch, true, []string{m1ID, m2ID}},
		{"the root", rootName, false, []string{m1ID, m2ID, m3ID}},
	} {
		out := filepath.Join(dir, c.what+".xlsx")
		args := []string{"member", "export", "--org", c.org, "--out", out}
		if c.fullIDs {
			args = append(args, "--full-ids")
		}
		r := obj(t, mustOK(t, h.as(adminID, args...)).stdout)
		if str(r, "out") != out || num(r, "members") != int64(len(c.ids)) || str(r, "org") != c.org {
			t.Errorf("%s: export result %v; want out %s, members %d, org %s", c.what, r, out, len(c.ids), c.org)
		}
		sheet, rows := sheetRows(t, out)
		if sheet != "团员名册" {
			t.Errorf("%s: sheet %q, want 团员名册", c.what, sheet)
		}
		if len(rows) < 2 {
			t.Fatalf("%s: roster has %d rows: %v", c.what, len(rows), rows)
		}
		if len(rows[0]) == 0 || rows[0][0] != c.org+" 团员名册" {
			t.Errorf("%s: title row %q, want %q", c.what, rows[0], c.org+" 团员名册")
		}
		if !reflect.DeepEqual(rows[1], wantHeader) {
			t.Errorf("%s: header\n%q\nwant\n%q", c.what, rows[1], wantHeader)
		}
		data := rows[2:]
		if len(data) != len(c.ids) {
			t.Fatalf("%s: %d member rows, want %d: %v", c.what, len(data), len(c.ids), data)
		}
		byName := map[string]map[string]string{}
		for i, row := range data {
			cells := map[string]string{}
			for j, col := range wantHeader {
				if j < len(row) {
					cells[col] = row[j]
				}
			}
			if cells["序号"] != strconv.Itoa(i+1) {
				t.Errorf("%s: row %d 序号 %q", c.what, i+3, cells["序号"])
			}
			byName[cells["姓名"]] = cells
		}
		for _, id := range c.ids {
			p := people[id]
			got := byName[p.name]
			if got == nil {
				t.Errorf("%s: %s missing from the roster", c.what, p.name)
				continue
			}
			wantID := masked(id)
			if c.fullIDs {
				wantID = id
			}
			want := map[string]string{"身份证号码": wantID, "所在组织": p.org, "性别": p.gender, "出生日期": p.birth, "年龄": p.age,
				"民族": p.ethnicity, "入团年月": p.join, "手机号码": p.phone, "发展团员编号": p.no, "政治面貌": "共青团员",
				"是否团干部": "否", "团籍状态": "在团"}
			for col, v := range want {
				if got[col] != v {
					t.Errorf("%s: %s %s = %q, want %q", c.what, p.name, col, got[col], v)
				}
			}
			if !c.fullIDs && strings.Contains(strings.Join(flatten(rows), "|"), id) {
				t.Errorf("%s: the full ID %s is in a masked roster", c.what, id)
			}
		}
	}

	// An existing file is refused, never overwritten: a file of the user's,
	// and a roster written above.
	mine := filepath.Join(dir, "我的名册.xlsx")
	keep := []byte("不要覆盖我")
	if err := os.WriteFile(mine, keep, 0o644); err != nil {
		t.Fatal(err)
	}
	written := filepath.Join(dir, "one branch.xlsx")
	writtenBytes, err := os.ReadFile(written)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		was  []byte
	}{{mine, keep}, {written, writtenBytes}} {
		msg := mustRefuse(t, h.as(adminID, "member", "export", "--org", college, "--out", c.path))
		if !strings.Contains(msg, "已存在") {
			t.Errorf("export onto %s: refusal %q should say the file exists", c.path, msg)
		}
		if b, err := os.ReadFile(c.path); err != nil || !bytes.Equal(b, c.was) {
			t.Errorf("export onto an existing file changed it (%d bytes, was %d; %v)", len(b), len(c.was), err)
		}
		if _, err := os.Stat(c.path + ".part"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a refused export left %s.part behind", c.path)
		}
	}
	// A folder that does not exist: refused in Chinese, nothing written.
	nowhere := filepath.Join(dir, "没有这个文件夹", "名册.xlsx")
	if msg := mustRefuse(t, h.as(adminID, "member", "export", "--org", college, "--out", nowhere)); !strings.Contains(msg, "无法写入") {
		t.Errorf("export into a missing folder: %q", msg)
	}
	// Unknown organization; usage errors.
	mustRefuse(t, h.as(adminID, "member", "export", "--org", rootName+"/不存在团委", "--out", filepath.Join(dir, "x.xlsx")))
	mustUsage(t, h.as(adminID, "member", "export", "--org", college))
	mustUsage(t, h.as(adminID, "member", "export", "--out", filepath.Join(dir, "y.xlsx")))
	for _, name := range []string{"x.xlsx", "y.xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a refused export wrote %s", name)
		}
	}
}

// R-E1: member report-error, then report errors exports 附件3 with
// 所在组织 | 姓名 | 身份证号 | 备注 and full IDs.
func TestReportWrongEntries_R_E1(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	dir := t.TempDir()
	header := []string{"所在组织", "姓名", "身份证号", "备注"}
	const title = "信息录入错误团员需上报删除的信息汇总表"

	export := func(name string, want [][]string) {
		t.Helper()
		out := filepath.Join(dir, name)
		r := obj(t, mustOK(t, h.as(adminID, "report", "errors", "--out", out)).stdout)
		if str(r, "out") != out || num(r, "rows") != int64(len(want)) {
			t.Errorf("report errors result %v; want out %s, rows %d", r, out, len(want))
		}
		sheet, rows := sheetRows(t, out)
		if sheet != "附件3" {
			t.Errorf("sheet %q, want 附件3", sheet)
		}
		if len(rows) < 2 || len(rows[0]) == 0 || rows[0][0] != title || !reflect.DeepEqual(rows[1], header) {
			t.Fatalf("附件3 title and header: %q; want %q then %q", rows, title, header)
		}
		if got := rows[2:]; !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("附件3 rows\n%q\nwant\n%q", got, want)
		}
	}

	// Nobody reported yet: the table is empty.
	export("附件3-空.xlsx", nil)

	var want [][]string
	for _, c := range []struct {
		id, name, kind, remark string
	}{
		{m1ID, "张三", "身份证", "身份证信息录入错误"},
		{m2ID, "李四", "姓名", "姓名录入错误"},
	} {
		r := obj(t, mustOK(t, h.as(adminID, "member", "report-error", c.id, "--kind", c.kind)).stdout)
		if str(r, "id_no") != c.id || str(r, "name") != c.name || str(r, "error_kind") != c.remark {
			t.Errorf("report-error %s --kind %s: %v; want error_kind %s", c.name, c.kind, r, c.remark)
		}
		want = append(want, []string{branch, c.name, c.id, c.remark})
		export("附件3-"+c.name+".xlsx", want)
	}

	// Refusals leave the store as it was and write nothing.
	before := snapshot(t, h)
	if msg := mustRefuse(t, h.as(adminID, "member", "report-error", m1ID, "--kind", "民族")); !strings.Contains(msg, "身份证") {
		t.Errorf("report-error with an unknown kind: %q", msg)
	}
	mustRefuse(t, h.as(adminID, "member", "report-error", idWith("33010220040101003"), "--kind", "姓名"))
	mustUsage(t, h.as(adminID, "member", "report-error", m1ID))
	existing := filepath.Join(dir, "附件3-张三.xlsx")
	was, err := os.ReadFile(existing)
	if err != nil {
		t.Fatal(err)
	}
	if msg := mustRefuse(t, h.as(adminID, "report", "errors", "--out", existing)); !strings.Contains(msg, "已存在") {
		t.Errorf("report errors onto an existing file: %q", msg)
	}
	if b, _ := os.ReadFile(existing); !bytes.Equal(b, was) {
		t.Errorf("report errors overwrote %s", existing)
	}
	mustUsage(t, h.as(adminID, "report", "errors"))
	mustUsage(t, h.as(adminID, "report", "--out", filepath.Join(dir, "z.xlsx")))
	if after := snapshot(t, h); after != before {
		t.Errorf("a refused command changed the store:\nbefore %s\nafter %s", before, after)
	}

	// Once the upper level has deleted 李四, the branch confirms it: 李四
	// leaves the list and 附件3, and can be entered again with correct data.
	r := obj(t, mustOK(t, h.as(adminID, "member", "confirm-deleted", m2ID)).stdout)
	if r["deleted"] != true || str(r, "id_no") != m2ID || str(r, "org") != branch {
		t.Errorf("confirm-deleted: %v", r)
	}
	if l := listByID(t, h, branch); len(l) != 1 || l[m2ID] != nil {
		t.Errorf("after confirm-deleted %s lists %v", branch, l)
	}
	export("附件3-确认后.xlsx", want[:1])
	mustOK(t, h.as(adminID, "member", "add", "--org", branch, "--name", "李思", "--id", m2ID,
		"--field", "入团年月=2018-05", "--field", "团员编号=201800000001"))
}
