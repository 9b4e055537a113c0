package app_test

import (
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// Issue 10 item 10, R-T4: the window's sweep takes the 操作前 backup first
// when, and only when, it will approve steps by default and so move
// members (moved from ui/backups_test.go's TestSweepBackupBeforeDefaults,
// which still runs it through the window).
func TestSweepWithBackup_R_T4(t *testing.T) {
	if pgtest.OnPG() {
		t.Skip("a server store keeps no backup folder (pg_dump is the school's)")
	}
	w := buildTransferWorld(t)
	c := w.open(t)
	before := func() int {
		t.Helper()
		list, err := c.store.Backups()
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
	sweep := func() app.SweepResult {
		t.Helper()
		res, backupErr, err := c.svc.SweepWithBackup(twCtx)
		if err != nil || backupErr != nil {
			t.Fatalf("SweepWithBackup: %v, backup: %v", err, backupErr)
		}
		return res
	}
	sweep() // whatever the world had due is applied
	n0 := before()
	if res := sweep(); res.Defaulted != 0 || before() != n0 {
		t.Fatalf("a sweep with nothing due: %+v, %d 操作前 backups, want none taken (%d)", res, before(), n0)
	}
	ts, err := c.svc.StartTransfer(twCtx, w.colX, app.TransferInput{IDNos: []string{w.selfID}, Reason: app.ReasonStudy, ToOrg: w.jlBranch.ID,
		Scope: "否", Unit: "江苏金陵师范大学", Address: "江苏省南京市鼓楼区北京西路 122 号"})
	if err != nil {
		t.Fatalf("StartTransfer: %v", err)
	}
	c.now = c.now.Add(16 * 24 * time.Hour)
	if res := sweep(); res.Defaulted == 0 {
		t.Fatalf("nothing approved by default 16 days on: %+v", res)
	}
	if n := before(); n != n0+1 {
		t.Fatalf("%d 操作前 backups after a sweep that approved by default, want %d", n, n0+1)
	}
	if tr := c.transfer(t, ts[0].No); tr.Steps[0].Outcome != app.OutcomeDefault {
		t.Fatalf("the sweep did not approve the step by default: %+v", tr.Steps)
	}
}
