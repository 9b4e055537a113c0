package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// scopeOptions answer 转入组织是否属于北京/广东/福建 (R-O3).
var scopeOptions = []string{"否", "北京", "广东", "福建"}

// Where the receiving organization of 办理转出 is (R-W1).
const (
	whereOutside = "校外组织（外校、工作单位、街道等）"
	whereTree    = "本系统中的组织"
)

// reasonFields is the part of every transfer form that depends on the
// reason (R-T2): the fields change with the reason, the province question
// (R-O3) and the target picker follow, then the remark with the detailed
// address. 办理转出, 办理转入 and the member's application share it.
type reasonFields struct {
	u                             *UI
	pull                          bool // 办理转入: only reasons with a target
	reason                        *widget.Select
	scope                         *widget.RadioGroup
	unit, address, remark         *widget.Entry
	keep                          *widget.Check
	keepMonths                    *widget.Select
	place, period, contact, phone *widget.Entry
	target                        *orgPicker
	where                         *widget.RadioGroup // 办理转出: the target is outside or in the tree (R-W1)
	outside                       *outsidePicker
	targetBox                     *fyne.Container
	treeBox                       fyne.CanvasObject  // the tree picker, built once
	lead                          []*widget.FormItem // rows shown above the reason (办理转入: 姓名, 身份证号)
	note                          *widget.Label
	box                           *fyne.Container
}

// newReasonFields returns the fields; under limits the target picker to a
// subtree (办理转入), 0 searches everywhere in the chosen scope.
func newReasonFields(u *UI, pull bool, under int64) *reasonFields {
	f := &reasonFields{u: u, pull: pull, box: container.NewVBox()}
	reasons := app.Reasons
	if pull {
		reasons = nil
		for _, r := range app.Reasons {
			if r != app.ReasonAbroadStudy && r != app.ReasonSpecial {
				reasons = append(reasons, r)
			}
		}
	}
	f.reason = newSelect(reasons, func(string) { f.layout() })
	f.reason.PlaceHolder = "请选择转接原因"
	f.unit, f.address = widget.NewEntry(), widget.NewEntry()
	f.address.SetPlaceHolder("省、市、区（县）及详细地址")
	f.remark = widget.NewMultiLineEntry()
	f.remark.SetPlaceHolder("转入地的详细地址，以及需要告诉接收方的其他情况")
	f.remark.SetMinRowsVisible(2)
	f.remark.Wrapping = fyne.TextWrapWord
	f.keep = widget.NewCheck("暂不转出，在原学校保留团组织关系（最多 6 个月）", func(bool) { f.layout() })
	f.keepMonths = newSelect([]string{"1", "2", "3", "4", "5", "6"}, nil)
	f.keepMonths.SetSelected("6")
	f.place, f.period, f.contact, f.phone = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.place.SetPlaceHolder("国家（地区）、城市及学校或机构")
	f.period.SetPlaceHolder("例如 2026-09 至 2027-08")
	f.contact.SetPlaceHolder("境内联系人姓名")
	f.phone.SetPlaceHolder("联系人手机号或带区号的固定电话")
	f.target = newOrgPicker(u, "否", under, app.Org.AcceptsTransfer)
	f.targetBox = container.NewVBox()
	f.treeBox = f.target.build()
	if !pull {
		f.outside = newOutsidePicker(u, "否")
		f.where = widget.NewRadioGroup([]string{whereOutside, whereTree}, func(string) { f.showTarget() })
		f.where.Horizontal = true
		f.where.Required = true
		f.where.SetSelected(whereOutside)
		// Picking from the tree means the target is in the tree.
		f.target.onChange = func(*app.Org) { f.where.SetSelected(whereTree) }
	}
	f.scope = widget.NewRadioGroup(scopeOptions, func(s string) {
		f.target.setScope(s)
		if f.outside != nil {
			f.outside.setScope(s)
		}
	})
	f.scope.Horizontal = true
	f.scope.Required = true
	f.scope.SetSelected("否")
	f.note = widget.NewLabel("")
	f.note.Wrapping = fyne.TextWrapWord
	f.note.Importance = widget.LowImportance
	f.target.load()
	f.showTarget()
	f.layout()
	return f
}

