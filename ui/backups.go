package ui

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// Restorer replaces the closed store at storePath by the verified backup
// from, keeping the replaced one under a dated name (data.Restore).
type Restorer func(ctx context.Context, storePath, from string, at time.Time) (kept string, err error)

// File-menu labels of the backups.
const (
	backupsMenu = "备份与恢复…"
	restoreMenu = "从备份恢复…"
)

// autoBackup takes the day's automatic backup, if due, off the UI goroutine
// (issue 10, item 10): the window keeps rotating verified backups in the
// 备份 folder beside the store while it is open.
func (u *UI) autoBackup(svc *app.Service) {
	do := func() {
		if _, err := svc.AutoBackup(u.ctx); err != nil {
			log.Printf("automatic backup: %v", err)
		}
	}
	if u.Sync {
		do()
		return
	}
	go do()
}

// backupBefore takes a verified backup before a bulk action (issue 10,
// item 10) and returns the sentence that tells the user how to go back; a
// failed backup is logged and the action goes on (it is one transaction).
func (u *UI) backupBefore(what string) string {
	b, ok, err := u.svc.BackupBefore(u.ctx)
	if err != nil {
		log.Printf("backup before %s: %v", what, err)
		return ""
	}
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s前已自动备份（%s），如需撤销，可在“文件 → 备份与恢复”中恢复到%s之前。", what, b.At.Format("01-02 15:04"), what)
}

// backupsView is 文件 → 备份与恢复: the automatic and pre-upgrade backups,
// newest first, with 立即备份 and restore from one of them or another file.
type backupsView struct {
	u       *UI
	d       dialog.Dialog
	list    []app.BackupFile
	table   *widget.List
	picked  int
	now     *widget.Button
	restore *widget.Button
	other   *widget.Button
	msg     *widget.Label
}

func (u *UI) onBackups() *backupsView {
	v := &backupsView{u: u, picked: -1, msg: widget.NewLabel("")}
	v.msg.Wrapping = fyne.TextWrapWord
	v.table = widget.NewList(func() int { return len(v.list) },
		func() fyne.CanvasObject { return widget.NewLabel("2026-11-30 15:04  升级前备份  12.3 MB") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(backupLine(v.list[i])) })
	v.table.OnSelected = func(i widget.ListItemID) { v.picked = i; v.restore.Enable() }
	v.now = widget.NewButton("立即备份", v.onNow)
	v.restore = widget.NewButton("从所选备份恢复…", func() {
		if v.picked >= 0 && v.picked < len(v.list) {
			v.d.Hide()
			u.confirmRestore(v.list[v.picked].Path)
		}
	})
	v.restore.Disable()
	v.other = widget.NewButton("从其他备份文件恢复…", func() { v.d.Hide(); u.onRestore() })
	v.reload()
	note := wrapLabel("团务台在窗口打开期间每天自动备份一次，保留最近 7 天、4 周和 6 个月各一份；升级存储结构前也会先备份。备份放在存储文件旁边的“备份”文件夹：" + filepath.Join(filepath.Dir(u.Path), "备份"))
	body := container.NewBorder(container.NewVBox(note, v.msg), container.NewHBox(v.now, v.restore, v.other), nil, nil, v.table)
	v.d = fitCustom(u.Win, "备份与恢复", "关闭", 640, 460, body)
	v.d.Show()
	return v
}

func backupLine(b app.BackupFile) string {
	kind := "自动备份"
	if b.Kind == app.BackupPreMigration {
		kind = "升级前备份"
	}
	return fmt.Sprintf("%s  %s  %.1f MB", b.At.Format("2006-01-02 15:04"), kind, float64(b.Size)/(1<<20))
}

func (v *backupsView) reload() {
	list, err := v.u.svc.Backups(v.u.ctx, v.u.sess)
	if err != nil {
		v.msg.SetText(app.ErrorMessage(err))
		return
	}
	v.list, v.picked = list, -1
	v.restore.Disable()
	v.table.UnselectAll()
	v.table.Refresh()
	if len(list) == 0 {
		v.msg.SetText("还没有自动备份。")
	}
}

func (v *backupsView) onNow() {
	v.now.Disable()
	var b app.BackupFile
	v.u.run(func() (err error) { b, err = v.u.svc.BackupNow(v.u.ctx, v.u.sess); return err }, func(err error) {
		v.now.Enable()
		if err != nil {
			v.msg.SetText(app.ErrorMessage(err))
			return
		}
		v.reload()
		v.msg.SetText("已备份并校验：" + b.Path)
	})
}

// onRestore is 文件 → 从备份恢复: pick a backup file, then confirm.
func (u *UI) onRestore() {
	if err := u.svc.CheckRestore(u.sess); err != nil {
		u.showError(err)
		return
	}
	req := fileRequest("选择要恢复的备份文件", false, "", dbFile)
	if dir := filepath.Join(filepath.Dir(u.Path), "备份"); isDir(dir) {
		req.Dir = dir // the automatic backups
	}
	u.chooseFile(req, func(path string) {
		if path != "" {
			u.confirmRestore(path)
		}
	})
}

// confirmRestore says what a restore does and does it when confirmed.
func (u *UI) confirmRestore(from string) {
	dialog.ShowConfirm("从备份恢复",
		fmt.Sprintf("用备份“%s”替换当前存储吗？\n\n当前存储不会删除：它会改名为带日期的副本，保留在原文件夹。恢复后需要重新登录。", filepath.Base(from)),
		func(ok bool) {
			if ok {
				u.restoreFrom(from)
			}
		}, u.Win)
}

// restoreFrom replaces the open store by the backup from: the store is
// closed, replaced (data.Restore verifies the backup and keeps the old store),
// opened again, and the restore recorded in its trail; then sign-in.
func (u *UI) restoreFrom(from string) {
	sess := u.sess
	if err := u.svc.CheckRestore(sess); err != nil {
		u.showError(err)
		return
	}
	if u.Restore == nil {
		u.showError(app.Errorf(app.EInternal, "这个版本没有恢复备份的组件。"))
		return
	}
	closeTransferCenter(u)
	if err := u.svc.Store.Close(); err != nil {
		log.Printf("close store before restore: %v", err)
	}
	kept, rerr := u.Restore(u.ctx, u.Path, from, time.Now())
	svc, err := u.Open(u.Path)
	u.svc = nil // closed above
	if err != nil {
		u.showStoreError(err)
		return
	}
	if rerr == nil {
		rerr = svc.RecordRestore(u.ctx, sess, from, kept)
	}
	u.useService(svc)
	if rerr != nil {
		u.showError(rerr)
		return
	}
	hint := "已从备份恢复，请重新登录。"
	if kept != "" {
		hint = "已从备份恢复，原存储保留为“" + filepath.Base(kept) + "”。请重新登录。"
	}
	u.showLogin(sess.Account.IDNo, hint)
}

// isDir reports whether path is a folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
