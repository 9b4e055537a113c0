package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/pgtest"
)

// Issue 10, items 9 and 10: the window takes the day's automatic backup
// into 备份/ beside the store; 文件 → 备份与恢复 lists it; restoring from it
// replaces the store (the old one kept beside it), records the restore and
// asks to sign in again.
func TestBackupsAndRestoreInWindow(t *testing.T) {
	pgtest.SQLiteOnly(t, serverBacksUpItself)
	u := newTestUI(t)
	u.Restore = data.Restore
	college, _ := initStore(t, u)
	u.Start() // the store opens again as when the window starts: the day's backup is taken
	signIn(t, u)
	for _, label := range []string{backupsMenu, restoreMenu} {
		if menu, ok := menuItem(u, label); !ok || menu != "文件" {
			t.Errorf("文件 menu lacks %s", label)
		}
	}
	v := u.onBackups()
	if len(v.list) != 1 || v.list[0].Kind != app.BackupAuto || filepath.Dir(v.list[0].Path) != filepath.Join(filepath.Dir(u.Path), "备份") {
		t.Fatalf("备份与恢复 lists %+v, want the day's automatic backup in 备份/", v.list)
	}
	backup := v.list[0].Path
	v.d.Hide()

	// A change after the backup, then the restore from the list.
	ctx := context.Background()
	if _, _, err := u.svc.AddOrg(ctx, u.sess, app.NewOrg{ParentID: college.ParentID, Name: "备份后学院团委", Kind: app.KindCommittee}); err != nil {
		t.Fatal(err)
	}
	v = u.onBackups()
	v.table.Select(0)
	test.Tap(v.restore)
	// The confirmation is the top overlay: confirm it.
	yes := findButton(u.Win.Canvas(), "是")
	if yes == nil {
		yes = findButton(u.Win.Canvas(), "Yes")
	}
	if yes == nil {
		t.Fatal("no confirmation before restoring")
	}
	test.Tap(yes)
	if u.login == nil || !strings.Contains(u.login.hint.Text, "已从备份恢复") {
		t.Fatalf("after restore: sign-in with a hint expected, login=%v", u.login)
	}
	es, _ := os.ReadDir(filepath.Dir(u.Path))
	kept := false
	for _, e := range es {
		kept = kept || strings.Contains(e.Name(), "恢复前-")
	}
	if !kept {
		t.Error("the replaced store is not kept beside the restored one")
	}
	signIn(t, u)
	if found, err := u.svc.FindOrgs(ctx, u.sess, app.OrgSearch{Text: "学院团委"}); err != nil || len(found) != 1 {
		t.Errorf("the restored store should hold only the backup's college: %v, %v", found, err)
	}
	entries, err := u.svc.Audit(ctx, u.sess, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || entries[0].Action != "从备份恢复存储" || entries[0].Object != backup {
		t.Errorf("the newest entry of the restored trail = %+v, want the restore", entries[0])
	}
}

// Issue 10, item 10: before a bulk action the window takes a backup and
// says how to go back to it; 备份与恢复 lists it.
func TestBackupBeforeBulkAction(t *testing.T) {
	pgtest.SQLiteOnly(t, serverBacksUpItself)
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	msg := u.backupBefore("导入")
	if !strings.Contains(msg, "导入前已自动备份") || !strings.Contains(msg, "备份与恢复") {
		t.Fatalf("message %q", msg)
	}
	v := u.onBackups()
	found := false
	for _, b := range v.list {
		found = found || b.Kind == app.BackupBeforeBulk
	}
	if !found {
		t.Fatalf("备份与恢复 lists %+v, want the 操作前 backup", v.list)
	}
}

// Issue 10, item 10 (and item 12's bulk writes): the window's sweep takes
// the 操作前 backup of other bulk actions when it will approve steps by
// default (members move), and none when nothing falls due.
func TestSweepBackupBeforeDefaults(t *testing.T) {
	pgtest.SQLiteOnly(t, serverBacksUpItself)
	u := demoUI(t)
	before := func() int {
		t.Helper()
		list, err := u.svc.Backups(u.ctx, u.sess)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, b := range list {
			if b.Kind == app.BackupBeforeBulk {
				n++
			}
		}
		return n
	}
	u.sweep() // whatever the demo had due is applied
	n0 := before()
	u.sweep()
	if n := before(); n != n0 {
		t.Fatalf("a sweep with nothing due took a backup: %d 操作前 backups, want %d", n, n0)
	}
	_, no := startOne(t, u)
	u.svc.Now = func() time.Time { return testNow.Add(16 * 24 * time.Hour) }
	u.sweep()
	if n := before(); n != n0+1 {
		t.Fatalf("%d 操作前 backups after a sweep that approved by default, want %d", n, n0+1)
	}
	tr, err := u.svc.TransferByNo(u.ctx, u.sess, no)
	if err != nil || tr.Steps[0].Outcome != app.OutcomeDefault {
		t.Fatalf("the sweep did not approve the step by default: %+v, %v", tr.Steps, err)
	}
}

// serverBacksUpItself says why the backup tests are SQLite-only.
const serverBacksUpItself = "backups are files beside a file store; a server is backed up by its IT staff (pg_dump or point-in-time recovery), as 文件 → 备份 says on a server store (TestServerStoreBackupMenu_Issue14)"
