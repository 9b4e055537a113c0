package ui

import (
	"context"
	"log"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
	"tuanwu/assets"
	"tuanwu/ui/single"
)

// Opener opens (creating when missing) the store file at path and returns
// the service over it.
type Opener func(path string) (*app.Service, error)

// Codecs are the file encoders and decoders the screens use; main.go
// passes them in so that ui imports neither Excel nor PDF code.
type Codecs = app.Codecs

// UI is the application window and the flow between its screens: first-run
// set-up, sign-in, the main window.
type UI struct {
	App    fyne.App
	Win    fyne.Window
	Open   Opener
	Codecs Codecs
	// Restore replaces the store by a backup (data.Restore; main passes it in).
	Restore Restorer
	Path    string // the store file, or the server's postgres:// location (no password)
	// OpenServer opens a store on the school server with the password
	// apart from the location (server.go; main passes data.OpenWithPassword).
	OpenServer ServerOpener
	// OfferServer: Start offers to reconnect to the remembered server
	// (main sets it when no store was named by --db or TUANWU_DB).
	OfferServer  bool
	server       *serverForm      // the 连接学校服务器 form on show, for tests
	reconnect    *reconnectScreen // the start screen asking for the server's password
	serverBackup dialog.Dialog    // 文件 → 备份 on a server store, for tests
	svc          *app.Service
	sess         *app.Session
	ctx          context.Context
	main         *mainScreen
	// The screens and dialogs on show, kept for tests.
	setup    *setupScreen
	login    *loginScreen
	pwd      *passwordDialog
	personal *personalCentre
	notices  *noticeCenter
	guide    *guideView // 帮助 → 使用说明, for tests
	audit    *auditView
	practice *practiceBar // the 练习数据 banner; nil on a real store
	// Sync runs background work on the calling goroutine (tests).
	Sync      bool
	ticker    *time.Ticker // the daily sweep
	live      *liveWatch   // asks whether another desk changed the store (live.go)
	lastSaved string       // the last file written, for tests
	// Files shows the file dialogs (nil: Fyne's; UseSystemDialogs: the
	// system's) and Viewer opens a saved file (nil: App.OpenURL).
	Files         Chooser
	Viewer        func(path string) error
	lastViewError string        // the last “未能打开文件” message, for tests
	emptyExport   dialog.Dialog // the last “将是空表” confirmation, for tests
	// The pages over the main screen (pages.go) and the screen under them.
	pages []*page
	base  fyne.CanvasObject
	// OneWindow: one window per data file (onewindow.go); main sets it.
	OneWindow   bool
	lock        *single.Lock
	lockPath    string
	already     *alreadyOpen  // the screen of a second copy, for tests
	offline     offlineState  // the school server's reachability (offline.go)
	retryDialog dialog.Dialog // the last 重试 offer (offline.go), for tests
}

// New returns the UI for the store at path; call Start to show it.
func New(a fyne.App, w fyne.Window, open Opener, path string) *UI {
	useChinese()
	a.Settings().SetTheme(NewTheme())
	// go run/go build do not embed FyneApp.toml's icon; the bundled one always works.
	a.SetIcon(assets.Icon)
	w.SetIcon(assets.Icon)
	u := &UI{App: a, Win: w, Open: open, Path: path, ctx: context.Background()}
	w.Resize(initialWindowSize(a.Preferences()))
	a.Lifecycle().SetOnStopped(func() {
		u.saveWindowSize()
		u.releaseLock()
	})
	u.bindKeys(w)
	w.SetCloseIntercept(u.quit)
	return u
}

// Start opens the store and shows set-up or sign-in; when the last store
// was the school server (and none was named), it first offers to connect
// to it again.
func (u *UI) Start() {
	if u.OfferServer && !isServerLoc(u.Path) && u.App.Preferences().Bool(prefServerReconnect) {
		u.showReconnect()
		return
	}
	u.startFile()
}

// startFile opens the store at u.Path and shows set-up or sign-in.
func (u *UI) startFile() {
	ok, keep := u.claim(u.Path, false)
	if !ok {
		return
	}
	u.already = nil
	keep(true) // even when the store cannot be opened: its error screen is this window's
	svc, err := u.Open(u.Path)
	if err != nil {
		u.showStoreError(err)
		return
	}
	u.useService(svc)
}

