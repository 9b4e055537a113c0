package ui

import (
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// The window while the school server cannot be reached (issue 14: the
// server stopped, restarting, or the network down). A form whose save
// fails so stays open with what the user typed and shows the store's
// sentence (无法连接学校服务器…，您填写的内容已保留，连接恢复后可再次保存);
// pressing 保存 again retries. Background work (the sweep, refreshes) does
// not pop up a dialog each time it fails: the status line says once that
// the server is unreachable and that the window keeps trying, and a check
// every serverRetryEvery clears it when the server answers again.

// serverDownText is what the status line shows while the server is down.
const serverDownText = "学校服务器暂时无法连接，正在重试…"

// serverRetryEvery is how often the window checks whether the server is back.
var serverRetryEvery = 10 * time.Second

// offlineState is the window's view of the server's reachability.
type offlineState struct {
	down     bool
	shown    string        // the status line's text before it said the server was down
	retrying bool          // a background check is running
	status   *widget.Label // the label that says so
}

// noteServer updates the window after a store call ended with err: a lost
// server (EUnavailable) is shown in the status line (once); a call that
// succeeded means the server answered, and the status line is restored.
// It reports whether err was a lost server. Call it on the UI goroutine.
func (u *UI) noteServer(err error) bool {
	if app.IsUnavailable(err) {
		u.serverDown()
		return true
	}
	if err == nil && u.offline.down {
		u.serverBack()
	}
	return false
}

// noteServerAsync is noteServer for background work.
func (u *UI) noteServerAsync(err error) {
	if u.Sync {
		u.noteServer(err)
		return
	}
	fyne.Do(func() { u.noteServer(err) })
}

// serverDown shows in the status line that the server cannot be reached
// and starts the background check (not under Sync: tests call serverBack).
func (u *UI) serverDown() {
	if !u.offline.down {
		u.offline.down = true
		log.Printf("school server unreachable")
	}
	if u.main != nil && u.main.status != nil && u.offline.status != u.main.status {
		// The main window's status line (once; again after a new sign-in).
		u.offline.status = u.main.status
		u.offline.shown = u.main.status.Text
		u.main.status.Importance = widget.DangerImportance
		u.main.status.SetText(serverDownText + "    " + u.offline.shown)
	}
	if u.Sync || u.offline.retrying || u.svc == nil {
		return
	}
	u.offline.retrying = true
	svc := u.svc
	go func() {
		for {
			time.Sleep(serverRetryEvery)
			_, err := svc.SweepMoves(u.ctx) // one indexed query
			if !app.IsUnavailable(err) {
				fyne.Do(func() {
					u.offline.retrying = false
					u.serverBack()
					if u.svc == svc {
						u.sweep() // the sweep that could not run meanwhile
					}
				})
				return
			}
		}
	}()
}

// serverBack restores the status line once the server answers.
func (u *UI) serverBack() {
	if !u.offline.down {
		return
	}
	u.offline.down = false
	log.Printf("school server reachable again")
	if l := u.offline.status; l != nil {
		l.Importance = widget.MediumImportance
		l.SetText(u.offline.shown)
	}
	u.offline.status = nil
}

// serverDownShown reports the status line's warning, for tests.
func (u *UI) serverDownShown() bool {
	return u.offline.down && u.offline.status != nil && strings.HasPrefix(u.offline.status.Text, serverDownText)
}

// offerRetry handles the failed save of a dialog that closed on its
// button (dialog.ShowForm): when the server could not be reached it says
// so with 重试, which saves again what the user entered (kept in the
// closure), so that nothing typed is lost; it reports whether it did.
func (u *UI) offerRetry(err error, retry func()) bool {
	if !u.noteServer(err) {
		return false
	}
	log.Printf("error: %v", err)
	u.retryDialog = dialog.NewCustomConfirm("无法连接学校服务器", "重试", "放弃", wrapLabel(app.ErrorMessage(err)), func(ok bool) {
		if ok {
			retry()
		}
	}, u.Win)
	u.retryDialog.Show()
	return true
}
