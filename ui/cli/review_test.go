package cli_test

import (
	"strings"
	"testing"
)

// TestRecordKeepingEdges_R_G4_R_X4_R_X6_R_O2 covers corrections found in
// review: a month mark replacing a reason mark, a cadre entered by cadre add
// keeping their 团籍 past 28, the audit trail of people who are not (or no
// longer) members and of what a college administrator's subtree saw, dates
// of status changes, and the notice's spelling of a branch category.
func TestRecordKeepingEdges_R_G4_R_X4_R_X6_R_O2(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	category := func(path string) string {
		t.Helper()
		for _, o := range arr(t, mustOK(t, h.as(adminID, "org", "list")).stdout) {
			if str(o, "path") == path {
				return str(o, "category")
			}
		}
		t.Fatalf("%s not listed", path)
		return ""
	}

	// R-G4: 教师支部 by mistake, then the month: an ordinary graduating branch again.
	mustOK(t, h.as(adminID, "grad", "mark", branch2, "--reason", "教师支部"))
	if c := category(branch2); c != "教师支部" {
		t.Fatalf("category after the reason mark: %s", c)
	}
	mustOK(t, h.as(adminID, "grad", "mark", branch2, "--month", "2025-06"))
	if c := category(branch2); c != "普通" {
		t.Fatalf("category after correcting to a month: %s", c)
	}
	s := obj(t, mustOK(t, h.raw("sweep", "--db", h.db, "--as", adminID, "--now", "2025-07-01", "--json")).stdout)
	if num(s, "graduated") != 1 || category(branch2) != "毕业生团组织" {
		t.Fatalf("the corrected branch at the switch date: %v, %s", s, category(branch2))
	}

	// R-X4: a member entered as a cadre by cadre add holds a post.
	old := idWith("33010619900101003")
	mustOK(t, h.as(adminID, "member", "add", "--org", branch, "--name", "老书记", "--id", old, "--field", "入团年月=2004-05"))
	mustOK(t, h.as(adminID, "cadre", "add", "--org", branch, "--id", old, "--name", "老书记", "--post", "书记", "--nature", "兼职"))
	m := obj(t, mustOK(t, h.as(adminID, "member", "show", old)).stdout)
	if m["is_cadre"] != true || str(m, "post") != "书记" || str(m, "cadre_nature") != "兼职" {
		t.Fatalf("the member record of a cadre: %v", m)
	}
	before := snapshot(t, h)
	if msg := mustRefuse(t, h.as(adminID, "member", "status", old, "--set", "超龄离团", "--date", "2025-06-01")); !strings.Contains(msg, "团内职务") {
		t.Errorf("超龄离团 of a cadre: %q", msg)
	}
	// Status dates: not before joining, not before the last change.
	for _, date := range []string{"2003-12-31", "1989-01-01"} {
		mustRefuse(t, h.as(adminID, "member", "status", m1ID, "--set", "自愿退团", "--date", date, "--reason", "本人申请"))
	}
	if snapshot(t, h) != before {
		t.Fatal("refused status changes changed the store")
	}
	mustOK(t, h.as(adminID, "member", "status", m1ID, "--set", "自愿退团", "--date", "2025-05-01", "--reason", "本人申请"))
	mustRefuse(t, h.as(adminID, "member", "status", m1ID, "--set", "恢复团籍", "--date", "2025-04-01", "--reason", "误操作"))
	mustOK(t, h.as(adminID, "member", "status", m1ID, "--set", "恢复团籍", "--date", "2025-06-01", "--reason", "误操作"))

	// R-X6: the history of someone who is not a member stays reachable.
	mustOK(t, h.as(adminID, "member", "report-error", m2ID, "--kind", "姓名"))
	mustOK(t, h.as(adminID, "member", "confirm-deleted", m2ID))
	if au := arr(t, mustOK(t, h.as(adminID, "audit", "--member", m2ID)).stdout); len(au) < 2 {
		t.Fatalf("audit of a deleted member: %v", au)
	}
	colAdmin := idWith("33010619870707007")
	mustOK(t, h.as(adminID, "cadre", "add", "--org", college, "--id", colAdmin, "--name", "陈老师", "--post", "书记"))
	mustOK(t, h.as(adminID, "admin", "add", "--org", college, "--id", colAdmin))
	if au := arr(t, mustOK(t, h.as(adminID, "audit", "--member", colAdmin)).stdout); len(au) == 0 || str(au[0], "action") != "录入团干部" {
		t.Fatalf("audit of an administrator who is not a member: %v", au)
	}
	// The college's own trail shows the marks and resets done inside it.
	mustOK(t, h.as(adminID, "passwd", "reset", m1ID))
	h.passwdAs(colAdmin)
	actions := map[string]bool{}
	for _, e := range arr(t, mustOK(t, h.as(colAdmin, "audit")).stdout) {
		actions[str(e, "action")] = true
	}
	if !actions["重置密码"] {
		t.Errorf("the college's audit lacks 重置密码: %v", actions)
	}
	mustOK(t, h.as(colAdmin, "grad", "mark", branch, "--month", "2026-06"))
	actions = map[string]bool{}
	for _, e := range arr(t, mustOK(t, h.as(colAdmin, "audit")).stdout) {
		actions[str(e, "action")] = true
	}
	if !actions["标记毕业时间"] {
		t.Errorf("the college's audit lacks its own 标记毕业时间: %v", actions)
	}

	// R-O2: the notice's full-width brackets are accepted.
	o := obj(t, mustOK(t, h.as(adminID, "org", "add", "--parent", college, "--name", "出国境学习研究团支部", "--kind", "团支部",
		"--category", "出国（境）学习研究团员团支部")).stdout)
	if str(o, "category") != "出国(境)学习研究团员团支部" {
		t.Fatalf("category with full-width brackets: %v", o)
	}
}

// TestNoticesOfRecords_R_N1_R_M3_R_G6: the notification centre lists new
// members entered more than a month after their development (R-M3) and the
// branches without a graduation mark, for the administrators above them.
func TestNoticesOfRecords_R_N1_R_M3_R_G6(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	late, timely := idWith("33010220080301005"), idWith("33010220080402006")
	mustOK(t, h.as(adminID, "member", "add", "--org", branch, "--name", "迟录入", "--id", late, "--field", "入团年月=2025-03", "--field", "团员编号=202500000101", "--field", "发展日期=2025-03-01"))
	mustOK(t, h.as(adminID, "member", "add", "--org", branch, "--name", "按时录", "--id", timely, "--field", "入团年月=2025-06", "--field", "团员编号=202500000102", "--field", "发展日期=2025-06-15"))
	kinds := map[string]string{}
	for _, n := range arr(t, mustOK(t, h.as(adminID, "notices")).stdout) {
		kinds[str(n, "kind")] += str(n, "text") + "\n"
	}
	if txt := kinds["新团员录入超期"]; !strings.Contains(txt, "2020级计算机1班团支部") || !strings.Contains(txt, "1") {
		t.Errorf("late-entry notice: %q (all: %v)", txt, kinds)
	}
	if txt := kinds["未标记毕业时间"]; !strings.Contains(txt, "2 个团支部") {
		t.Errorf("unmarked-branches notice: %q", txt)
	}
	mustOK(t, h.as(adminID, "grad", "mark", branch, branch2, "--month", "2026-06"))
	for _, n := range arr(t, mustOK(t, h.as(adminID, "notices")).stdout) {
		if str(n, "kind") == "未标记毕业时间" {
			t.Errorf("unmarked notice after marking every branch: %v", n)
		}
	}
}
