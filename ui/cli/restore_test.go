package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"tuanwu/data/pgtest"
)

// Issue 10, item 9: restore --from replaces the store with a verified
// backup, keeps the replaced store under a dated name and records the
// restore in the restored store's trail.
func TestRestoreCommand(t *testing.T) {
	pgtest.SQLiteOnly(t, "restore replaces a store file; a server is restored by its IT staff (pg_restore), which restore refuses (ui/cli TestServerBadInputs)")
	h := initStore(t)
	mustOK(t, h.as(adminID, "org", "add", "--parent", rootName, "--name", "备份前学院团委", "--kind", "团委"))
	backup := filepath.Join(t.TempDir(), "备份.db")
	mustOK(t, h.as(adminID, "backup", "--out", backup))
	mustOK(t, h.as(adminID, "org", "add", "--parent", rootName, "--name", "备份后学院团委", "--kind", "团委"))

	mustUsage(t, h.run("restore", "--from", backup)) // --as is required
	mustUsage(t, h.run("restore", "--as", adminID))  // --from is required
	msg := mustRefuse(t, h.as(adminID, "restore", "--from", filepath.Dir(backup)))
	if !strings.Contains(msg, "是一个文件夹") {
		t.Errorf("restore from a folder: %q", msg)
	}

	o := obj(t, mustOK(t, h.raw("restore", "--from", backup, "--db", h.db, "--as", adminID, "--json")).stdout)
	kept := str(o, "kept")
	if !strings.Contains(filepath.Base(kept), "恢复前-") || filepath.Dir(kept) != filepath.Dir(h.db) {
		t.Errorf("kept = %q, want a dated copy beside the store", kept)
	}
	list := mustOK(t, h.as(adminID, "org", "list")).stdout
	if !strings.Contains(list, "备份前学院团委") || strings.Contains(list, "备份后学院团委") {
		t.Errorf("after restore the store is not the backup: %s", list)
	}
	old := mustOK(t, h.raw("org", "list", "--db", kept, "--as", adminID, "--json")).stdout
	if !strings.Contains(old, "备份后学院团委") {
		t.Errorf("the kept store lost what was done after the backup: %s", old)
	}
	trail := mustOK(t, h.as(adminID, "audit")).stdout
	if !strings.Contains(trail, "从备份恢复存储") || !strings.Contains(trail, filepath.Base(kept)) {
		t.Errorf("the restore is not in the restored store's trail: %s", trail)
	}
	mustOK(t, h.as(adminID, "check"))
}

// Issue 10, item 9: a store damaged beyond opening is restored by the
// backup's owner, who signs in against the backup.
func TestRestoreDamagedStore(t *testing.T) {
	pgtest.SQLiteOnly(t, "damages the store file")
	h := initStore(t)
	backup := filepath.Join(t.TempDir(), "备份.db")
	mustOK(t, h.as(adminID, "backup", "--out", backup))
	if err := os.WriteFile(h.db, []byte("SQLite format 3\x00"+strings.Repeat("损坏", 3000)), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, h.as(adminID, "org", "list"))
	h.env["TUANWU_PASSWORD"] = "wrong-password"
	mustRefuse(t, h.as(adminID, "restore", "--from", backup))
	h.env["TUANWU_PASSWORD"] = newPass
	mustOK(t, h.as(adminID, "restore", "--from", backup))
	mustOK(t, h.as(adminID, "check"))
}
