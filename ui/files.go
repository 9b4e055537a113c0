package ui

import (
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/data/files"
	"tuanwu/ui/native"
)

// fileType is a kind of file the dialogs choose: the filter's description
// and the extension.
type fileType struct{ desc, ext string }

var (
	xlsxFile = fileType{"Excel 工作簿", ".xlsx"}
	pdfFile  = fileType{"PDF 文件", ".pdf"}
	dbFile   = fileType{"团务台数据文件", ".db"}
)

// typeOf is the file type a name ends in.
func typeOf(name string) fileType {
	for _, t := range []fileType{xlsxFile, pdfFile, dbFile} {
		if strings.EqualFold(filepath.Ext(name), t.ext) {
			return t
		}
	}
	return fileType{}
}

// datedName is an .xlsx file name that says what the file is and, from the
// store's clock, the day it was written: 信息学院团委团员名册-2026-12-01.xlsx.
func datedName(u *UI, what string) string {
	return what + "-" + u.svc.Now().Format("2006-01-02") + ".xlsx"
}

// fileRequest is what a file dialog asks for.
func fileRequest(title string, save bool, name string, t fileType) native.Request {
	return native.Request{Title: title, Save: save, Name: name, Filter: t.desc, Ext: t.ext}
}

// Chooser shows a file dialog for req and calls then on the UI goroutine
// with the chosen path, "" when the user cancelled. A save dialog's path
// ends in req.Ext.
type Chooser func(win fyne.Window, req native.Request, then func(path string))

// UseSystemDialogs makes the window use the system's file dialogs (Win32,
// macOS, zenity or kdialog on Linux; Fyne's own where there is none) and
// the system's viewer for saved files. main calls it; tests keep Fyne's
// dialogs or put in a Chooser of their own.
func (u *UI) UseSystemDialogs() {
	u.Files = systemChooser
	u.Viewer = native.Open
}

// lastFolderKey is the preference that remembers the folder of the last file chosen.
const lastFolderKey = "files.lastFolder"

// lastFolder is the folder the next dialog opens in: the last one used,
// else the user's Documents (文档) folder, else home.
func (u *UI) lastFolder() string {
	if dir := u.App.Preferences().String(lastFolderKey); dir != "" {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	for _, d := range []string{"Documents", "文档"} {
		if fi, err := os.Stat(filepath.Join(home, d)); err == nil && fi.IsDir() {
			return filepath.Join(home, d)
		}
	}
	return home
}

// chooseFile shows the file dialog for req over the main window, in the
// last used folder, and remembers the folder of the file chosen.
func (u *UI) chooseFile(req native.Request, then func(path string)) { u.chooseFileOn(u.Win, req, then) }

// chooseFileOn is chooseFile over the window win.
func (u *UI) chooseFileOn(win fyne.Window, req native.Request, then func(path string)) {
	if req.Dir == "" {
		req.Dir = u.lastFolder()
	}
	choose := u.Files
	if choose == nil {
		choose = fyneChooser
	}
	choose(win, req, func(path string) {
		if path != "" {
			u.App.Preferences().SetString(lastFolderKey, filepath.Dir(path))
		}
		then(path)
	})
}

// systemChooser shows the system's dialog off the UI goroutine, with a
// modal notice over the window meanwhile (so the window can neither be
// used nor freeze), and falls back to Fyne's dialog where the system has
// none or it fails.
func systemChooser(win fyne.Window, req native.Request, then func(path string)) {
	if !native.Available() {
		fyneChooser(win, req, then)
		return
	}
	what := "要打开的文件"
	if req.Save {
		what = "保存位置"
	}
	note := wrapLabel("请在弹出的文件窗口中选择" + what + "。选好或取消后即可继续。")
	wait := dialog.NewCustomWithoutButtons(req.Title, container.NewGridWrap(fyne.NewSize(min(400, win.Canvas().Size().Width-60), 60), note), win)
	wait.Show()
	go func() {
		path, err := native.Choose(req)
		fyne.Do(func() {
			wait.Hide()
			switch {
			case err == nil:
				then(path)
			case errors.Is(err, native.ErrCancelled):
				then("")
			default:
				log.Printf("system file dialog: %v", err)
				fyneChooser(win, req, then)
			}
		})
	}()
}

// fyneChooser is Fyne's own file dialog, filtered by type, in req.Dir.
func fyneChooser(win fyne.Window, req native.Request, then func(path string)) {
	var d *dialog.FileDialog
	if req.Save {
		d = dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				then("")
				return
			}
			path := w.URI().Path()
			w.Close()
			if full := native.WithExt(path, req.Ext); full != path {
				// The dialog created the file it was given; the name gets its extension.
				if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
					os.Remove(path)
				}
				path = full
			}
			then(path)
		}, win)
		d.SetFileName(req.Name)
	} else {
		d = dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				then("")
				return
			}
			path := r.URI().Path()
			r.Close()
			then(path)
		}, win)
	}
	d.SetTitleText(req.Title)
	if req.Ext != "" {
		d.SetFilter(storage.NewExtensionFileFilter([]string{req.Ext}))
	}
	if req.Dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(req.Dir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(formSize(win, 860, 600))
	d.Show()
}

