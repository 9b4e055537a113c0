package ui

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
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
	OneWindow bool
	lock      *single.Lock
	lockPath  string
	already   *alreadyOpen // the screen of a second copy, for tests
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
		return
	}
	u.main = newMainScreen(u)
	u.setContent(u.main.build())
	u.setMenu()
	u.main.bindShortcuts()
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
	showErrorDialog(errorText(err), u.Win)
}

type userError string

func (e userError) Error() string { return string(e) }

func errorText(err error) error { return userError(app.ErrorMessage(err)) }

func (u *UI) setMenu() {
	file := fyne.NewMenu("文件",
		fyne.NewMenuItem("新建数据文件…", u.onNewStore),
		fyne.NewMenuItem("打开数据文件…", u.onOpenStore),
		fyne.NewMenuItem(connectServerMenu, func() { showServerForm(u) }),
	)
	if u.sess != nil && u.sess.Owner {
		if isServerLoc(u.Path) {
			// The server's backups are IT's (pg_dump); the window can only take the data home.
			file.Items = append(file.Items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("备份…", u.onServerBackup),
				fyne.NewMenuItem(backupsMenu, u.onServerBackup), fyne.NewMenuItem(restoreMenu, u.onServerBackup))
		} else {
			file.Items = append(file.Items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("备份…", u.onBackup),
				fyne.NewMenuItem(backupsMenu, func() { u.onBackups() }), fyne.NewMenuItem(restoreMenu, u.onRestore))
		}
	}
	closeItem := fyne.NewMenuItem("关闭对话框或当前页面", u.closeTop)
	closeItem.Shortcut = shortcutClose
	quit := fyne.NewMenuItem("退出", u.quit)
	quit.IsQuit = true
	quit.Shortcut = shortcutQuit
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), closeItem, quit)
	menus := []*fyne.Menu{file}
	if u.main != nil {
		search := fyne.NewMenuItem("查找团员", func() { u.closePages(); u.main.page.focusSearch() })
		search.Shortcut = shortcutSearch
		refresh := fyne.NewMenuItem("刷新", u.refresh)
		refresh.Shortcut = shortcutRefresh
		menus = append(menus, fyne.NewMenu("查看", search, refresh))
	}
	if u.sess != nil && !u.sess.Account.MustChange {
		business := fyne.NewMenu("业务办理", fyne.NewMenuItem("操作中心（待办事项）…", func() { showNotices(u) }))
		if u.sess.IsAdmin() {
			business.Items = append(business.Items,
				fyne.NewMenuItem("组织关系转接办理与审批…", func() { showTransferCenter(u) }),
			)
		}
		menus = append(menus, business)
	}
	if u.sess != nil && u.sess.IsAdmin() {
		tools := []*fyne.MenuItem{
			fyne.NewMenuItem("操作日志…", func() {
				var org app.Org
				if u.main != nil {
					org = u.main.page.org
				}
				u.audit = showAudit(u, org)
			}),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("导出附件3：信息录入错误团员汇总表…", u.onErrorReport),
			fyne.NewMenuItem("导出附件4：未标记毕业时间的团支部…", u.onUnmarkedReport),
		}
		if u.sess.KeepsAbroadRegister() {
			// R-T2: the school and college committees keep the register.
			tools = append(tools, fyne.NewMenuItem(abroadRegisterMenu, u.onAbroadRegister))
		}
		tools = append(tools, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(gradProgressMenu, func() { showGradProgress(u) }),
			fyne.NewMenuItem(outsideDirMenu, func() { showOutsideDir(u) }),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("保存空白导入模板…", func() { saveTemplate(u) }))
		menus = append(menus, fyne.NewMenu("工具", tools...))
		if u.sess.Owner {
			menus[len(menus)-1].Items = append(menus[len(menus)-1].Items, fyne.NewMenuItemSeparator(),
				fyne.NewMenuItem("毕业生团组织转换日期…", u.onGradSwitch))
		}
	}
	if u.sess != nil {
		menus = append(menus, fyne.NewMenu("账号",
			fyne.NewMenuItem("修改密码…", func() { u.pwd = showChangePassword(u, false, "", nil) }),
			fyne.NewMenuItem("注销 / 切换账号", func() { u.showLogin("", "") }),
		))
	}
	menus = append(menus, fyne.NewMenu("帮助",
		fyne.NewMenuItem(guideMenu, func() { u.guide = showGuide(u) }),
		fyne.NewMenuItem("关于团务台", func() { showAbout(u) })))
	u.Win.SetMainMenu(fyne.NewMainMenu(menus...))
}

func (u *UI) switchStore(path string) {
	ok, keep := u.claim(path, u.svc != nil)
	if !ok {
		return
	}
	svc, err := u.Open(path)
	keep(err == nil)
	if err != nil {
		u.showError(err)
		return
	}
	u.Path = path
	u.App.Preferences().SetBool(prefServerReconnect, isServerLoc(path))
	u.useService(svc)
}

func (u *UI) onNewStore() {
	u.chooseFile(fileRequest("新建数据文件", true, "团务台.db", dbFile), func(path string) {
		if path == "" {
			return
		}
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			// Never start a new store over one that holds data.
			u.showError(app.Errorf(app.EConflict, "“%s”已经存在。新建数据文件请换一个文件名；要使用这个文件，请用“文件 → 打开数据文件”。", filepath.Base(path)))
			return
		} else if err == nil {
			os.Remove(path) // an empty file (Fyne's dialog creates one): SQLite starts it anew
		}
		u.switchStore(path)
	})
}