func (u *UI) useService(svc *app.Service) {
	if u.svc != nil && u.svc != svc {
		if err := u.svc.Store.Close(); err != nil {
			log.Printf("close store: %v", err)
		}
	}
	closeTransferCenter(u)
	u.closePages()
	u.stopLive()
	u.svc, u.sess, u.main = svc, nil, nil
	u.Win.SetTitle("团务台")
	u.setMenu()
	u.refreshPractice()
	ok, err := svc.Initialized(u.ctx)
	if err != nil {
		u.showStoreError(err)
		return
	}
	if ok {
		u.sweep()
		u.autoBackup(svc)
	}
	if !ok {
		u.setup = newSetupScreen(u)
		u.setContent(u.setup.build())
		return
	}
	u.showLogin("", "")
}

// showStoreError shows why the store cannot be used, with ways out.
func (u *UI) showStoreError(err error) {
	log.Printf("store %s: %v", u.Path, err)
	u.practice = nil
	msg := widget.NewLabel(app.ErrorMessage(err))
	msg.Wrapping = fyne.TextWrapWord
	what := "无法打开数据文件"
	if isServerLoc(u.Path) {
		what = "无法连接学校服务器"
	}
	title := canvas.NewText(what, theme.Color(theme.ColorNameError))
	title.TextSize = 20
	u.Win.SetContent(container.NewCenter(container.NewVBox(title, container.NewGridWrap(fyne.NewSize(520, 90), msg),
		container.NewHBox(widget.NewButtonWithIcon("打开其他数据文件…", theme.FolderOpenIcon(), u.onOpenStore),
			widget.NewButtonWithIcon("新建数据文件…", theme.DocumentCreateIcon(), u.onNewStore),
			widget.NewButtonWithIcon(connectServerMenu, theme.ComputerIcon(), func() { showServerForm(u) }),
			widget.NewButton("退出", u.App.Quit)))))
}

func (u *UI) showLogin(id, hint string) {
	closeTransferCenter(u)
	u.closePages()
	// The signed-out session's dialogs (操作中心) go too; the cursor goes
	// to the sign-in screen.
	for c := u.Win.Canvas(); c.Overlays().Top() != nil; {
		c.Overlays().Remove(c.Overlays().Top())
	}
	u.sess, u.main = nil, nil
	u.stopLive()
	u.setMenu()
	u.refreshPractice() // set-up may just have made practice data
	u.login = newLoginScreen(u, id, hint)
	u.setContent(u.login.build())
	u.login.focus()
}

func (u *UI) showMain(sess *app.Session) {
	u.sess = sess
	if !sess.IsAdmin() {
		// A member account sees its personal centre only (R-A5).
		u.main = nil
		u.personal = newPersonalCentre(u)
		u.setContent(u.personal.build())
		u.setMenu()
		u.startLive()
		return
	}
	u.main = newMainScreen(u)
	u.setContent(u.main.build())
	u.setMenu()
	u.main.bindShortcuts()
	u.startLive()
}

// run does work off the UI goroutine and then done on it; errors go to an
// error dialog unless done handles them.
func (u *UI) run(work func() error, done func(error)) {
	if u.Sync {
		done(work())
		return
	}
	go func() {
		err := work()
		fyne.Do(func() { done(err) })
	}()
}

// showError shows err's Chinese message in a dialog and logs the details.
func (u *UI) showError(err error) {
	if err == nil {
		return
	}
	log.Printf("error: %v", err)
	u.noteServer(err)
	showErrorDialog(errorText(err), u.Win)
}

type userError string

func (e userError) Error() string { return string(e) }

func errorText(err error) error { return userError(app.ErrorMessage(err)) }

// progress is a modal dialog with a bar for long work.
type progress struct {
	d   dialog.Dialog
	bar *widget.ProgressBar
	msg *widget.Label
}

func showProgress(u *UI, title, text string) *progress {
	p := &progress{bar: widget.NewProgressBar(), msg: widget.NewLabel(text)}
	p.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(p.msg, container.NewGridWrap(fyne.NewSize(360, 36), p.bar)), u.Win)
	p.d.Show()
	return p
}

// Set updates the bar from any goroutine.
func (p *progress) Set(done, total int) {
	fyne.Do(func() {
		if total > 0 {
			p.bar.SetValue(float64(done) / float64(total))
		}
	})
}

func (p *progress) Hide() { p.d.Hide() }

func spacer() fyne.CanvasObject { return layout.NewSpacer() }

// signedIn shows the window for a signed-in account, then 操作中心 when
// there is something to do (R-N1, R-T4: steps open for 10 days are
// flagged at sign-in). The notices are gathered off the UI goroutine.
func (u *UI) signedIn(sess *app.Session) {
	u.showMain(sess)
	var list []app.Notice
	u.run(func() (err error) { list, err = u.svc.Notices(u.ctx, sess); return err }, func(err error) {
		if err != nil {
			log.Printf("notices: %v", err)
			return
		}
		if len(list) > 0 && u.sess == sess {
			u.notices = showNotices(u)
		}
	})
}
