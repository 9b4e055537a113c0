package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// personalCentre is what a member account sees (个人中心, R-A5): the own
// record and the password change. Administrators reach the main window.
type personalCentre struct {
	u      *UI
	record *widget.Form
	msg    *widget.Label
	change *widget.Button
}

func newPersonalCentre(u *UI) *personalCentre {
	p := &personalCentre{u: u, record: widget.NewForm(), msg: widget.NewLabel("")}
	p.msg.Wrapping = fyne.TextWrapWord
	p.change = widget.NewButtonWithIcon("修改密码", theme.AccountIcon(), func() { u.pwd = showChangePassword(u, false, "", nil) })
	return p
}

func (p *personalCentre) build() fyne.CanvasObject {
	acc := p.u.sess.Account
	title := canvas.NewText("个人中心", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 24
	hello := widget.NewLabel(fmt.Sprintf("%s，您好。这里是您的团籍信息；如信息有误，请联系所在团支部修改。", acc.Name))
	hello.Wrapping = fyne.TextWrapWord
	m, err := p.u.svc.MyRecord(p.u.ctx, p.u.sess)
	if err != nil {
		p.msg.SetText(app.ErrorMessage(err))
	} else {
		info := m.Info()
		now := p.u.svc.Now()
		items := []*widget.FormItem{
			widget.NewFormItem("姓名", widget.NewLabel(m.Name)),
			widget.NewFormItem("身份证号", widget.NewLabel(app.MaskID(m.IDNo))),
			widget.NewFormItem("性别 / 年龄", widget.NewLabel(info.Gender()+" / "+strconv.Itoa(app.AgeAt(info.Birth, now))+" 岁")),
			widget.NewFormItem("所在组织", wrapLabel(m.OrgName)),
			widget.NewFormItem("团籍状态", widget.NewLabel(m.Status)),
		}
		for _, f := range app.MemberFields {
			if v := m.Field(f); v != "" {
				items = append(items, widget.NewFormItem(f, widget.NewLabel(v)))
			}
		}
		p.record.Items = items
		p.record.Refresh()
	}
	logout := widget.NewButtonWithIcon("注销", theme.LogoutIcon(), func() { p.u.showLogin("", "") })
	body := container.NewVBox(title, hello, p.record, p.msg, container.NewHBox(p.change, logout))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(620, 640), container.NewVScroll(body)))
}
