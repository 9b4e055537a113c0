package cli_test

// report abroad --out FILE.xlsx: the register of the members in the
// colleges' 出国(境)学习研究团员团支部 (R-T2, 登记造册), end to end through
// cli.Run on the demo university; the workbook is opened back with excelize.

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"tuanwu/app"
)

// The 出国(境)学习研究团员团支部 of the two test colleges: the demo has one in
// 信息与电子工程学院; the test adds one to 经济学院.
const (
	abBranchX = tCollege + "/出国(境)学习研究团员团支部"
	abBranchY = tColY + "/出国(境)学习研究团员团支部"
)

var (
	abDirect      = idWith("11010120020618004") // 赵六, entered into the branch directly
	abBranchAdmin = idWith("31010119900404004") // administrator of 2021级转接测试2班团支部
)

var abHeader = []string{"序号", "姓名", "身份证号", "所在学院", "原团支部", "境外学习研究地点", "期限", "境内联系人", "联系方式", "批准日期", "备注"}

const abTitle = "出国（境）学习研究团员登记册"

// abExport runs report abroad --out as id and returns the data rows of the
// workbook, after checking the --json result, the sheet, title and header.
func abExport(t *testing.T, h *harness, id, out string) [][]string {
	t.Helper()
	r := obj(t, mustOK(t, h.as(id, "report", "abroad", "--out", out)).stdout)
	sheet, rows := sheetRows(t, out)
	if sheet != abTitle {
		t.Errorf("sheet %q, want %q", sheet, abTitle)
	}
	if len(rows) < 2 || len(rows[0]) == 0 || rows[0][0] != abTitle || !reflect.DeepEqual(rows[1], abHeader) {
		t.Fatalf("register title and header: %q; want %q then %q", rows, abTitle, abHeader)
	}
	if str(r, "out") != out || num(r, "rows") != int64(len(rows)-2) {
		t.Errorf("report abroad result %v; want out %s, rows %d", r, out, len(rows)-2)
	}
	return rows[2:]
}

