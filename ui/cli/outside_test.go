package cli_test

// The second revision of CLI.md, beyond this store (R-W1..R-W6), driven as
// it is written, on a school's own store set up with init.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
)

const pku = "共青团北京大学信息科学技术学院委员会"

// at runs a command as the admin on day with --json.
func (h *harness) at(day string, args ...string) result {
	h.t.Helper()
	return h.raw(append(args, "--db", h.db, "--as", adminID, "--now", day, "--json")...)
}

// outsideSchool is a school's store: 信息学院团委 with two branches, the
// first marked for 2025-06 with 张三 and 李四.
func outsideSchool(t *testing.T) *harness {
	t.Helper()
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	mustOK(t, h.as(adminID, "grad", "mark", branch, "--month", "2025-06"))
	return h
}

func TestTransferToOutsideCLI_R_W1_R_W2_R_W3(t *testing.T) {
	h := outsideSchool(t)
	r := mustOK(t, h.at("2025-06-01", "transfer", "start", m1ID, "--reason", "升学", "--outside", pku, "--unit", "北京大学", "--address", "北京市海淀区颐和园路5号"))
	list := arr(t, r.stdout)
	if len(list) != 1 || str(list[0], "to_org") != pku || list[0]["to_outside"] != true {
		t.Fatalf("transfer start --outside: %v", list)
	}
	no := itoa(int(num(list[0], "no")))
	steps, _ := list[0]["steps"].([]any)
	st, _ := steps[0].(map[string]any)
	if len(steps) != 1 || str(st, "kind") != "转入审批" || st["outside"] != true {
		t.Fatalf("R-W2 steps: %v", steps)
	}

	// Bad inputs: one Chinese sentence, exit 1, nothing written.
	before := tsnap(t, h)
	for _, c := range []struct {
		what string
		args []string
	}{
		{"empty outside name", []string{"transfer", "start", m2ID, "--reason", "升学", "--outside", "", "--unit", "x", "--address", "y"}},
		{"200-character outside name", []string{"transfer", "start", m2ID, "--reason", "升学", "--outside", strings.Repeat("团", 200), "--unit", "x", "--address", "y"}},
		{"outside name of this store", []string{"transfer", "start", m2ID, "--reason", "升学", "--outside", "信息学院团委", "--unit", "x", "--address", "y"}},
		{"--outside with --to", []string{"transfer", "start", m2ID, "--reason", "升学", "--outside", pku, "--to", branch2, "--unit", "x", "--address", "y"}},
		{"approve an outside step", []string{"transfer", "approve", no}},
		{"confirm in the future", []string{"transfer", "confirm", no, "--date", "2025-06-20"}},
		{"confirm before the transfer began", []string{"transfer", "confirm", no, "--date", "2025-05-30"}},
		{"--left with --find", []string{"member", "list", "--org", college, "--left", "--find", "张"}},
		{"delete a branch with an active member", []string{"org", "delete", branch}},
	} {
		msg := mustRefuse(t, h.at("2025-06-05", c.args...))
		if after := tsnap(t, h); after != before {
			t.Fatalf("%s (%s) changed the store", c.what, msg)
		}
	}

	r = mustOK(t, h.at("2025-06-05", "transfer", "confirm", no, "--date", "2025-06-04", "--note", "电话确认"))
	tr := obj(t, r.stdout)
	steps, _ = tr["steps"].([]any)
	st, _ = steps[0].(map[string]any)
	if str(tr, "state") != "已完成" || str(st, "outcome") != "对方已同意" || str(st, "learned_on") != "2025-06-04" || str(st, "note") != "电话确认" {
		t.Fatalf("R-W2 transfer confirm: %v", tr)
	}
	mustRefuse(t, h.at("2025-06-05", "transfer", "confirm", no)) // finished

	// R-W3: 已转出, with where to; off the active list; listed with --left.
	m := obj(t, mustOK(t, h.at("2025-06-05", "member", "show", m1ID)).stdout)
	if str(m, "status") != "已转出" || str(m, "destination") != pku {
		t.Fatalf("R-W3 member show: %v", m)
	}
	left, _ := m["left"].(map[string]any)
	if str(left, "left_from") != branch || num(left, "left_transfer") != num(tr, "no") {
		t.Fatalf("R-W3 member show left: %v", left)
	}
	for _, a := range arr(t, mustOK(t, h.at("2025-06-05", "member", "list", "--org", college)).stdout) {
		if str(a, "id_no") == m1ID {
			t.Fatal("R-W3: the member who left is on the active list")
		}
	}
	gone := arr(t, mustOK(t, h.at("2025-06-05", "member", "list", "--org", college, "--left")).stdout)
	if len(gone) != 1 || str(gone[0], "id_no") != m1ID || str(gone[0], "status") != "已转出" {
		t.Fatalf("R-W3 member list --left: %v", gone)
	}
	dir := arr(t, mustOK(t, h.at("2025-06-05", "org", "outside", "--province-scope", "北京")).stdout)
	if len(dir) != 1 || str(dir[0], "name") != pku || str(dir[0], "province") != "北京" {
		t.Fatalf("R-W1 org outside: %v", dir)
	}
	if len(arr(t, mustOK(t, h.at("2025-06-05", "org", "outside", "--province-scope", "否")).stdout)) != 0 {
		t.Error("R-O3: the national search shows a 北京 organization")
	}

	// 李四 leaves too; the emptied branch is deleted; the records keep its path.
	r = mustOK(t, h.at("2025-06-05", "transfer", "start", m2ID, "--reason", "已落实工作单位（有团组织）", "--outside", "杭州未来科技有限公司团委",
		"--province", "浙江", "--unit", "杭州未来科技有限公司", "--address", "杭州市余杭区"))
	no2 := itoa(int(num(arr(t, r.stdout)[0], "no")))
	mustOK(t, h.at("2025-06-21", "sweep")) // 15 days: approved by default
	tr2 := obj(t, mustOK(t, h.at("2025-06-21", "transfer", "show", no2)).stdout)
	steps, _ = tr2["steps"].([]any)
	if st, _ := steps[0].(map[string]any); str(tr2, "state") != "已完成" || str(st, "outcome") != "系统默认通过" {
		t.Fatalf("R-T4 outside default: %v", tr2)
	}
	mustOK(t, h.at("2025-06-21", "org", "delete", branch))
	m = obj(t, mustOK(t, h.at("2025-06-21", "member", "show", m2ID)).stdout)
	if left, _ := m["left"].(map[string]any); str(m, "status") != "已转出" || str(left, "left_from") != branch {
		t.Fatalf("R-W3 after the branch was deleted: %v", m)
	}
	if len(arr(t, mustOK(t, h.at("2025-06-21", "member", "list", "--org", college, "--left")).stdout)) != 2 {
		t.Fatal("R-W3: both members who left are listed under the college")
	}
}

