package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"tuanwu/app"
	"tuanwu/ui/native"
)

// fakeFiles is a Chooser that records what each dialog asked for and
// answers with a path in dir (or "" for 取消).
type fakeFiles struct {
	dir    string
	cancel bool
	reqs   []native.Request
}

func (f *fakeFiles) choose(_ fyne.Window, req native.Request, then func(string)) {
	f.reqs = append(f.reqs, req)
	if f.cancel {
		then("")
		return
	}
	then(filepath.Join(f.dir, req.Name))
}

func (f *fakeFiles) last(t *testing.T) native.Request {
	t.Helper()
	if len(f.reqs) == 0 {
		t.Fatal("no file dialog was shown")
	}
	return f.reqs[len(f.reqs)-1]
}

// Issue 11, native file dialogs: every file chosen goes through one
// Chooser that is told the type (filter), a name that says what the file is
// (with the store's date) and the last used folder, remembered in the
// preferences across dialogs.
func TestFileDialogsAskForTypeNameAndFolder(t *testing.T) {
	u := demoUI(t)
	withCodecs(u)
	c := u.Win.Canvas()
	closeOverlays(c)
	f := &fakeFiles{dir: t.TempDir()}
	u.Files = f.choose
	u.App.Preferences().SetString(lastFolderKey, "")
	day := testNow.Format("2006-01-02")
	m := graduates(t, u)[0]
	if _, err := u.svc.ReportError(u.ctx, u.sess, m.IDNo, "身份证"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		do       func()
		save     bool
		ext      string
		fileName string // "" for an open dialog
	}{
		{"附件3", u.onErrorReport, true, ".xlsx", "附件3-信息录入错误团员-" + day + ".xlsx"},
		{"附件4", func() { test.Tap(showUnmarkedExport(u).ok) }, true, ".xlsx", "附件4-未标记团支部-"},
		{"空白导入模板", func() { saveTemplate(u) }, true, ".xlsx", "团员团干部导入模板.xlsx"},
		{"备份", u.onBackup, true, ".db", "团务台备份-" + day},
		{"打开数据文件", func() { f.cancel = true; u.onOpenStore() }, false, ".db", ""},
		{"从备份恢复", func() { f.cancel = true; u.onRestore() }, false, ".db", ""},
		{"导入团员", func() { f.cancel = true; openFile(u, "选择要导入的 Excel 文件", xlsxFile, func(string) {}) }, false, ".xlsx", ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.cancel = false
			before := len(f.reqs)
			tc.do()
			closeOverlays(c)
			if len(f.reqs) != before+1 {
				t.Fatalf("%d file dialogs shown, want 1", len(f.reqs)-before)
			}
			req := f.last(t)
			if req.Save != tc.save || req.Ext != tc.ext || req.Filter == "" || !strings.HasPrefix(req.Name, tc.fileName) || (tc.fileName == "") != (req.Name == "") {
				t.Fatalf("dialog asked for %+v; want save %v, %s, name %q…", req, tc.save, tc.ext, tc.fileName)
			}
			if i > 0 && req.Dir != f.dir {
				t.Fatalf("dialog opened in %q, want the last used folder %q", req.Dir, f.dir)
			}
			if tc.save {
				if _, err := os.Stat(filepath.Join(f.dir, req.Name)); err != nil {
					t.Fatalf("%s was not written: %v", req.Name, err)
				}
			}
		})
	}
	if got := u.App.Preferences().String(lastFolderKey); got != f.dir {
		t.Fatalf("last folder remembered %q, want %q", got, f.dir)
	}
}