func (u *UI) onOpenStore() {
	u.chooseFile(fileRequest("打开数据文件", false, "", dbFile), func(path string) {
		if path != "" {
			u.switchStore(path)
		}
	})
}

func (u *UI) onBackup() {
	name := "团务台备份-" + u.svc.Now().Format("2006-01-02-1504") + ".db"
	u.chooseFile(fileRequest("备份数据文件", true, name, dbFile), func(path string) {
		if path == "" {
			return
		}
		os.Remove(path) // VACUUM INTO needs a new file (overwriting was confirmed in the dialog)
		prog := showProgress(u, "正在备份", "正在写入并校验备份文件…")
		u.run(func() error { return u.svc.Backup(u.ctx, u.sess, path) }, func(err error) {
			prog.Hide()
			if err != nil {
				u.showError(err)
				return
			}
			showInfo("备份完成", "已备份到：\n"+path+"\n备份文件已校验通过。", u.Win)
		})
	})
}

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

func showAbout(u *UI) {
	lic := widget.NewLabel(fontLicence())
	lic.Wrapping = fyne.TextWrapWord
	body := container.NewBorder(
		widget.NewLabel("团务台：团员与团组织管理（离线桌面版）\n版本 "+app.Version+"\n"+u.storeLabel("存储文件：")+"\n\n界面字体：文泉驿微米黑（Apache-2.0 许可），许可全文如下："),
		nil, nil, nil, container.NewVScroll(lic))
	d := fitCustom(u.Win, "关于团务台", "关闭", 560, 420, body)
	d.Show()
}

func spacer() fyne.CanvasObject { return layout.NewSpacer() }

// abroadRegisterMenu is the 工具 menu item of the register of 出国（境）学习研究 members.
const abroadRegisterMenu = "导出出国（境）学习研究团员登记册…"

// onAbroadRegister exports the register of the members in the colleges'
// 出国(境)学习研究团员团支部 (R-T2, 登记造册).
func (u *UI) onAbroadRegister() {
	saveFile(u, "导出出国（境）学习研究团员登记册", datedName(u, "出国（境）学习研究团员登记册"), func(w io.Writer) (string, error) {
		return writeAbroadRegisterTo(u, w)
	})
}

// writeAbroadRegisterTo writes the register to w and returns the summary shown after saving.
func writeAbroadRegisterTo(u *UI, w io.Writer) (string, error) {
	rows, err := u.svc.AbroadRegister(u.ctx, u.sess)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("共 %d 名出国（境）学习研究团员。", len(rows)), u.Codecs.WriteAbroadRegister(w, rows)
}

// sweep applies the dated rules (R-T4 deadlines, R-G5 graduation switch)
// in the background: now, and every hour while the window stays open (so a
// deadline passed overnight is applied soon after; a sweep with nothing due
// costs one indexed query).
func (u *UI) sweep() {
	svc := u.svc
	do := func() {
		if err := u.sweepAll(svc); err != nil {
			log.Printf("sweep: %v", err)
		}
	}
	if u.Sync {
		do()
		return
	}
	go do()
	if u.ticker == nil {
		u.ticker = time.NewTicker(time.Hour)
		go func() {
			for range u.ticker.C {
				var current *app.Service
				fyne.DoAndWait(func() { current = u.svc }) // the store may have been switched
				if current != nil {
					if err := u.sweepAll(current); err != nil {
						log.Printf("hourly sweep: %v", err)
					}
					// The day's automatic backup, once the date has turned.
					if _, err := current.AutoBackup(u.ctx); err != nil {
						log.Printf("automatic backup: %v", err)
					}
				}
			}
		}()
	}
}

// sweepAll runs svc's sweep of the dated rules. When it will approve
// steps by default, and so move members, it first takes the 操作前 backup
// that other bulk actions take (issue 10, item 10): the office can go back
// to just before it from 文件 → 备份与恢复. A failed backup is logged and
// the sweep goes on (it is one transaction, and the day's backup remains).
func (u *UI) sweepAll(svc *app.Service) error {
	u.backupBeforeSweep(svc)
	_, err := svc.SweepAll(u.ctx)
	return err
}

// backupBeforeSweep takes svc's 操作前 backup when its sweep will move
// members.
func (u *UI) backupBeforeSweep(svc *app.Service) {
	moves, err := svc.SweepMoves(u.ctx)
	if err != nil {
		log.Printf("sweep: %v", err)
		return
	}
	if !moves {
		return
	}
	if _, _, err := svc.BackupBefore(u.ctx); err != nil {
		log.Printf("backup before sweep: %v", err)
	}
}

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

// onGradSwitch sets the day on which the year's marked branches become
// 毕业生团组织 (R-G5).
func (u *UI) onGradSwitch() {
	cur, err := u.svc.GradSwitchDate(u.ctx)
	if err != nil {
		u.showError(err)
		return
	}
	e := widget.NewEntry()
	e.SetText(cur)
	dialog.ShowForm("毕业生团组织转换日期", "保存", "取消", []*widget.FormItem{
		widget.NewFormItem("每年的", e),
		widget.NewFormItem("", wrapLabel("到这一天（月-日），当年已标记毕业时间的团支部自动变更为“毕业生团组织”。默认 07-01。")),
	}, func(ok bool) {
		if !ok {
			return
		}
		if err := u.svc.SetGradSwitchDate(u.ctx, u.sess, strings.TrimSpace(e.Text)); err != nil {
			u.showError(err)
			return
		}
		u.sweep()
	}, u.Win)
}