// saveFile asks where to save, writes through a temporary name off the UI
// goroutine with a progress dialog, then offers to open the file. write
// returns a short Chinese summary for the final message.
func saveFile(u *UI, title, defaultName string, write func(w io.Writer) (string, error)) {
	u.chooseFile(fileRequest(title, true, defaultName, typeOf(defaultName)), func(path string) {
		if path != "" {
			u.writeTo(title, path, write)
		}
	})
}

// writeTo writes path (used by saveFile, and directly by tests).
func (u *UI) writeTo(title, path string, write func(w io.Writer) (string, error)) {
	prog := showProgress(u, title, "正在生成文件，请稍候…")
	var summary string
	u.run(func() error {
		err := files.Write(path, func(w io.Writer) (err error) {
			summary, err = write(w)
			return err
		})
		var we *files.WriteError
		switch {
		case !errors.As(err, &we):
			return err
		case we.Step == files.StepCreate:
			return app.Wrap(app.EIO, err, "无法写入“%s”，请换一个文件夹或检查权限。", filepath.Base(path))
		case we.Step == files.StepClose:
			return app.Wrap(app.EIO, err, "写入“%s”失败，请检查磁盘空间。", filepath.Base(path))
		}
		return app.Wrap(app.EIO, err, "写入“%s”失败。", filepath.Base(path))
	}, func(err error) {
		prog.Hide()
		if err != nil {
			u.showError(err)
			return
		}
		u.lastSaved = path
		fitConfirm(u.Win, title, "打开文件", "关闭", 480, 110, wrapLabel(summary+"\n已保存到："+path), func(open bool) {
			if open {
				u.openSaved(path, nil)
			}
		}).Show()
	})
}

// openSaved opens a file just written in the system's viewer, off the UI
// goroutine, and says honestly when that failed, with where the file is.
// done, when not nil, is called on the UI goroutine with the outcome.
func (u *UI) openSaved(path string, done func(err error)) { u.openSavedOn(u.Win, path, done) }

// openSavedOn is openSaved with its messages over the window win.
func (u *UI) openSavedOn(win fyne.Window, path string, done func(err error)) {
	view := u.Viewer
	if view == nil {
		view = func(p string) error { return u.App.OpenURL(fileURL(p)) }
	}
	u.run(func() error { return view(path) }, func(err error) {
		if err != nil {
			log.Printf("open %s: %v", path, err)
			u.lastViewError = viewFailure(path, err)
			showViewFailure(u, win, path, err)
		}
		if done != nil {
			done(err)
		}
	})
}

// viewFailure says in Chinese why path could not be opened and where it is.
func viewFailure(path string, err error) string {
	ext := strings.ToLower(filepath.Ext(path))
	why := "打开文件的程序没有启动成功"
	if errors.Is(err, native.ErrNoViewer) {
		why = "这台电脑上没有找到能打开 " + ext + " 文件的程序"
		switch ext {
		case ".pdf":
			why += "（需要 PDF 阅读器，例如浏览器或 WPS）"
		case ".xlsx":
			why += "（需要 WPS 表格或 Excel）"
		}
	}
	return fmt.Sprintf("没能自动打开文件：%s。\n文件已经保存好了，在：\n%s\n请在文件夹中找到它，用相应的程序打开。", why, path)
}

// showViewFailure shows viewFailure with a button that copies the path.
func showViewFailure(u *UI, win fyne.Window, path string, err error) {
	var d dialog.Dialog
	copyPath := widget.NewButton("复制文件路径", func() {
		u.App.Clipboard().SetContent(path)
		d.Hide()
	})
	body := scrollAbove(wrapLabel(viewFailure(path, err)), container.NewHBox(spacer(), copyPath, widget.NewButton("关闭", func() { d.Hide() })))
	d = fitDialog(win, "未能打开文件", 520, 170, body)
	d.Show()
}

// openFile asks for a file of type t to read.
func openFile(u *UI, title string, t fileType, onPath func(path string)) {
	u.chooseFile(fileRequest(title, false, "", t), func(path string) {
		if path != "" {
			onPath(path)
		}
	})
}
