package ui

import (
	"errors"
	"log"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// 连接学校服务器 (issue 14): the window's way to the store on the school's
// PostgreSQL server. The form builds a postgres:// location without the
// password; the password goes to the driver through OpenServer (main
// passes data.OpenWithPassword): the address, port, database, user and
// TLS choice are remembered in the preferences; the password is asked for
// each time, or, when the user ticks it, kept in the OS keychain
// (keychain.go), never in clear beside the data.

// ServerOpener opens the store at a postgres:// location with password
// given to the driver apart from the location.
type ServerOpener func(loc, password string) (*app.Service, error)

const connectServerMenu = "连接学校服务器…"

// tlsChoice is one of the form's encryption choices and its sslmode.
type tlsChoice struct{ label, mode string }

var tlsChoices = []tlsChoice{
	{"不加密（仅限校内网）", "disable"},
	{"加密", "require"},
	{"加密并验证服务器证书（verify-full，需学校 CA 证书文件）", "verify-full"},
}

func tlsLabel(mode string) string {
	for _, c := range tlsChoices {
		if c.mode == mode {
			return c.label
		}
	}
	return ""
}

// serverSettings is what the form asks for, less the password.
type serverSettings struct {
	Host, Port, DB, User string
	TLS                  string // sslmode: disable, require, verify-full
	CA                   string // the school's CA certificate file (verify-full)
}

// The preference keys of the remembered server (never the password).
const (
	prefServerHost      = "server.host"
	prefServerPort      = "server.port"
	prefServerDB        = "server.database"
	prefServerUser      = "server.user"
	prefServerTLS       = "server.sslmode"
	prefServerCA        = "server.ca"
	prefServerReconnect = "server.reconnect" // the last store was this server
)

func loadServerSettings(p fyne.Preferences) serverSettings {
	return serverSettings{Host: p.String(prefServerHost), Port: p.StringWithFallback(prefServerPort, "5432"),
		DB: p.String(prefServerDB), User: p.String(prefServerUser),
		TLS: p.StringWithFallback(prefServerTLS, "require"), CA: p.String(prefServerCA)}
}

func (s serverSettings) save(p fyne.Preferences) {
	p.SetString(prefServerHost, s.Host)
	p.SetString(prefServerPort, s.Port)
	p.SetString(prefServerDB, s.DB)
	p.SetString(prefServerUser, s.User)
	p.SetString(prefServerTLS, s.TLS)
	p.SetString(prefServerCA, s.CA)
}

// URL checks the settings and returns the server location they name,
// without a password; the error is a Chinese sentence.
func (s serverSettings) URL() (string, error) {
	host := strings.TrimSpace(s.Host)
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	port := strings.TrimSpace(s.Port)
	db := strings.TrimSpace(s.DB)
	user := strings.TrimSpace(s.User)
	switch {
	case host == "":
		return "", errors.New("请填写服务器地址（信息中心提供的主机名或 IP 地址，例如 db.xxx.edu.cn）。")
	case strings.ContainsAny(host, "/?#@ \t") || strings.Contains(host, "://"):
		return "", errors.New("服务器地址只填主机名或 IP 地址（例如 db.xxx.edu.cn 或 10.1.2.3），不要带 postgres://、端口、斜杠或空格。")
	case db == "":
		return "", errors.New("请填写数据库名（信息中心为团务台建立的数据库，例如 tuanwu）。")
	case user == "":
		return "", errors.New("请填写数据库用户名（信息中心提供）。")
	}
	if port == "" {
		port = "5432"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", errors.New("端口应是 1 到 65535 之间的数字，PostgreSQL 通常是 5432。")
	}
	q := url.Values{}
	switch s.TLS {
	case "disable", "require":
		q.Set("sslmode", s.TLS)
	case "verify-full":
		ca := strings.TrimSpace(s.CA)
		if ca == "" {
			return "", errors.New("验证服务器证书需要学校的 CA 证书文件，请填写它的位置（向信息中心索取），或改选其他加密方式。")
		}
		if fi, err := os.Stat(ca); err != nil || fi.IsDir() {
			return "", errors.New("找不到 CA 证书文件“" + ca + "”，请核对文件位置。")
		}
		q.Set("sslmode", "verify-full")
		q.Set("sslrootcert", ca)
	default:
		return "", errors.New("请选择连接的加密方式。")
	}
	u := url.URL{Scheme: "postgres", User: url.User(user), Host: net.JoinHostPort(host, port), Path: "/" + db, RawQuery: q.Encode()}
	return u.String(), nil
}

// isServerLoc reports whether a store location names a server.
func isServerLoc(loc string) bool {
	l := strings.ToLower(strings.TrimSpace(loc))
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// serverName is “<host>/<database>” of a server location.
func serverName(loc string) string {
	u, err := url.Parse(strings.TrimSpace(loc))
	if err != nil {
		return "（地址无法识别）"
	}
	return u.Hostname() + "/" + strings.TrimPrefix(u.Path, "/")
}

// storeLabel says where the store is, for the status line and the
// screens: 学校服务器 <host>/<database>, or filePrefix and the file.
func (u *UI) storeLabel(filePrefix string) string {
	if isServerLoc(u.Path) {
		return "学校服务器 " + serverName(u.Path)
	}
	return filePrefix + u.Path
}

// serverForm is the 连接学校服务器 form.
type serverForm struct {
	u                        *UI
	host, port, db, user, ca *widget.Entry
	pw                       *widget.Entry
	keep                     *widget.Check // 在系统钥匙串中保存密码
	tls                      *widget.RadioGroup
	msg                      *widget.Label
	connect                  *widget.Button
	d                        dialog.Dialog
}

func newServerForm(u *UI) *serverForm {
	s := loadServerSettings(u.App.Preferences())
	f := &serverForm{u: u}
	f.host = widget.NewEntry()
	f.host.SetPlaceHolder("例如 db.xxx.edu.cn 或 10.1.2.3")
	f.host.SetText(s.Host)
	f.port = widget.NewEntry()
	f.port.SetText(s.Port)
	f.db = widget.NewEntry()
	f.db.SetPlaceHolder("例如 tuanwu")
	f.db.SetText(s.DB)
	f.user = widget.NewEntry()
	f.user.SetPlaceHolder("信息中心提供的数据库用户名")
	f.user.SetText(s.User)
	f.pw = widget.NewPasswordEntry()
	f.pw.SetPlaceHolder("信息中心提供的数据库密码")
	f.keep = newKeepCheck(u)
	f.pw.OnSubmitted = func(string) { f.onConnect() }
	f.ca = widget.NewEntry()
	f.ca.SetPlaceHolder("学校 CA 证书文件的位置，例如 /etc/ssl/school-ca.crt")
	f.ca.SetText(s.CA)
	labels := make([]string, len(tlsChoices))
	for i, c := range tlsChoices {
		labels[i] = c.label
	}
	f.tls = widget.NewRadioGroup(labels, func(string) { f.syncCA() })
	f.tls.Required = true
	f.tls.SetSelected(tlsLabel(s.TLS))
	f.syncCA()
	f.msg = errorLabel()
	f.connect = widget.NewButtonWithIcon("连接", theme.LoginIcon(), f.onConnect)
	f.connect.Importance = widget.HighImportance
	return f
}

func (f *serverForm) syncCA() {
	if f.settings().TLS == "verify-full" {
		f.ca.Enable()
	} else {
		f.ca.Disable()
	}
}

func (f *serverForm) settings() serverSettings {
	s := serverSettings{Host: f.host.Text, Port: f.port.Text, DB: f.db.Text, User: f.user.Text, CA: f.ca.Text}
	for _, c := range tlsChoices {
		if c.label == f.tls.Selected {
			s.TLS = c.mode
		}
	}
	return s
}

// onConnect opens the store on the server; a refusal shows the store's
// sentence in the form and changes nothing else.
func (f *serverForm) onConnect() {
	s := f.settings()
	loc, err := s.URL()
	if err != nil {
		f.msg.SetText(err.Error())
		return
	}
	pw := f.pw.Text
	f.msg.SetText("正在连接学校服务器 " + serverName(loc) + "…")
	f.connect.Disable()
	f.u.connectServer(loc, pw, func(err error) {
		f.connect.Enable()
		if err != nil {
			f.msg.SetText(app.ErrorMessage(err))
			return
		}
		f.pw.SetText("")
		s.save(f.u.App.Preferences())
		if f.d != nil {
			f.d.Hide()
		}
		f.u.keepPasswordAsChosen(loc, pw, f.keep)
	})
}

func (f *serverForm) form() fyne.CanvasObject {
	return container.NewVBox(widget.NewForm(
		widget.NewFormItem("服务器地址", f.host),
		widget.NewFormItem("端口", f.port),
		widget.NewFormItem("数据库名", f.db),
		widget.NewFormItem("用户名", f.user),
		widget.NewFormItem("密码", f.pw),
		widget.NewFormItem("加密方式", f.tls),
		widget.NewFormItem("CA 证书文件", f.ca),
	), wrapLabel("以上内容由学校信息中心提供。除密码外都会记住；密码只在勾选下面一项时由系统钥匙串保管，不写入团务台的任何文件。"),
		keepBox(f.keep))
}

// showServerForm shows the form in a dialog (文件 → 连接学校服务器, the set-up screen).
func showServerForm(u *UI) *serverForm {
	f := newServerForm(u)
	u.server = f
	// The message stays above the button, seen whole; the fields scroll
	// when the window is too low for them.
	body := container.NewBorder(nil, container.NewVBox(f.msg, container.NewHBox(spacer(), f.connect)), nil, nil, formScroll(f.form()))
	f.d = fitCustom(u.Win, "连接学校服务器", "取消", 620, 520, body)
	f.d.Show()
	focusFirstEmpty(u.Win, f.host, f.db, f.user, f.pw)
	return f
}

func focusFirstEmpty(w fyne.Window, es ...*widget.Entry) {
	for _, e := range es {
		if e.Text == "" {
			w.Canvas().Focus(e)
			return
		}
	}
}

// connectServer opens the store at loc with password off the UI
// goroutine, then, on it, switches the window to it and calls done; on a
// failure nothing changes and done gets the error.
func (u *UI) connectServer(loc, password string, done func(error)) {
	open := u.OpenServer
	if open == nil {
		done(app.Errorf(app.EInvalid, "这个版本的团务台不能连接学校服务器。"))
		return
	}
	var svc *app.Service
	u.run(func() (err error) { svc, err = open(loc, password); return err }, func(err error) {
		if err != nil {
			log.Printf("connect %s: %v", serverName(loc), err)
			done(err)
			return
		}
		u.App.Preferences().SetBool(prefServerReconnect, true)
		u.Path = loc
		u.useService(svc)
		done(nil)
	})
}

// reconnectScreen is shown at start when the last store was a server: it
// asks only for the password.
type reconnectScreen struct {
	pw      *widget.Entry
	keep    *widget.Check
	msg     *widget.Label
	connect *widget.Button
}

// showReconnect offers to connect again to the remembered server.
func (u *UI) showReconnect() {
	s := loadServerSettings(u.App.Preferences())
	loc, err := s.URL()
	if err != nil { // the remembered settings no longer hold (a CA file moved): the whole form
		u.startFile()
		f := showServerForm(u)
		f.msg.SetText(err.Error())
		return
	}
	r := &reconnectScreen{pw: widget.NewPasswordEntry(), keep: newKeepCheck(u), msg: errorLabel()}
	u.reconnect = r
	u.setMenu() // 文件 → 打开数据文件 and the others stay at hand
	title := canvas.NewText("连接学校服务器", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 22
	intro := wrapLabel("上次使用的是学校服务器 " + serverName(loc) + "（端口 " + s.Port + "，用户 " + s.User + "，" + tlsLabel(s.TLS) + "）。请输入数据库密码重新连接。")
	connect := func(pw string, kept bool) {
		r.msg.SetText("正在连接学校服务器 " + serverName(loc) + "…")
		r.connect.Disable()
		u.connectServer(loc, pw, func(err error) {
			r.connect.Enable()
			if err != nil {
				msg := app.ErrorMessage(err)
				if kept {
					msg += "\n（用的是系统钥匙串中保存的密码；如果密码已经更改，请输入新密码。）"
				}
				r.msg.SetText(msg)
				return
			}
			r.pw.SetText("")
			u.reconnect = nil
			if !kept {
				u.keepPasswordAsChosen(loc, pw, r.keep)
			}
		})
	}
	do := func() { connect(r.pw.Text, false) }
	r.pw.OnSubmitted = func(string) { do() }
	r.connect = widget.NewButtonWithIcon("连接", theme.LoginIcon(), do)
	r.connect.Importance = widget.HighImportance
	other := widget.NewButtonWithIcon("修改服务器设置…", theme.SettingsIcon(), func() { showServerForm(u) })
	local := widget.NewButtonWithIcon("改用本机数据文件", theme.StorageIcon(), func() {
		u.App.Preferences().SetBool(prefServerReconnect, false)
		u.reconnect = nil
		u.startFile()
	})
	box := container.NewVBox(title, intro, widget.NewForm(widget.NewFormItem("密码", r.pw)), keepBox(r.keep), r.msg,
		container.NewHBox(local, other, spacer(), r.connect))
	u.setContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 340), box)))
	u.Win.Canvas().Focus(r.pw)
	if pw, ok := passwordInKeychain(u, loc); ok {
		connect(pw, true)
	}
}

// serverBackupText is what 文件 → 备份 says on a server store.
const serverBackupText = "学校服务器上的数据由信息中心在服务器上备份和恢复（pg_dump 或时间点恢复），本机不另存自动备份，也不能在这里恢复服务器上的数据。\n\n" +
	"要把数据带回本机，可以另存一份离线数据文件（与命令 tuanwu backup --out 文件.db 相同），它能在团务台中离线打开。"

// onServerBackup is 文件 → 备份 on a server store.
func (u *UI) onServerBackup() {
	d := dialog.NewCustomConfirm("学校服务器的备份", "另存离线数据文件…", "关闭", wrapLabel(serverBackupText), func(ok bool) {
		if ok {
			u.onBackup()
		}
	}, u.Win)
	d.Resize(fyne.NewSize(520, 280))
	u.serverBackup = d
	d.Show()
}
