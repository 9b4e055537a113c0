package ui

import (
	"fmt"
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// outsideDirMenu is the 工具 menu item of the directory of outside organizations.
const outsideDirMenu = "校外组织目录…"

// outsideDir is 校外组织目录 (R-W1): the organizations outside this store
// that transfers reached, searched by name within a province scope (R-O3),
// each entry correctable by a committee's administrator.
type outsideDir struct {
	u        *UI
	w        fyne.Window
	search   *widget.Entry
	scope    *widget.RadioGroup
	count    *widget.Label
	table    *widget.Table
	edit     *widget.Button
	list     []app.Org
	selected int
	form     *outsideEditForm // the last edit form, for tests
}

var outsideCols = []column{{"校外组织名称", 330}, {"类型", 80}, {"省份", 60}, {"地址", 220}, {"联系人", 80}, {"联系电话", 130}}

func showOutsideDir(u *UI) *outsideDir {
	v := &outsideDir{u: u, selected: -1}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("输入校外组织名称中的文字查找")
	v.search.OnChanged = func(string) { v.load() }
	v.scope = widget.NewRadioGroup([]string{"全部", "北京", "广东", "福建", "否"}, func(string) { v.load() })
	v.scope.Horizontal = true
	v.scope.Required = true
	v.count = widget.NewLabel("")
	v.table = newTable(outsideCols, func() int { return len(v.list) }, v.updateCell)
	v.table.OnSelected = func(id widget.TableCellID) { v.selected = id.Row; v.updateButtons() }
	v.edit = widget.NewButtonWithIcon("修改", theme.DocumentCreateIcon(), v.onEdit)
	v.scope.SetSelected("全部")
	scopeRow := container.NewHBox(widget.NewLabel("范围："), v.scope, widget.NewLabel("（“否”：北京、广东、福建以外）"))
	top := container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, v.search), scopeRow, v.count)
	hint := wrapLabel("办理转出、转入时填写过的校外组织会自动收入目录，下次可直接选择。名称写错、省份不对或有了联系方式，可在这里修改。")
	hint.Importance = widget.LowImportance
	bottom := container.NewVBox(hint, container.NewHBox(spacer(), v.edit, widget.NewButton("关闭", func() { v.w.Close() })))
	pg := u.newPage("校外组织目录")
	pg.refresh = v.load
	v.w = pg
	v.w.SetContent(container.NewBorder(top, bottom, nil, nil, v.table))
	v.w.Resize(fitWindowSize(u.Win, 960, 600))
	v.load()
	v.w.Show()
	return v
}

func (v *outsideDir) load() {
	if v.table == nil {
		return
	}
	list, err := v.u.svc.OutsideOrgs(v.u.ctx, v.u.sess, app.OutsideSearch{Text: v.search.Text, Scope: v.scope.Selected})
	if err != nil {
		v.count.SetText(app.ErrorMessage(err))
	} else if len(list) == 0 {
		v.count.SetText("没有找到符合条件的校外组织。")
	} else {
		v.count.SetText(fmt.Sprintf("共 %d 个校外组织", len(list)))
	}
	v.list, v.selected = list, -1
	v.table.UnselectAll()
	v.updateButtons()
	v.table.Refresh()
}

func (v *outsideDir) updateButtons() {
	setEnabled(v.edit, v.selected >= 0 && v.selected < len(v.list) && v.u.sess.Role() == app.RoleCommittee)
}

func (v *outsideDir) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	l := obj.(*widget.Label)
	if id.Row >= len(v.list) {
		l.SetText("")
		return
	}
	o := v.list[id.Row]
	kind := o.Kind
	if kind == "" {
		kind = app.KindOutside
	}
	l.SetText([]string{o.Name, kind, o.Province, o.Address, o.Contact, o.Phone}[id.Col])
}

func (v *outsideDir) onEdit() {
	if v.selected < 0 || v.selected >= len(v.list) {
		return
	}
	v.form = showOutsideEdit(v, v.list[v.selected])
}

// outsideEditForm corrects one entry of the directory (app.UpdateOutside).
type outsideEditForm struct {
	v                             *outsideDir
	o                             app.Org
	name, address, contact, phone *widget.Entry
	province, kind                *widget.Select
	msg                           *widget.Label
	save                          *widget.Button
	d                             dialog.Dialog
}

func showOutsideEdit(v *outsideDir, o app.Org) *outsideEditForm {
	f := &outsideEditForm{v: v, o: o}
	f.name, f.address, f.contact, f.phone = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.name.SetText(o.Name)
	f.address.SetText(o.Address)
	f.contact.SetText(o.Contact)
	f.phone.SetText(o.Phone)
	f.province = newSelect(app.Provinces, nil)
	f.province.SetSelected(o.Province)
	f.kind = newSelect([]string{kindUnknown, app.KindCommittee, app.KindWorkCommittee, app.KindGeneralBranch, app.KindBranch}, nil)
	f.kind.SetSelected(kindUnknown)
	if o.Kind != "" {
		f.kind.SetSelected(o.Kind)
	}
	f.msg = errorLabel()
	f.save = widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), f.onSave)
	f.save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("组织全称", f.name),
		widget.NewFormItem("所在省份", f.province),
		widget.NewFormItem("组织类型", f.kind),
		widget.NewFormItem("地址", f.address),
		widget.NewFormItem("联系人", f.contact),
		widget.NewFormItem("联系电话", f.phone),
	)
	hint := wrapLabel("修改后，已办理的转接仍保留当时的名称；以后的转接使用新名称。")
	hint.Importance = widget.LowImportance
	body := scrollAbove(container.NewVBox(form, hint), container.NewVBox(f.msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { f.d.Hide() }), f.save)))
	f.d = fitDialog(v.w, "修改校外组织", 560, 400, body)
	f.d.Show()
	return f
}

func (f *outsideEditForm) onSave() {
	u := f.v.u
	f.msg.SetText("")
	kind := f.kind.Selected
	if kind == kindUnknown {
		kind = ""
	}
	_, err := u.svc.UpdateOutside(u.ctx, u.sess, f.o.ID, app.OutsideInput{Name: f.name.Text, Province: f.province.Selected, Kind: kind,
		Address: f.address.Text, Contact: f.contact.Text, Phone: f.phone.Text, Version: app.OrgVersion(f.o)})
	if err != nil {
		log.Printf("update outside %d: %v", f.o.ID, err)
		f.msg.SetText(app.ErrorMessage(err))
		return
	}
	f.d.Hide()
	f.v.load()
}