// Issue 11: 新建数据文件 never starts over a file that holds data (the old
// Fyne dialog truncated it): the user is told to choose another name.
func TestNewStoreRefusesAnExistingFile(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	dir := t.TempDir()
	existing := filepath.Join(dir, "团务台.db")
	if err := os.WriteFile(existing, []byte("SQLite format 3\x00 some data"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &fakeFiles{dir: dir}
	u.Files = f.choose
	path := u.Path
	u.onNewStore()
	if u.Path != path {
		t.Fatalf("the store switched to %s", u.Path)
	}
	if b, _ := os.ReadFile(existing); !strings.Contains(string(b), "some data") {
		t.Fatal("the existing file was changed")
	}
	if !overlayHasText(u.Win.Canvas(), "已经存在") {
		t.Fatal("no message says that the file exists")
	}
}

// Issue 11 item 5: an empty 附件3 is confirmed first (saying why) and
// cancelling writes nothing; confirming writes it and the export is in the trail.
func TestEmptyErrorReportIsConfirmed(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	withCodecs(u)
	f := &fakeFiles{dir: t.TempDir()}
	u.Files = f.choose
	u.onErrorReport()
	if u.emptyExport == nil || len(f.reqs) != 0 {
		t.Fatalf("an empty 附件3 must be confirmed before the save dialog (dialogs shown: %d)", len(f.reqs))
	}
	if !overlayHasText(u.Win.Canvas(), "空表") || !overlayHasText(u.Win.Canvas(), "信息录入错误") {
		t.Fatal("the warning must say the file would be empty and why")
	}
	test.Tap(findButton(u.Win.Canvas(), "取消"))
	if len(f.reqs) != 0 {
		t.Fatal("取消 must not ask where to save")
	}
	u.onErrorReport()
	test.Tap(findButton(u.Win.Canvas(), "仍然导出"))
	if len(f.reqs) != 1 || u.lastSaved == "" {
		t.Fatalf("仍然导出 must save 附件3 (dialogs %d, saved %q)", len(f.reqs), u.lastSaved)
	}
	entries, err := u.svc.Audit(u.ctx, u.sess, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || strings.Contains(e.Action, "导出附件3")
	}
	if !found {
		t.Fatal("the 附件3 export is not in the audit trail")
	}
}

// Issue 11, opening the saved file honestly: when the viewer cannot be
// started the user is told why and where the file is; when it starts,
// nothing claims otherwise.
func TestOpenSavedReportsFailure(t *testing.T) {
	u := newTestUI(t)
	initStore(t, u)
	signIn(t, u)
	path := filepath.Join(t.TempDir(), "附件4-未标记团支部.xlsx")
	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"no viewer", fmt.Errorf("xdg-open: %w", native.ErrNoViewer), []string{"没有找到能打开 .xlsx 文件的程序", path}},
		{"launcher failed", errors.New("exit status 1"), []string{"没有启动成功", path}},
		{"opened", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			closeOverlays(u.Win.Canvas())
			u.lastViewError = ""
			var opened string
			u.Viewer = func(p string) error { opened = p; return tc.err }
			var got error
			u.openSaved(path, func(err error) { got = err })
			if opened != path || !errors.Is(got, tc.err) {
				t.Fatalf("viewer got %q, outcome %v", opened, got)
			}
			for _, w := range tc.want {
				if !strings.Contains(u.lastViewError, w) || !overlayHasText(u.Win.Canvas(), w) {
					t.Fatalf("message %q lacks %q", u.lastViewError, w)
				}
			}
			if tc.err == nil && (u.lastViewError != "" || u.Win.Canvas().Overlays().Top() != nil) {
				t.Fatalf("an opened file needs no message, got %q", u.lastViewError)
			}
		})
	}
}

// Issue 11: the system chooser runs the dialog program off the UI
// goroutine behind a modal notice, comes back with the path, and falls
// back to Fyne's dialog where there is no dialog program.
func TestSystemChooser(t *testing.T) {
	u := newTestUI(t)
	c := u.Win.Canvas()
	dir := t.TempDir()
	script := "#!/bin/sh\n[ \"$1\" = --version ] && { echo 4.0; exit 0; }\n/bin/sleep 0.3\necho " + filepath.Join(dir, "chosen") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "zenity"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("DISPLAY", ":99")
	got := make(chan string, 1)
	systemChooser(u.Win, fileRequest("导出附件3", true, "a.xlsx", xlsxFile), func(p string) { got <- p })
	if c.Overlays().Top() == nil || !overlayHasText(c, "请在弹出的文件窗口中选择保存位置") {
		t.Fatal("no notice over the window while the system dialog is open")
	}
	select {
	case p := <-got:
		if p != filepath.Join(dir, "chosen.xlsx") {
			t.Fatalf("chosen %q", p)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the chooser never came back")
	}
	if c.Overlays().Top() != nil {
		t.Fatal("the notice stays after the dialog closed")
	}
	// No dialog program: Fyne's dialog, filtered.
	t.Setenv("PATH", t.TempDir())
	systemChooser(u.Win, fileRequest("打开数据文件", false, "", dbFile), func(string) {})
	if _, ok := topDialog(c).(*dialog.FileDialog); !ok && c.Overlays().Top() == nil {
		t.Fatal("no fallback dialog")
	}
	closeOverlays(c)
}

func topDialog(c fyne.Canvas) any { return c.Overlays().Top() }

// overlayHasText reports whether a label or text on the window's overlays contains s.
func overlayHasText(c fyne.Canvas, s string) bool {
	for _, o := range c.Overlays().List() {
		if strings.Contains(strings.Join(shownTexts(o), ""), s) {
			return true
		}
	}
	return false
}
