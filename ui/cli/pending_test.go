package cli_test

import (
	"strings"
	"testing"
)

// R-T4, issue 13: transfer list --pending records the due default
// approvals first, as the window's 待我审批 does: a step past its 15 days
// is no longer offered, and the transfer shows 系统默认通过.
func TestPendingListAppliesDueDefaults_R_T4(t *testing.T) {
	h := initStore(t)
	buildTree(t, h)
	m := idWith("33010220000101001")
	mustOK(t, h.as(adminID, "member", "add", "--org", branch, "--name", "张三", "--id", m, "--field", "入团年月=2015-05"))
	mustOK(t, h.as(adminID, "transfer", "start", m, "--reason", "升学", "--to", branch2, "--unit", "本校", "--address", "杭州", "--scope", "否"))
	if r := mustOK(t, h.as(adminID, "transfer", "list", "--pending")); len(arr(t, r.stdout)) != 1 {
		t.Fatalf("on the day it began, the transfer waits: %s", r.stdout)
	}
	late := func(args ...string) result {
		return h.raw(append(args, "--db", h.db, "--as", adminID, "--now", "2025-07-16", "--json")...)
	}
	if r := mustOK(t, late("transfer", "list", "--pending")); len(arr(t, r.stdout)) != 0 {
		t.Fatalf("R-T4: 16 days on, the step stands approved by default and is not pending: %s", r.stdout)
	}
	r := mustOK(t, late("transfer", "show", "1"))
	if !strings.Contains(r.stdout, "系统默认通过") {
		t.Fatalf("R-T4: the step is recorded as 系统默认通过: %s", r.stdout)
	}
}