func TestTransferInFromOutsideCLI_R_W4(t *testing.T) {
	h := outsideSchool(t)
	fresh := idWith("33010620070901001")
	before := tsnap(t, h)
	for _, c := range []struct {
		what string
		args []string
	}{
		{"active member from outside", []string{"transfer", "pull", "--name", "张三", "--id", m1ID, "--reason", "升学", "--to", branch2, "--from-outside", "杭州市第十四中学团委"}},
		{"bad check character", []string{"transfer", "pull", "--name", "新生", "--id", badCheck("33010620070901001"), "--reason", "升学", "--to", branch2, "--from-outside", "杭州市第十四中学团委"}},
		{"unknown person without --from-outside", []string{"transfer", "pull", "--name", "新生", "--id", fresh, "--reason", "升学", "--to", branch2}},
	} {
		mustRefuse(t, h.at("2025-09-01", c.args...))
		if tsnap(t, h) != before {
			t.Fatalf("%s changed the store", c.what)
		}
	}
	mustUsage(t, h.at("2025-09-01", "transfer", "start", m1ID, "--reason", "升学", "--from-outside", "某中学团委"))

	r := mustOK(t, h.at("2025-09-01", "transfer", "pull", "--name", "新生", "--id", fresh, "--reason", "升学", "--to", branch2, "--from-outside", "杭州市第十四中学团委"))
	tr := obj(t, r.stdout)
	if str(tr, "from_org") != "杭州市第十四中学团委" || tr["from_outside"] != true {
		t.Fatalf("R-W4 transfer pull --from-outside: %v", tr)
	}
	mustOK(t, h.at("2025-09-17", "sweep"))
	m := obj(t, mustOK(t, h.at("2025-09-17", "member", "show", fresh)).stdout)
	if str(m, "status") != "在团" || str(m, "org") != branch2 || m["incomplete"] != true {
		t.Fatalf("R-W4 received member: %v", m)
	}
	found := false
	for _, n := range arr(t, mustOK(t, h.at("2025-09-17", "notices")).stdout) {
		found = found || str(n, "kind") == app.NoticeIncomplete
	}
	if !found {
		t.Error("R-W4: notices do not list the incomplete record")
	}
}

func TestSpecialAndGraduatesCLI_R_W5_R_W6(t *testing.T) {
	h := outsideSchool(t)
	r := mustOK(t, h.at("2025-06-01", "transfer", "start", m2ID, "--reason", "转往特殊单位团组织"))
	tr := arr(t, r.stdout)[0]
	steps, _ := tr["steps"].([]any)
	if st, _ := steps[0].(map[string]any); str(st, "kind") != "省级审批" || st["outside"] != true || str(st, "org") != "共青团浙江省委员会" {
		t.Fatalf("R-W5: %v", tr)
	}
	mustOK(t, h.at("2025-06-03", "transfer", "confirm", itoa(int(num(tr, "no")))))

	out := filepath.Join(t.TempDir(), "进度.xlsx")
	rep := obj(t, mustOK(t, h.at("2025-06-03", "report", "graduates", "--year", "2025", "--out", out)).stdout)
	total, _ := rep["total"].(map[string]any)
	if num(total, "graduates") != 2 || num(total, "finished") != 1 || num(total, "not_started") != 1 {
		t.Fatalf("R-W6 report graduates: %v", rep)
	}
	mustRefuse(t, h.at("2025-06-03", "report", "graduates", "--year", "25"))
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open the report: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if !strings.Contains(rows[0][0], "2025 届") || len(last) < 9 || last[2] != "2" || last[3] != "1" || last[8] != "50.0%" {
		t.Fatalf("R-W6 workbook rows: %q", rows)
	}
}
