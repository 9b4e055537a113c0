package ui

import (
	"io"
	"net/url"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"tuanwu/app"
	"tuanwu/data/files"
)

// saveFile asks where to save, writes through a temporary name off the UI
// goroutine with a progress dialog, then offers to open the file. write
// returns a short Chinese summary for the final message.
func saveFile(u *UI, title, defaultName string, write func(w io.Writer) (string, error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		u.writeTo(title, path, write)
	}, u.Win)
	d.SetFileName(defaultName)
	d.Show()
}

// writeTo writes path (used by saveFile, and directly by tests).
func (u *UI) writeTo(title, path string, write func(w io.Writer) (string, error)) {
	prog := showProgress(u, title, "正在生成文件，请稍候…")
	var summary string
	u.run(func() error {
		tmp := path + ".part"
		f, err := files.Create(tmp) // private: 0600
		if err != nil {
			return app.Wrap(app.EInvalid, err, "无法写入“%s”，请换一个文件夹或检查权限。", filepath.Base(path))
		}
		if summary, err = write(f); err != nil {
			f.Close()
			os.Remove(tmp)
			return err
		}
		if err := f.Close(); err != nil {
			os.Remove(tmp)
			return app.Wrap(app.EInvalid, err, "写入“%s”失败，请检查磁盘空间。", filepath.Base(path))
		}
		return os.Rename(tmp, path)
	}, func(err error) {
		prog.Hide()
		if err != nil {
			u.showError(err)
			return
		}
		u.lastSaved = path
		dialog.ShowCustomConfirm(title, "打开文件", "关闭", wrapLabel(summary+"\n已保存到："+path), func(open bool) {
			if open {
				if link, err := url.Parse(storage.NewFileURI(path).String()); err == nil {
					if err := u.App.OpenURL(link); err != nil {
						u.showError(err)
					}
				}
			}
		}, u.Win)
	})
}

// openFile asks for a file to read.
func openFile(u *UI, onPath func(path string)) {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		onPath(path)
	}, u.Win)
}
