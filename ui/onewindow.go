package ui

import (
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/ui/single"
)

// One window per data file (issue 11; ui/single): when OneWindow is set
// (main.go; tests leave it off) the window takes the store's lock before
// opening it; a store another window holds is not opened again, and the
// user is offered to bring that window to the front. Headless commands
// never take the lock.

// alreadyOpen is the screen of a second copy on a store a window holds.
type alreadyOpen struct {
	other  *single.Other
	raise  *widget.Button
	msg    *widget.Label
	status *widget.Label
}

// claim takes path's lock for this window; keep(true) then swaps it for the
// one held, keep(false) gives it up (the store did not open). false:
// another window holds it, and the user has been told (the screen, or a
// dialog over the store in use when dialogOnly).
func (u *UI) claim(path string, dialogOnly bool) (ok bool, keep func(bool)) {
	keep = func(bool) {}
	// A server store is shared by many desks: no lock beside it.
	if !u.OneWindow || isServerLoc(path) || (u.lock != nil && u.lockPath == path) {
		return true, keep
	}
	l, other, err := single.Acquire(path, func() {
		fyne.Do(func() {
			u.Win.Show()
			u.Win.RequestFocus()
		})
	})
	if err != nil {
		// A folder that cannot hold the lock does not stop the work.
		log.Printf("one window: %v", err)
		return true, keep
	}
	if other != nil {
		if dialogOnly {
			showInfo("数据文件已打开", "团务台已经在另一个窗口中打开了这个数据文件："+path+"。请到那个窗口中办理，或打开其他数据文件。", u.Win)
			_ = other.Raise()
			return false, keep
		}
		u.showAlreadyOpen(path, other)
		return false, keep
	}
	return true, func(opened bool) {
		if !opened {
			l.Release()
			return
		}
		u.lock.Release()
		u.lock, u.lockPath = l, path
	}
}

// releaseLock gives up the store's lock (the window closes).
func (u *UI) releaseLock() {
	u.lock.Release()
	u.lock, u.lockPath = nil, ""
}

// showAlreadyOpen says that another window has the store and offers to
// bring it to the front.
func (u *UI) showAlreadyOpen(path string, other *single.Other) {
	a := &alreadyOpen{other: other}
	u.already = a
	title := canvas.NewText("团务台已经打开了这个数据文件", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 20
	a.msg = wrapLabel("数据文件：" + path + "\n同一个数据文件只在一个窗口中办理，以免两个窗口的修改互相覆盖。请切换到已打开的窗口继续办理，或打开其他数据文件。")
	a.status = errorLabel()
	a.raise = widget.NewButtonWithIcon("切换到已打开的窗口", theme.ViewRestoreIcon(), func() {
		if err := other.Raise(); err != nil {
			log.Printf("raise the other window: %v", err)
			a.status.SetText("已打开的窗口没有响应，可能刚刚关闭。请点“重试”。")
			return
		}
		u.App.Quit()
	})
	a.raise.Importance = widget.HighImportance
	retry := widget.NewButtonWithIcon("重试", theme.ViewRefreshIcon(), u.Start)
	box := container.NewVBox(title, a.msg, a.status,
		container.NewHBox(a.raise, retry, widget.NewButtonWithIcon("打开其他数据文件…", theme.FolderOpenIcon(), u.onOpenStore),
			widget.NewButton("退出", u.App.Quit)))
	u.Win.SetContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 260), box)))
	u.Win.Canvas().Focus(a.raise)
}
