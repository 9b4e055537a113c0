package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// addOrgDialog adds a child organization (R-O1, R-O2, R-O3, R-X5).
type addOrgDialog struct {
	m        *mainScreen
	parent   app.Org
	name     *widget.Entry
	kind     *widget.Select
	category *widget.Select
	province *widget.SelectEntry
	msg      *widget.Label
	d        dialog.Dialog
}

func showAddOrg(m *mainScreen, parent app.Org) *addOrgDialog {
	a := &addOrgDialog{m: m, parent: parent}
	a.name = widget.NewEntry()
	a.name.SetPlaceHolder("例如：2025级小学教育1班团支部")
	var kinds []string
	for _, k := range app.Kinds {
		if k != app.KindProvince {
			kinds = append(kinds, k)
		}
	}
	a.category = newSelect(app.Categories, nil)
	a.category.SetSelected(app.CatNormal)
	a.kind = newSelect(kinds, func(k string) {
		if k == app.KindBranch {
			a.category.Enable()
		} else {
			a.category.Disable()
		}
	})
	a.kind.SetSelected(app.KindBranch)
	a.province = widget.NewSelectEntry(app.Provinces)
	a.province.SetText(parent.Province)
	a.msg = errorLabel()
	form := widget.NewForm(
		widget.NewFormItem("上级组织", wrapLabel(parent.FullName)),
		widget.NewFormItem("组织名称", a.name),
		widget.NewFormItem("组织类型", a.kind),
		widget.NewFormItem("支部类别", a.category),
		widget.NewFormItem("所在省份", a.province),
	)
	ok := widget.NewButtonWithIcon("添加", theme.ConfirmIcon(), a.onSave)
	ok.Importance = widget.HighImportance
	body := scrollAbove(form, container.NewVBox(a.msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { a.d.Hide() }), ok)))
	a.d = fitDialog(m.u.Win, "添加下级组织", 520, 360, body)
	a.d.Show()
	m.u.Win.Canvas().Focus(a.name)
	return a
}

func (a *addOrgDialog) onSave() {
	a.msg.SetText("")
	in := app.NewOrg{ParentID: a.parent.ID, Name: a.name.Text, Kind: a.kind.Selected, Province: a.province.Text}
	if in.Kind == app.KindBranch {
		in.Category = a.category.Selected
	}
	o, warnings, err := a.m.u.svc.AddOrg(a.m.u.ctx, a.m.u.sess, in)
	if err != nil {
		a.msg.SetText(app.ErrorMessage(err))
		return
	}
	a.d.Hide()
	a.m.orgChanged(a.parent.ID, a.parent.ID)
	if len(warnings) > 0 {
		showInfo("已添加", "已添加“"+o.Name+"”。\n\n提示："+strings.Join(warnings, "\n提示："), a.m.u.Win)
	}
}

func showRenameOrg(m *mainScreen, o app.Org) {
	e := widget.NewEntry()
	e.SetText(o.Name)
	dialog.ShowForm("修改组织名称", "保存", "取消", []*widget.FormItem{
		widget.NewFormItem("原名称", widget.NewLabel(o.Name)),
		widget.NewFormItem("新名称", e),
	}, func(ok bool) {
		if !ok {
			return
		}
		var save func()
		save = func() {
			renamed, err := m.u.svc.RenameOrg(m.u.ctx, m.u.sess, o.ID, e.Text)
			if m.u.offerRetry(err, save) { // the server is down: 重试 keeps the new name
				return
			}
			if err != nil {
				m.u.showError(err)
				return
			}
			m.orgChanged(renamed.ParentID, m.page.org.ID)
		}
		save()
	}, m.u.Win)
}

// confirmDeleteOrg asks before deleting an empty organization (R-O4).
func confirmDeleteOrg(m *mainScreen, o app.Org) {
	if o.MemberCount > 0 {
		m.u.showError(app.Errorf(app.EConflict, "“%s”还有 %d 名团员，不能删除。请先在团员列表中删除或转出这些成员，人数清空后再删除。", o.Name, o.MemberCount))
		return
	}
	msg := widget.NewLabel(fmt.Sprintf("确定要删除“%s”吗？\n删除后不能恢复，但操作日志中会保留记录。", o.FullName))
	dialog.ShowCustomConfirm("删除组织", "删除", "取消", msg, func(ok bool) {
		if !ok {
			return
		}
		if err := m.u.svc.DeleteOrg(m.u.ctx, m.u.sess, o.ID); err != nil {
			m.u.showError(err)
			return
		}
		m.orgChanged(o.ParentID, o.ParentID)
	}, m.u.Win)
}
