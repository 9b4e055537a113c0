package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// loginScreen asks for 身份证号 and password.
type loginScreen struct {
	u        *UI
	id       *widget.Entry
	password *widget.Entry
	msg      *widget.Label
	hint     *widget.Label
	login    *widget.Button
	busy     *widget.Activity
	remember *widget.Check
}

// prefLastAccount is the preference holding the account signed in last on
// this machine, shown at the next start so that the user types only the
// password. It is the whole 身份证号, as typed: the sign-in screen shows
// it anyway, and it stays in this computer's user profile (Fyne's
// preferences file), never in the data file. Untick “在本机记住账号” (a
// shared computer) and it is forgotten at the next sign-in.
const prefLastAccount = "signin.last_account"

func newLoginScreen(u *UI, id, hint string) *loginScreen {
	s := &loginScreen{u: u}
	remembered := u.App.Preferences().String(prefLastAccount)
	if id == "" {
		id = remembered
	}
	s.id = widget.NewEntry()
	s.id.SetPlaceHolder("身份证号")
	s.id.SetText(id)
	s.id.OnSubmitted = func(string) {
		if s.password.Text == "" {
			s.u.Win.Canvas().Focus(s.password)
			return
		}
		s.onLogin()
	}
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder("密码")
	s.password.OnSubmitted = func(string) { s.onLogin() }
	s.remember = widget.NewCheck("在本机记住账号", nil)
	s.remember.SetChecked(remembered != "" || u.App.Preferences().String(prefLastAccount+".off") == "")
	s.msg = errorLabel()
	s.hint = widget.NewLabel(hint)
	s.hint.Wrapping = fyne.TextWrapWord
	s.login = widget.NewButtonWithIcon("登录", theme.LoginIcon(), s.onLogin)
	s.login.Importance = widget.HighImportance
	s.busy = widget.NewActivity()
	return s
}

func (s *loginScreen) build() fyne.CanvasObject {
	title := canvas.NewText("团务台", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 30
	title.Alignment = fyne.TextAlignCenter
	sub := widget.NewLabelWithStyle("团员与团组织管理", fyne.TextAlignCenter, fyne.TextStyle{})
	form := widget.NewForm(widget.NewFormItem("账号", s.id), widget.NewFormItem("密码", s.password))
	help := widget.NewLabel("账号为身份证号，初始密码为身份证号后 8 位。\n忘记密码请联系所在团支部或上级组织重置。")
	help.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(title, sub, s.hint, form, s.msg, container.NewHBox(s.remember, spacer(), s.busy, s.login), help)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(440, 420), box))
}

// focus puts the cursor where typing starts: the account field, or the
// password when the account is filled in (remembered). Call it once the
// screen is in the window: Fyne focuses only what the window shows.
func (s *loginScreen) focus() {
	if s.id.Text == "" {
		s.u.Win.Canvas().Focus(s.id)
	} else {
		s.u.Win.Canvas().Focus(s.password)
	}
}

// rememberAccount keeps (or forgets) the account just signed in with.
func (s *loginScreen) rememberAccount(id string) {
	p := s.u.App.Preferences()
	if s.remember.Checked {
		p.SetString(prefLastAccount, id)
		p.RemoveValue(prefLastAccount + ".off")
	} else {
		p.RemoveValue(prefLastAccount)
		p.SetString(prefLastAccount+".off", "1")
	}
}

func (s *loginScreen) onLogin() {
	id, pw := s.id.Text, s.password.Text
	if app.NormalizeID(id) == "" || pw == "" {
		s.msg.SetText("请输入账号（身份证号）和密码。")
		return
	}
	s.msg.SetText("")
	s.login.Disable()
	s.busy.Start()
	var sess *app.Session
	s.u.run(func() (err error) { sess, err = s.u.svc.SignIn(s.u.ctx, id, pw); return err }, func(err error) {
		s.busy.Stop()
		s.login.Enable()
		down := s.u.noteServer(err)
		switch app.ErrorCode(err) {
		case "", app.EMustChange:
			s.rememberAccount(app.NormalizeID(id))
		}
		switch app.ErrorCode(err) {
		case "":
			s.u.signedIn(sess)
		case app.EMustChange:
			s.u.sess = sess
			s.u.pwd = showChangePassword(s.u, true, pw, func() { s.u.signedIn(sess) })
		default:
			if !down { // the server down: the password stays for 登录 again
				s.password.SetText("")
			}
			s.msg.SetText(app.ErrorMessage(err))
		}
	})
}

// passwordDialog changes the signed-in account's password; forced: the
// initial password must be changed before anything else.
type passwordDialog struct {
	u      *UI
	old    *widget.Entry
	new1   *widget.Entry
	new2   *widget.Entry
	msg    *widget.Label
	d      dialog.Dialog
	forced bool
	onDone func()
}

// showChangePassword shows the dialog; old, when known (the forced change
// right after sign-in), is filled in so the user need not type it again.
func showChangePassword(u *UI, forced bool, old string, onDone func()) *passwordDialog {
	p := &passwordDialog{u: u, forced: forced, onDone: onDone}
	p.old, p.new1, p.new2 = widget.NewPasswordEntry(), widget.NewPasswordEntry(), widget.NewPasswordEntry()
	p.old.SetText(old)
	p.msg = errorLabel()
	intro := "新密码至少 8 位，不能包含身份证号，也不能与初始密码相同。"
	if forced {
		intro = "您正在使用初始密码（或刚被重置的密码），请先修改密码。\n" + intro
	}
	head := widget.NewLabel(intro)
	head.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("原密码", p.old), widget.NewFormItem("新密码", p.new1), widget.NewFormItem("确认新密码", p.new2))
	ok := widget.NewButtonWithIcon("修改密码", theme.ConfirmIcon(), p.onSave)
	ok.Importance = widget.HighImportance
	cancelText := "取消"
	if forced {
		cancelText = "退出登录"
	}
	cancel := widget.NewButton(cancelText, p.onCancel)
	p.new2.OnSubmitted = func(string) { p.onSave() }
	body := scrollAbove(container.NewVBox(head, form), container.NewVBox(p.msg, container.NewHBox(spacer(), cancel, ok)))
	p.d = fitDialogEsc(u.Win, "修改密码", 460, 300, body, p.onCancel)
	p.d.Show()
	if old == "" {
		u.Win.Canvas().Focus(p.old)
	} else {
		u.Win.Canvas().Focus(p.new1)
	}
	return p
}

func (p *passwordDialog) onCancel() {
	p.d.Hide()
	if p.forced {
		p.u.showLogin(p.u.sess.Account.IDNo, "")
	}
}

func (p *passwordDialog) onSave() {
	if p.new1.Text != p.new2.Text {
		p.msg.SetText("两次输入的新密码不一致，请重新输入。")
		return
	}
	old, nw := p.old.Text, p.new1.Text
	p.u.run(func() error { return p.u.svc.ChangePassword(p.u.ctx, p.u.sess, old, nw) }, func(err error) {
		if err != nil {
			p.msg.SetText(app.ErrorMessage(err))
			return
		}
		p.d.Hide()
		if p.onDone != nil {
			p.onDone()
		} else {
			showInfo("修改密码", "密码已修改，请牢记新密码。", p.u.Win)
		}
	})
}