// outsideTarget reports whether the target is named as an outside organization.
func (f *reasonFields) outsideTarget() bool {
	return f.where != nil && f.where.Selected == whereOutside
}

// showTarget shows the picker of where the target is.
func (f *reasonFields) showTarget() {
	switch {
	case f.where == nil:
		f.targetBox.Objects = []fyne.CanvasObject{f.treeBox}
	case f.outsideTarget():
		f.targetBox.Objects = []fyne.CanvasObject{f.where, f.outside.build()}
	default:
		f.targetBox.Objects = []fyne.CanvasObject{f.where, f.treeBox}
	}
	f.targetBox.Refresh()
}

func (f *reasonFields) build() fyne.CanvasObject { return f.box }

// needsTarget reports whether the chosen reason asks for a receiving organization.
func (f *reasonFields) needsTarget() bool {
	switch f.reason.Selected {
	case "", app.ReasonAbroadStudy, app.ReasonSpecial:
		return false
	case app.ReasonUnemployed:
		return !f.keep.Checked
	}
	return true
}

// layout shows the fields of the chosen reason (R-T2).
func (f *reasonFields) layout() {
	items := append(append([]*widget.FormItem(nil), f.lead...), widget.NewFormItem("转接原因", f.reason), widget.NewFormItem("", f.note))
	add := func(label string, o fyne.CanvasObject) { items = append(items, widget.NewFormItem(label, o)) }
	hint := "请先选择转接原因，表单会列出该原因需要填写的内容。"
	switch f.reason.Selected {
	case app.ReasonStudy:
		f.unit.SetPlaceHolder("例如：北京燕园科技大学")
		add("转入学校名称", f.unit)
		add("学校详细地址", f.address)
		hint = "转入组织请尽可能具体到学院团委或团支部。"
	case app.ReasonJobWithOrg:
		f.unit.SetPlaceHolder("工作单位全称")
		add("工作单位", f.unit)
		add("单位详细地址", f.address)
		hint = "转入组织选择工作单位的团组织。"
	case app.ReasonAbroadOfficial:
		f.unit.SetPlaceHolder("派出单位全称")
		add("派出单位", f.unit)
		add("单位详细地址", f.address)
		hint = "因公出国（境）：转入派出单位的团组织。"
	case app.ReasonJobNoOrg:
		f.unit.SetPlaceHolder("工作单位全称")
		add("工作单位", f.unit)
		add("单位详细地址", f.address)
		hint = "工作单位没有团组织：转入单位所在街道团组织，或其“学社衔接临时团支部”。"
	case app.ReasonAbroadPrivate:
		add("户籍地或居住地地址", f.address)
		hint = "因私出国（境）：转入户籍所在地或居住地的团组织。"
	case app.ReasonUnemployed:
		if !f.pull {
			add("留校保留", f.keep)
		}
		if f.keep.Checked && !f.pull {
			add("保留期限（月）", f.keepMonths)
			hint = "未就业毕业生可在原学校保留团组织关系，最多 6 个月；到期前会提醒，落实去向后须办理转出。"
		} else {
			add("户籍地或居住地地址", f.address)
			hint = "未就业：转入户籍地或居住地的乡镇街道“学社衔接临时团支部”，或村、社区团组织。"
		}
	case app.ReasonAbroadStudy:
		add("境外学习研究地点", f.place)
		add("期限", f.period)
		add("境内联系人", f.contact)
		add("联系方式", f.phone)
		hint = "出国（境）学习研究：团员保留在原学校，转入学院的“出国(境)学习研究团员团支部”集中管理，无需选择转入组织；由学校团委审批并登记造册。"
	case app.ReasonSpecial:
		hint = "参军入伍或到涉密单位工作：无需选择转入组织，提交后由团省委审核，团员进入特殊单位专属库。"
	}
	if f.pull {
		f.unit.SetPlaceHolder("留空则填写本校（本单位）名称")
		f.address.SetPlaceHolder("留空则填写本校（本单位）所在地")
	}
	add("转入组织是否属于北京/广东/福建", f.scope)
	if f.needsTarget() {
		add("转入组织", f.targetBox)
	}
	add("备注（详细地址）", f.remark)
	f.note.SetText(hint)
	f.box.Objects = []fyne.CanvasObject{widget.NewForm(items...)}
	f.box.Refresh()
}

