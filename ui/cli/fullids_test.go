package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"tuanwu/app"
)

// fullIDEntries returns the audit entries recording full 身份证号 shown or
// exported, newest first.
func fullIDEntries(t *testing.T, h *harness) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, e := range arr(t, mustOK(t, h.as(adminID, "audit")).stdout) {
		switch a := str(e, "action"); {
		case a == "查看完整身份证号", strings.HasPrefix(a, "导出附件"):
			out = append(out, e)
		}
	}
	return out
}

// wantNewEntry checks that exactly one such entry was added since before,
// and that it says what and how many.
func wantNewEntry(t *testing.T, h *harness, before int, what ...string) int {
	t.Helper()
	es := fullIDEntries(t, h)
	if len(es) != before+1 {
		t.Fatalf("%d audit entries of full IDs, want %d (one per command): %v", len(es), before+1, es)
	}
	text := str(es[0], "action") + " " + str(es[0], "after")
	for _, w := range what {
		if !strings.Contains(text, w) {
			t.Errorf("audit entry %q does not say %q", text, w)
		}
	}
	return len(es)
}

// Issue 10 item 5: member list and member show print 身份证号 masked in
// text; --full-ids prints them in full and --json keeps them in full for
// scripts, each audited once per command with the count.
func TestMemberListShowMaskIDs_Issue10Item5(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	n := len(fullIDEntries(t, h))

	txt := mustOK(t, h.run("member", "list", "--org", branch, "--as", adminID))
	if strings.Contains(txt.stdout, m1ID) || !strings.Contains(txt.stdout, app.MaskID(m1ID)) || !strings.Contains(txt.stdout, app.MaskID(m2ID)) {
		t.Errorf("member list text shows full IDs, or no masked ones:\n%s", txt.stdout)
	}
	mustOK(t, h.run("member", "show", m1ID, "--as", adminID))
	if got := mustOK(t, h.run("member", "show", m1ID, "--as", adminID)).stdout; strings.Contains(got, m1ID) || !strings.Contains(got, app.MaskID(m1ID)) {
		t.Errorf("member show text shows the full ID:\n%s", got)
	}
	if es := fullIDEntries(t, h); len(es) != n {
		t.Fatalf("masked listings were audited: %v", es)
	}

	full := mustOK(t, h.run("member", "list", "--org", branch, "--full-ids", "--as", adminID))
	if !strings.Contains(full.stdout, m1ID) || !strings.Contains(full.stdout, m2ID) {
		t.Errorf("member list --full-ids:\n%s", full.stdout)
	}
	n = wantNewEntry(t, h, n, "查看完整身份证号", "member list --full-ids", "2 个完整身份证号")

	js := arr(t, mustOK(t, h.as(adminID, "member", "list", "--org", branch)).stdout)
	if len(js) != 2 || !containsID(js, m1ID) || !containsID(js, m2ID) {
		t.Errorf("member list --json: %v", js)
	}
	n = wantNewEntry(t, h, n, "member list --json", "2 个完整身份证号")

	if got := mustOK(t, h.run("member", "show", m1ID, "--full-ids", "--as", adminID)).stdout; !strings.Contains(got, m1ID) {
		t.Errorf("member show --full-ids:\n%s", got)
	}
	n = wantNewEntry(t, h, n, "member show", "1 个完整身份证号")
	if m := obj(t, mustOK(t, h.as(adminID, "member", "show", m2ID)).stdout); str(m, "id_no") != m2ID {
		t.Errorf("member show --json: %v", m)
	}
	n = wantNewEntry(t, h, n, "member show", "1 个完整身份证号")
	// The entry itself names the member masked (R-X6).
	if e := fullIDEntries(t, h)[0]; strings.Contains(str(e, "object"), m2ID) {
		t.Errorf("audit entry shows the full ID: %v", e)
	}

	// A listing that finds nobody shows nothing and records nothing.
	mustOK(t, h.as(adminID, "member", "list", "--org", branch, "--find", "没有这个人"))
	if es := fullIDEntries(t, h); len(es) != n {
		t.Errorf("an empty listing was audited: %v", es[0])
	}
}

// Issue 10 item 5: 附件3 (report errors) and 附件4 (grad unmarked --out)
// carry full 身份证号, so each export is audited once with its count; the
// list of unmarked branches without --out shows no IDs and is not.
func TestReportExportsAudited_Issue10Item5(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	addMembers(t, h)
	dir := t.TempDir()
	n := len(fullIDEntries(t, h))

	mustOK(t, h.as(adminID, "grad", "unmarked"))
	if es := fullIDEntries(t, h); len(es) != n {
		t.Fatalf("grad unmarked without --out was audited: %v", es)
	}
	mustOK(t, h.as(adminID, "grad", "unmarked", "--out", filepath.Join(dir, "附件4.xlsx")))
	n = wantNewEntry(t, h, n, "导出附件4", "2 个团支部，共 2 人")

	mustOK(t, h.as(adminID, "member", "report-error", m1ID, "--kind", "姓名"))
	mustOK(t, h.as(adminID, "report", "errors", "--out", filepath.Join(dir, "附件3.xlsx")))
	n = wantNewEntry(t, h, n, "导出附件3", "共 1 人")

	// A refused export (the file exists) records nothing.
	mustRefuse(t, h.as(adminID, "report", "errors", "--out", filepath.Join(dir, "附件3.xlsx")))
	if es := fullIDEntries(t, h); len(es) != n {
		t.Errorf("a refused export was audited: %v", es[0])
	}
}