// TestReportAbroad_R_T2: the college applies for 张三 with the written
// application data, the school committee approves; 李四's application still
// waits; 赵六 is entered into the branch directly; 王五 of 经济学院 goes
// abroad too. The owner's register lists 张三, 赵六 and 王五, the college's
// its own two, with the application fields; a branch admin and a member are
// refused; an existing file is never overwritten.
func TestReportAbroad_R_T2(t *testing.T) {
	h := transferWorld(t)
	owner := app.DemoAdminID
	day, approved := testNow, "2025-07-02"
	dir := t.TempDir()

	// Nothing registered yet: an empty register.
	if rows := abExport(t, h, owner, filepath.Join(dir, "空.xlsx")); len(rows) != 0 {
		t.Fatalf("the empty register has rows %q", rows)
	}

	abroad := func(as, id string, args ...string) string {
		t.Helper()
		list := arr(t, mustOK(t, h.on(day, as, append([]string{"transfer", "start", id, "--reason", "出国（境）学习研究"}, args...)...)).stdout)
		if len(list) != 1 {
			t.Fatalf("transfer start printed %d transfers", len(list))
		}
		return no(list[0])
	}
	n := abroad(tColXAdmin, tSelf, "--place", "英国伦敦帝国理工学院", "--period", "2025-09 至 2026-08", "--contact", "张父",
		"--phone", "13800138000", "--remark", "联合培养硕士")
	if tr := obj(t, mustOK(t, h.on(approved, owner, "transfer", "approve", n)).stdout); str(tr, "state") != "已完成" || str(tr, "to_org") != abBranchX {
		t.Fatalf("after the school's approval: %v", tr)
	}
	abroad(tColXAdmin, tPeer, "--place", "日本东京", "--period", "半年", "--contact", "李父", "--phone", "0571-88888888")
	mustOK(t, h.as(owner, "member", "add", "--org", abBranchX, "--name", "赵六", "--id", abDirect, "--field", "入团年月=2016-05"))
	mustOK(t, h.as(owner, "org", "add", "--parent", tColY, "--name", "出国(境)学习研究团员团支部", "--kind", "团支部",
		"--category", "出国(境)学习研究团员团支部"))
	w := abroad(tColYAdmin, tYMember, "--place", "德国慕尼黑工业大学", "--period", "2025-10 至 2026-03", "--contact", "王父", "--phone", "13900139000")
	mustOK(t, h.on(approved, owner, "transfer", "approve", w))

	// The sheet's columns after 序号; trailing empty cells are not read back.
	zhang := []string{"张三", tSelf, tCollege, tBranch, "英国伦敦帝国理工学院", "2025-09 至 2026-08", "张父", "13800138000", approved, "联合培养硕士"}
	zhao := []string{"赵六", abDirect, tCollege}
	wang := []string{"王五", tYMember, tColY, tBranchY, "德国慕尼黑工业大学", "2025-10 至 2026-03", "王父", "13900139000", approved}
	numbered := func(rows ...[]string) [][]string {
		var out [][]string
		for i, r := range rows {
			out = append(out, append([]string{itoa(i + 1)}, r...))
		}
		return out
	}

	// The college sees its own two, by branch then in entry order.
	got := abExport(t, h, tColXAdmin, filepath.Join(dir, "信息学院.xlsx"))
	if want := numbered(zhang, zhao); !reflect.DeepEqual(got, want) {
		t.Fatalf("信息与电子工程学院's register\n%q\nwant\n%q", got, want)
	}
	if got := abExport(t, h, tColYAdmin, filepath.Join(dir, "经济学院.xlsx")); !reflect.DeepEqual(got, numbered(wang)) {
		t.Fatalf("经济学院's register\n%q\nwant\n%q", got, numbered(wang))
	}
	// The owner sees all three, numbered 1..3, whichever college comes first.
	got = abExport(t, h, owner, filepath.Join(dir, "全校.xlsx"))
	byID := map[string][]string{}
	for i, r := range got {
		if len(r) < 3 || r[0] != itoa(i+1) {
			t.Fatalf("row %d of the school's register is %q", i+1, r)
		}
		byID[r[2]] = r[1:]
	}
	for _, want := range [][]string{zhang, zhao, wang} {
		if g := byID[want[1]]; !reflect.DeepEqual(g, want) {
			t.Errorf("the school's register has %q for %s, want %q", g, want[0], want)
		}
	}
	if len(got) != 3 {
		t.Errorf("the school's register has %d rows, want 3 (李四's application still waits): %q", len(got), got)
	}

	// Text output names the file and the count.
	out := filepath.Join(dir, "文本.xlsx")
	r := mustOK(t, h.raw("report", "abroad", "--out", out, "--db", h.db, "--as", tColXAdmin, "--now", day))
	if !strings.Contains(r.stdout, "出国（境）学习研究团员登记册") || !strings.Contains(r.stdout, "2 人") || !strings.Contains(r.stdout, out) {
		t.Errorf("report abroad text output: %q", r.stdout)
	}

	// Refusals write nothing and change nothing.
	mustOK(t, h.as(owner, "cadre", "add", "--org", tBranchY, "--id", abBranchAdmin, "--name", "郑老师", "--post", "书记"))
	mustOK(t, h.as(owner, "admin", "add", "--org", tBranchY, "--id", abBranchAdmin))
	h.passwdAs(abBranchAdmin)
	before := tsnap(t, h)
	for _, c := range []struct{ who, id string }{{"a branch admin", abBranchAdmin}, {"a member", tSelf}} {
		path := filepath.Join(dir, c.who+".xlsx")
		if msg := mustRefuse(t, h.as(c.id, "report", "abroad", "--out", path)); !strings.Contains(msg, "登记册") {
			t.Errorf("%s: refusal %q does not name the register", c.who, msg)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s: a refused export wrote %s", c.who, path)
		}
	}
	existing := filepath.Join(dir, "全校.xlsx")
	was, err := os.ReadFile(existing)
	if err != nil {
		t.Fatal(err)
	}
	if msg := mustRefuse(t, h.as(owner, "report", "abroad", "--out", existing)); !strings.Contains(msg, "已存在") {
		t.Errorf("report abroad onto an existing file: %q", msg)
	}
	if b, _ := os.ReadFile(existing); !bytes.Equal(b, was) {
		t.Errorf("report abroad overwrote %s", existing)
	}
	mustUsage(t, h.as(owner, "report", "abroad"))
	mustUsage(t, h.as(owner, "report", "abroad", "--out", filepath.Join(dir, "x.xlsx"), "extra"))
	r = h.as(owner, "report", "bogus", "--out", filepath.Join(dir, "y.xlsx"))
	mustUsage(t, r)
	if !strings.Contains(r.stderr, "report errors") || !strings.Contains(r.stderr, "report abroad") {
		t.Errorf("the report usage must list errors and abroad: %q", r.stderr)
	}
	if tsnap(t, h) != before {
		t.Fatalf("a refused report changed the store")
	}
}
