package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestGradCommands_R_G2_R_D1_R_D3_R_G5 drives grad and member marks as
// CLI.md writes them: the suggestion, the branch mark, members' identities
// in member show/list, 延迟毕业 and 教师 marks and their revocation, the
// unmarked-branch report (附件4), and the graduation switch applied by sweep.
func TestGradCommands_R_G2_R_D1_R_D3_R_G5(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)

	s := obj(t, mustOK(t, h.as(adminID, "grad", "suggest", "--cohort", "2020", "--program", "本科4")).stdout)
	if months, _ := s["months"].([]any); len(months) == 0 || months[0] != "2024-06" {
		t.Fatalf("grad suggest 2020 本科4: %v", s)
	}
	mustUsage(t, h.as(adminID, "grad", "mark", branch))

	// Before marking: no identity; the branch is among the unmarked (R-G6).
	if m := obj(t, mustOK(t, h.as(adminID, "member", "show", m1ID)).stdout); str(m, "identity") != "" {
		t.Fatalf("identity before marking: %v", m["identity"])
	}
	out := filepath.Join(t.TempDir(), "附件4.xlsx")
	u := obj(t, mustOK(t, h.as(adminID, "grad", "unmarked", "--out", out)).stdout)
	if num(u, "count") != 2 {
		t.Fatalf("grad unmarked: %v", u)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("open %s: %v", out, err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	f.Close()
	if err != nil || !strings.Contains(strings.Join(flatten(rows), "|"), "2020级计算机1班团支部") {
		t.Fatalf("附件4 rows %v, %v", rows, err)
	}

	mk := obj(t, mustOK(t, h.as(adminID, "grad", "mark", branch, "--month", "2025-06")).stdout)
	if num(mk, "marked") != 1 || str(mk, "grad_month") != "2025-06" {
		t.Fatalf("grad mark: %v", mk)
	}
	if u := obj(t, mustOK(t, h.as(adminID, "grad", "unmarked")).stdout); num(u, "count") != 1 {
		t.Fatalf("unmarked after marking one of two: %v", u)
	}
	identities := func() map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, m := range arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", branch)).stdout) {
			out[str(m, "id_no")] = str(m, "identity")
		}
		return out
	}
	if ids := identities(); ids[m1ID] != "毕业生" || ids[m2ID] != "毕业生" {
		t.Fatalf("identities after marking the branch: %v", ids)
	}

	// R-D1: a delayed month must be later than the branch's, with a reason.
	before := snapshot(t, h)
	for _, args := range [][]string{
		{"member", "mark", m1ID, "--delayed", "2025-06", "--reason", "学分未修满"},
		{"member", "mark", m1ID, "--delayed", "2026-06", "--reason", " "},
	} {
		mustRefuse(t, h.as(adminID, args...))
		if snapshot(t, h) != before {
			t.Fatalf("%v changed the store", args)
		}
	}
	mustOK(t, h.as(adminID, "member", "mark", m1ID, "--delayed", "2026-06", "--reason", "学分未修满"))
	mustOK(t, h.as(adminID, "member", "mark", m2ID, "--teacher"))
	m := obj(t, mustOK(t, h.as(adminID, "member", "show", m1ID)).stdout)
	if str(m, "identity") != "延迟毕业团员" || str(m, "mark_month") != "2026-06" || str(m, "mark_reason") != "学分未修满" {
		t.Fatalf("delayed member: %v", m)
	}
	if ids := identities(); ids[m1ID] != "延迟毕业团员" || ids[m2ID] != "教师" {
		t.Fatalf("identities after the marks: %v", ids)
	}
	// The text list shows them too.
	r := mustOK(t, h.raw("member", "list", "--org", branch, "--db", h.db, "--as", adminID, "--now", testNow))
	for _, p := range []string{"成员身份", "延迟毕业团员（2026-06）", "教师"} {
		if !strings.Contains(r.stdout, p) {
			t.Errorf("member list text lacks %q:\n%s", p, r.stdout)
		}
	}
	// R-D1 holds when the branch is marked again: its month stays earlier
	// than its delayed members'.
	before = snapshot(t, h)
	if msg := mustRefuse(t, h.as(adminID, "grad", "mark", branch, "--month", "2026-06")); !strings.Contains(msg, "张三") {
		t.Errorf("re-marking past a delayed member: %q does not name 张三", msg)
	}
	if snapshot(t, h) != before {
		t.Fatal("a refused re-marking changed the store")
	}
	mustOK(t, h.as(adminID, "grad", "mark", branch, "--month", "2025-12"))
	mustOK(t, h.as(adminID, "grad", "mark", branch, "--month", "2025-06"))
	// R-D3: revoking restores a normal graduate.
	mustOK(t, h.as(adminID, "member", "unmark", m2ID))
	if ids := identities(); ids[m2ID] != "毕业生" {
		t.Fatalf("identity after unmark: %v", ids)
	}

	// R-G5: on the switch date (default 07-01) sweep turns this year's
	// graduating branches into 毕业生团组织, as the window does at start.
	sweep := func(day string) map[string]any {
		t.Helper()
		return obj(t, mustOK(t, h.raw("sweep", "--db", h.db, "--as", adminID, "--now", day, "--json")).stdout)
	}
	if s := sweep("2025-06-30"); num(s, "graduated") != 0 {
		t.Fatalf("sweep before the switch date: %v", s)
	}
	if s := sweep("2025-07-01"); num(s, "graduated") != 1 {
		t.Fatalf("sweep on the switch date: %v", s)
	}
	for _, o := range arr(t, mustOK(t, h.as(adminID, "org", "list")).stdout) {
		want := "普通"
		if str(o, "path") == branch {
			want = "毕业生团组织"
		}
		if str(o, "kind") == "团支部" && str(o, "category") != want {
			t.Fatalf("%s is %s after the switch, want %s", str(o, "path"), str(o, "category"), want)
		}
	}
	if s := sweep("2025-07-02"); num(s, "graduated") != 0 {
		t.Fatalf("a repeated sweep: %v", s)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
