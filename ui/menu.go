package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"tuanwu/app"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

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

func showAbout(u *UI) {
	lic := widget.NewLabel(fontLicence())
	lic.Wrapping = fyne.TextWrapWord
	body := container.NewBorder(
		widget.NewLabel("团务台：团员与团组织管理（离线桌面版）\n版本 "+app.Version+"\n"+u.storeLabel("存储文件：")+"\n\n界面字体：文泉驿微米黑（Apache-2.0 许可），许可全文如下："),
		nil, nil, nil, container.NewVScroll(lic))
	d := fitCustom(u.Win, "关于团务台", "关闭", 560, 420, body)
	d.Show()
}

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
		var save func()
		save = func() {
			err := u.svc.SetGradSwitchDate(u.ctx, u.sess, strings.TrimSpace(e.Text))
			if u.offerRetry(err, save) { // the server is down: 重试 keeps the date
				return
			}
			if err != nil {
				u.showError(err)
				return
			}
			u.sweep()
		}
		save()
	}, u.Win)
}