// input returns what the form says for the chosen reason; fields of other
// reasons are left out.
func (f *reasonFields) input() (app.TransferInput, *app.Org) {
	in := app.TransferInput{Reason: f.reason.Selected, Scope: f.scope.Selected, Remark: f.remark.Text}
	switch in.Reason {
	case app.ReasonStudy, app.ReasonJobWithOrg, app.ReasonJobNoOrg, app.ReasonAbroadOfficial:
		in.Unit, in.Address = f.unit.Text, f.address.Text
	case app.ReasonAbroadPrivate:
		in.Address = f.address.Text
	case app.ReasonUnemployed:
		if f.keep.Checked && !f.pull {
			in.KeepMonths, _ = strconv.Atoi(f.keepMonths.Selected)
		} else {
			in.Address = f.address.Text
		}
	case app.ReasonAbroadStudy:
		in.AbroadPlace, in.AbroadPeriod, in.Contact, in.ContactPhone = f.place.Text, f.period.Text, f.contact.Text, f.phone.Text
	}
	var to *app.Org
	switch {
	case !f.needsTarget():
	case f.outsideTarget():
		in.Outside, to = f.outside.input()
	case f.target.selected != nil:
		to = f.target.selected
		in.ToOrg = to.ID
	}
	return in, to
}

// check checks every field the reason requires (R-T2) and the target
// against the province answer (R-O3), before anything is stored.
func (f *reasonFields) check() (app.TransferInput, error) {
	if f.reason.Selected == "" {
		return app.TransferInput{}, app.Errorf(app.EInvalid, "请选择转接原因。")
	}
	if f.scope.Selected == "" {
		return app.TransferInput{}, app.Errorf(app.EInvalid, "请回答“转入组织是否属于北京/广东/福建”。")
	}
	in, to := f.input()
	if in.Reason == app.ReasonUnemployed && f.keep.Checked && !f.pull && in.KeepMonths == 0 {
		return in, app.Errorf(app.EInvalid, "请选择留校保留的月数（1 到 6）。")
	}
	v := in
	if f.pull {
		// 办理转入: the receiving side's unit and place fill what is left empty (R-T1).
		if v.Unit == "" {
			v.Unit = "本单位"
		}
		if v.Address == "" {
			v.Address = "本单位地址"
		}
	}
	if _, err := app.ValidateTransferInput(v, to); err != nil {
		return in, err
	}
	if f.needsTarget() && f.outsideTarget() {
		if err := f.outside.check(); err != nil {
			return in, err
		}
	}
	return in, nil
}

// memberNames lists up to ten names, then how many in all.
func memberNames(names []string) string {
	if len(names) <= 10 {
		return strings.Join(names, "、")
	}
	return strings.Join(names[:10], "、") + fmt.Sprintf(" 等 %d 人", len(names))
}

// nextStepText tells what a newly started transfer waits for.
func nextStepText(t app.Transfer) string {
	if t.State == app.StateKept {
		return "留校保留至 " + t.KeepUntil
	}
	st, ok := t.Current()
	if !ok {
		return t.State
	}
	name := st.OrgName
	if name == "" {
		name = "有关组织"
	}
	text := fmt.Sprintf("等待“%s”%s", name, st.Kind)
	if st.Outside {
		text = fmt.Sprintf("等待对方（%s）办理%s。收到对方答复后，请在该转接的详情中记录“对方已同意”或“对方退回”", name, st.Kind)
	}
	if !st.DueAt.IsZero() {
		text += fmt.Sprintf("（%d 天内未办理将系统默认通过）", app.StepDays)
	}
	return text
}
