package cli_test

import (
	"strings"
	"testing"

	"tuanwu/app"
)

// initPlain runs init without --practice (a real store) and changes the
// admin's initial password, all on the real clock.
func initPlain(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	o := obj(t, mustOK(t, h.run("init", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID, "--json")).stdout)
	if o["practice"] != false {
		t.Fatalf("init without --practice: practice = %v", o["practice"])
	}
	h.env["TUANWU_PASSWORD"] = app.InitialPassword(adminID)
	h.env["TUANWU_NEW_PASSWORD"] = newPass
	mustOK(t, h.run("passwd", "--as", adminID))
	h.env["TUANWU_PASSWORD"] = newPass
	delete(h.env, "TUANWU_NEW_PASSWORD")
	return h
}

// Issue 10, item 1: a real store runs on the real clock. --now is a usage
// error (exit 2) that says why, and nothing is changed: no member added, no
// audit entry dated in the past, no step defaulted.
func TestNowRefusedOnRealStore(t *testing.T) {
	h := initPlain(t)
	before := mustOK(t, h.run("audit", "--as", adminID, "--json")).stdout
	for _, args := range [][]string{
		{"org", "add", "--parent", rootName, "--name", "法学院团委", "--kind", "团委"},
		{"sweep"},
		{"org", "list"},
	} {
		r := h.raw(append(args, "--db", h.db, "--as", adminID, "--now", "2020-01-02")...)
		mustUsage(t, r)
		if !strings.Contains(r.stderr, "正式数据") || !strings.Contains(r.stderr, "init --practice") || !strings.Contains(r.stderr, "demo") {
			t.Errorf("%v --now: the refusal should say a real store runs on the real clock and how to make practice data: %q", args, r.stderr)
		}
	}
	// The organization was not added, and the trail is as it was.
	list := mustOK(t, h.run("org", "list", "--as", adminID, "--json")).stdout
	if strings.Contains(list, "法学院团委") {
		t.Errorf("a refused --now command added an organization: %s", list)
	}
	if after := mustOK(t, h.run("audit", "--as", adminID, "--json")).stdout; after != before {
		t.Errorf("a refused --now command changed the audit trail:\nbefore %s\nafter  %s", before, after)
	}
	// Without --now the same command runs (on today's date).
	mustOK(t, h.run("org", "add", "--parent", rootName, "--name", "法学院团委", "--kind", "团委", "--as", adminID))
}

// Issue 10, item 1: init --practice makes practice data, where --now is the
// date commands run as of (the audit entry carries it).
func TestNowAcceptedOnPracticeInit(t *testing.T) {
	h := initStore(t) // init --practice
	mustOK(t, h.raw("org", "add", "--parent", rootName, "--name", "法学院团委", "--kind", "团委", "--db", h.db, "--as", adminID, "--now", "2024-03-05"))
	entries := arr(t, mustOK(t, h.as(adminID, "audit")).stdout)
	found := false
	for _, e := range entries {
		if str(e, "action") != "" && strings.Contains(str(e, "after")+str(e, "object"), "法学院团委") {
			found = true
			if !strings.HasPrefix(str(e, "at"), "2024-03-05") {
				t.Errorf("on practice data the entry is dated as of --now 2024-03-05, got %q", str(e, "at"))
			}
		}
	}
	if !found {
		t.Fatalf("no audit entry for the new organization: %v", entries)
	}
}

// Issue 10, item 1: every demo store is practice data: --now is accepted.
func TestNowAcceptedOnDemo(t *testing.T) {
	h := newHarness(t)
	o := obj(t, mustOK(t, h.run("demo", "--members", "50", "--now", "2025-06-01", "--json")).stdout)
	if o["practice"] != true {
		t.Errorf("demo: practice = %v, want true", o["practice"])
	}
	h.env["TUANWU_PASSWORD"] = app.InitialPassword(app.DemoAdminID)
	h.env["TUANWU_NEW_PASSWORD"] = newPass
	mustOK(t, h.run("passwd", "--as", app.DemoAdminID, "--now", "2025-06-01"))
	h.env["TUANWU_PASSWORD"] = newPass
	mustOK(t, h.run("sweep", "--as", app.DemoAdminID, "--now", "2026-12-31"))
}
