package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// adminView is 团干部与管理员 of an organization: 录入本级团干部 and
// 管理员变更 (R-A2, R-A3).
type adminView struct {
	p        *orgPage
	cadres   []app.Cadre
	admins   []app.Admin
	cTable   *widget.Table
	aList    *widget.List
	cSel     int
	aSel     int
	addCadre *widget.Button
	editC    *widget.Button
	endC     *widget.Button
	addAdmin *widget.Button
	revoke   *widget.Button
	note     *widget.Label
	form     *cadreForm // the last cadre form, for tests
	pick     *widget.Select
	pickD    dialog.Dialog
}

var cadreCols = []column{{"姓名", 90}, {"身份证号", 180}, {"现任团内职务", 110}, {"任现职年月", 100}, {"团干部性质", 90}, {"同级党委成员", 100}}

func newAdminView(p *orgPage) *adminView {
	v := &adminView{p: p, cSel: -1, aSel: -1}
	v.cTable = newTable(cadreCols, func() int { return len(v.cadres) }, v.updateCadre)
	v.cTable.OnSelected = func(id widget.TableCellID) { v.cSel = id.Row; v.updateButtons() }
	v.aList = widget.NewList(func() int { return len(v.admins) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := v.admins[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s（%s）  自 %s 起", a.Name, app.MaskID(a.IDNo), a.GrantedAt.Format("2006-01-02")))
		})
	v.aList.OnSelected = func(i widget.ListItemID) { v.aSel = i; v.updateButtons() }
	v.addCadre = widget.NewButtonWithIcon("录入本级团干部", theme.ContentAddIcon(), v.onAddCadre)
	v.addCadre.Importance = widget.HighImportance
	v.editC = widget.NewButtonWithIcon("修改任职", theme.DocumentCreateIcon(), v.onEditCadre)
	v.endC = widget.NewButtonWithIcon("结束任职", theme.ContentRemoveIcon(), v.onEndCadre)
	v.addAdmin = widget.NewButtonWithIcon("添加管理员", theme.AccountIcon(), v.onAddAdmin)
	v.addAdmin.Importance = widget.HighImportance
	v.revoke = widget.NewButtonWithIcon("撤销", theme.CancelIcon(), v.onRevoke)
	v.note = widget.NewLabel("添加管理员之前，须先把此人录入为本组织的团干部。新管理员如果还没有账号，系统会立即建立：账号为身份证号，初始密码为身份证号后 8 位。")
	v.note.Wrapping = fyne.TextWrapWord
	return v
}

func (v *adminView) build() fyne.CanvasObject {
	cadres := container.NewBorder(container.NewHBox(widget.NewLabel("本级团干部"), spacer(), v.addCadre, v.editC, v.endC), nil, nil, nil, v.cTable)
	admins := container.NewBorder(container.NewVBox(container.NewHBox(widget.NewLabel("管理员变更"), spacer(), v.addAdmin, v.revoke), v.note), nil, nil, nil, v.aList)
	split := container.NewVSplit(cadres, admins)
	split.Offset = 0.55
	return split
}

func (v *adminView) load() {
	u := v.p.m.u
	var err error
	if v.cadres, err = u.svc.Cadres(u.ctx, u.sess, v.p.org.ID); err != nil {
		u.showError(err)
	}
	if v.admins, err = u.svc.Admins(u.ctx, u.sess, v.p.org.ID); err != nil {
		u.showError(err)
	}
	v.cSel, v.aSel = -1, -1
	v.cTable.UnselectAll()
	v.aList.UnselectAll()
	v.cTable.Refresh()
	v.aList.Refresh()
	v.updateButtons()
}

func (v *adminView) updateButtons() {
	setEnabled(v.editC, v.cSel >= 0 && v.cSel < len(v.cadres))
	setEnabled(v.endC, v.cSel >= 0 && v.cSel < len(v.cadres))
	setEnabled(v.revoke, v.aSel >= 0 && v.aSel < len(v.admins))
	setEnabled(v.addAdmin, len(v.cadres) > 0)
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (v *adminView) updateCadre(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(v.cadres) {
		l.SetText("")
		return
	}
	c := v.cadres[id.Row]
	switch id.Col {
	case 0:
		l.SetText(c.Name)
	case 1:
		l.SetText(app.MaskID(c.IDNo))
	case 2:
		l.SetText(c.Post)
	case 3:
		l.SetText(c.PostSince)
	case 4:
		l.SetText(c.Nature)
	case 5:
		l.SetText(map[bool]string{true: "是", false: "否"}[c.PartyCommittee])
	}
}

func (v *adminView) onAddCadre() { v.form = showCadreForm(v, nil) }

func (v *adminView) onEditCadre() {
	if v.cSel >= 0 && v.cSel < len(v.cadres) {
		c := v.cadres[v.cSel]
		v.form = showCadreForm(v, &c)
	}
}

func (v *adminView) onEndCadre() {
	if v.cSel < 0 || v.cSel >= len(v.cadres) {
		return
	}
	c := v.cadres[v.cSel]
	u := v.p.m.u
	dialog.ShowCustomConfirm("结束任职", "结束任职", "取消", widget.NewLabel(fmt.Sprintf("确定结束 %s 的“%s”任职吗？任职记录会保留。", c.Name, c.Post)), func(ok bool) {
		if !ok {
			return
		}
		if err := u.svc.EndCadre(u.ctx, u.sess, c.ID); err != nil {
			u.showError(err)
			return
		}
		v.load()
	}, u.Win)
}

// onAddAdmin lets the user choose one of the organization's cadres (R-A2).
func (v *adminView) onAddAdmin() {
	u := v.p.m.u
	if len(v.cadres) == 0 {
		u.showError(app.Errorf(app.EConflict, "“%s”还没有团干部。请先点“录入本级团干部”把新任书记或负责人录入，再添加为管理员。", v.p.org.Name))
		return
	}
	var options []string
	byLabel := map[string]app.Cadre{}
	for _, c := range v.cadres {
		label := fmt.Sprintf("%s（%s，%s）", c.Name, c.Post, app.MaskID(c.IDNo))
		options = append(options, label)
		byLabel[label] = c
	}
	v.pick = newSelect(options, nil)
	v.pick.SetSelectedIndex(0)
	msg := widget.NewLabel("只能从本组织已录入的团干部中选择。")
	msg.Wrapping = fyne.TextWrapWord
	v.pickD = dialog.NewCustomConfirm("添加管理员 — "+v.p.org.Name, "添加", "取消",
		container.NewVBox(v.pick, msg), func(ok bool) {
			if !ok {
				return
			}
			c := byLabel[v.pick.Selected]
			res, err := u.svc.AddAdmin(u.ctx, u.sess, v.p.org.ID, c.IDNo)
			if err != nil {
				u.showError(err)
				return
			}
			text := fmt.Sprintf("已添加 %s 为“%s”的管理员。", c.Name, v.p.org.Name)
			if res.AccountCreated {
				text += "\n\n此人原来没有账号，系统已为其建立：账号为身份证号，初始密码为身份证号后 8 位（" + res.InitialPassword + "），首次登录时须修改密码。"
			}
			showInfo("添加管理员", text, u.Win)
			v.load()
		}, u.Win)
	fitResize(u.Win, v.pickD, 480, 220)
	v.pickD.Show()
}

func (v *adminView) onRevoke() {
	if v.aSel < 0 || v.aSel >= len(v.admins) {
		return
	}
	a := v.admins[v.aSel]
	u := v.p.m.u
	dialog.ShowCustomConfirm("撤销管理员", "撤销", "取消", widget.NewLabel(fmt.Sprintf("确定撤销 %s 的“%s”管理员身份吗？\n此人的账号、团干部记录和操作历史都会保留。", a.Name, v.p.org.Name)), func(ok bool) {
		if !ok {
			return
		}
		if err := u.svc.RevokeAdmin(u.ctx, u.sess, v.p.org.ID, a.IDNo); err != nil {
			u.showError(err)
			return
		}
		v.load()
	}, u.Win)
}

// cadreForm enters or edits a cadre (录入本级团干部).
type cadreForm struct {
	v       *adminView
	editing *app.Cadre
	name    *widget.Entry
	id      *widget.Entry
	post    *widget.Select
	since   *widget.Entry
	nature  *widget.Select
	party   *widget.Check
	msg     *widget.Label
	save    *widget.Button
	d       dialog.Dialog
}

func showCadreForm(v *adminView, editing *app.Cadre) *cadreForm {
	f := &cadreForm{v: v, editing: editing}
	f.name, f.id, f.since = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.id.SetPlaceHolder("18 位身份证号")
	f.since.SetPlaceHolder("例如 2025-09")
	f.post = newSelect(app.Posts, nil)
	f.nature = newSelect(app.CadreNatures, nil)
	f.party = widget.NewCheck("是同级党委（支部）成员", nil)
	f.msg = errorLabel()
	title := "录入本级团干部"
	if editing != nil {
		title = "修改任职"
		f.name.SetText(editing.Name)
		f.name.Disable()
		f.id.SetText(editing.IDNo)
		f.id.Disable()
		f.post.SetSelected(editing.Post)
		f.since.SetText(editing.PostSince)
		f.nature.SetSelected(editing.Nature)
		f.party.SetChecked(editing.PartyCommittee)
	} else {
		f.post.SetSelected("书记")
		f.nature.SetSelected("专职")
	}
	f.save = widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("组织", wrapLabel(v.p.org.FullName)),
		widget.NewFormItem("姓名", f.name),
		widget.NewFormItem("身份证号码", f.id),
		widget.NewFormItem("现任团内职务", f.post),
		widget.NewFormItem("任现职年月", f.since),
		widget.NewFormItem("团干部性质", f.nature),
		widget.NewFormItem("", f.party),
	)
	body := scrollAbove(form, container.NewVBox(f.msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { f.d.Hide() }), f.save)))
	f.d = fitDialog(v.p.m.u.Win, title, 520, 400, body)
	f.d.Show()
	return f
}

func (f *cadreForm) onSave() {
	u := f.v.p.m.u
	f.msg.SetText("")
	in := app.CadreInput{OrgID: f.v.p.org.ID, IDNo: f.id.Text, Name: strings.TrimSpace(f.name.Text), Post: f.post.Selected,
		PostSince: f.since.Text, Nature: f.nature.Selected, PartyCommittee: f.party.Checked}
	var err error
	if f.editing != nil {
		in.Version = app.CadreVersion(*f.editing) // a stale form is refused (issue 14 item 3)
		_, err = u.svc.EditCadre(u.ctx, u.sess, f.editing.ID, in)
	} else {
		_, err = u.svc.AddCadre(u.ctx, u.sess, in)
	}
	if err != nil {
		f.msg.SetText(app.ErrorMessage(err))
		return
	}
	f.d.Hide()
	f.v.load()
}
