package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// personalCentre is what a member account sees (个人中心, R-A5): the own
// record, the own transfer applications (R-T1) and the password change.
// Administrators reach the main window.
type personalCentre struct {
	u         *UI
	record    *widget.Form
	msg       *widget.Label
	change    *widget.Button
	me        *app.Member
	transfers *fyne.Container
	apply     *widget.Button
	mine      []app.Transfer
	form      *transferForm // the last application form, for tests
}

func newPersonalCentre(u *UI) *personalCentre {
	p := &personalCentre{u: u, record: widget.NewForm(), msg: widget.NewLabel("")}
	p.msg.Wrapping = fyne.TextWrapWord
	p.change = widget.NewButtonWithIcon("修改密码", theme.AccountIcon(), func() { u.pwd = showChangePassword(u, false, "", nil) })
	p.transfers = container.NewVBox()
	p.apply = widget.NewButtonWithIcon("申请转接", theme.MailSendIcon(), p.onApply)
	p.apply.Importance = widget.HighImportance
	return p
}

func (p *personalCentre) build() fyne.CanvasObject {
	acc := p.u.sess.Account
	title := canvas.NewText("个人中心", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 24
	hello := widget.NewLabel(fmt.Sprintf("%s，您好。这里是您的团籍信息；如信息有误，请联系所在团支部修改。", acc.Name))
	hello.Wrapping = fyne.TextWrapWord
	p.loadRecord()
	logout := widget.NewButtonWithIcon("注销", theme.LogoutIcon(), func() { p.u.showLogin("", "") })
	mineTitle := widget.NewLabelWithStyle("我的转接申请", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.loadTransfers()
	body := container.NewVBox(title, hello, p.msg, container.NewBorder(nil, nil, nil, p.apply, mineTitle), p.transfers, widget.NewSeparator(),
		widget.NewLabelWithStyle("我的团籍信息", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.record, widget.NewSeparator(), container.NewHBox(p.change, logout))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(620, 640), formScroll(container.New(layout.NewCustomPaddedLayout(0, 0, 0, theme.Padding()*3), body))))
}

// loadRecord shows the member's record as stored now.
func (p *personalCentre) loadRecord() {
	m, identity, month, err := p.u.svc.MyGraduation(p.u.ctx, p.u.sess)
	if err != nil {
		p.msg.SetText(app.ErrorMessage(err))
		return
	}
	p.me = &m
	info := m.Info()
	now := p.u.svc.Now()
	items := []*widget.FormItem{
		widget.NewFormItem("姓名", widget.NewLabel(m.Name)),
		widget.NewFormItem("身份证号", widget.NewLabel(app.MaskID(m.IDNo))),
		widget.NewFormItem("性别 / 年龄", widget.NewLabel(info.Gender()+" / "+strconv.Itoa(app.AgeAt(info.Birth, now))+" 岁")),
		widget.NewFormItem("所在组织", wrapLabel(m.OrgName)),
		widget.NewFormItem("团籍状态", widget.NewLabel(m.Status)),
	}
	if identity != "" {
		items = append(items, widget.NewFormItem("成员身份", widget.NewLabel(identity)))
	}
	if month != "" {
		items = append(items, widget.NewFormItem("预计毕业时间", widget.NewLabel(month)))
	}
	for _, f := range app.MemberFields {
		if v := m.Field(f); v != "" {
			items = append(items, widget.NewFormItem(f, widget.NewLabel(v)))
		}
	}
	p.record.Items = items
	p.record.Refresh()
}

// liveReload shows what another desk changed (issue 14, item 3: the
// branch secretary edited the record, an office approved a transfer); a
// transfer form that is open is not touched.
func (p *personalCentre) liveReload() {
	p.msg.SetText("")
	p.loadRecord()
	p.loadTransfers()
}

// loadTransfers lists the member's own transfers, newest first.
func (p *personalCentre) loadTransfers() {
	u := p.u
	p.transfers.RemoveAll()
	list, err := u.svc.ListTransfers(u.ctx, u.sess, false)
	if err != nil {
		p.transfers.Add(wrapLabel(app.ErrorMessage(err)))
	}
	p.mine = list
	open := false
	for _, t := range list {
		line := fmt.Sprintf("第 %d 号　%s　%s　%s", t.No, t.Reason, t.State, t.CreatedAt.In(app.Shanghai).Format("2006-01-02"))
		if t.IsOpen() {
			open = true
			if st, ok := t.Current(); ok {
				line += "　等待“" + st.OrgName + "”" + st.Kind
			}
		}
		if t.State == app.StateRejected {
			line += "　退回原因：" + t.RejectReason
		}
		no := t.No
		view := widget.NewButtonWithIcon("查看", theme.VisibilityIcon(), func() { showTransferDetail(u, no) })
		p.transfers.Add(container.NewBorder(nil, nil, nil, view, wrapLabel(line)))
	}
	if len(list) == 0 && err == nil {
		p.transfers.Add(widget.NewLabel("还没有转接申请。毕业、升学、就业等需要转接组织关系时，可点“申请转接”。"))
	}
	setEnabled(p.apply, p.me != nil && !open)
	if open {
		p.apply.SetText("申请转接（有正在办理的转接）")
	} else {
		p.apply.SetText("申请转接")
	}
}

// onApply opens the transfer form for the member's own record (R-T1).
func (p *personalCentre) onApply() {
	if p.me == nil {
		return
	}
	p.form = showStartTransfer(p.u, []app.Member{*p.me})
	p.form.onDone = func([]app.Transfer) { p.loadTransfers() }
}
