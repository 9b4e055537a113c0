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

// outsideAnswerForm records the answer of an outside organization to the
// open step of a transfer (R-W2): 对方已同意, or 对方退回 with its reason,
// the day it was learned and a note.
type outsideAnswerForm struct {
	d                  *transferDetail
	approved           bool
	date, reason, note *widget.Entry
	msg                *widget.Label
	ok                 *widget.Button
	dlg                dialog.Dialog
}

func showOutsideAnswer(d *transferDetail, approved bool) *outsideAnswerForm {
	f := &outsideAnswerForm{d: d, approved: approved}
	st, _ := d.t.Current()
	f.date, f.reason, f.note = widget.NewEntry(), widget.NewMultiLineEntry(), widget.NewEntry()
	f.date.SetText(d.u.svc.Now().In(app.Shanghai).Format("2006-01-02"))
	f.reason.SetPlaceHolder("对方说明的退回原因")
	f.reason.SetMinRowsVisible(2)
	f.reason.Wrapping = fyne.TextWrapWord
	f.note.SetPlaceHolder("选填：如“电话确认，经办人王老师”")
	f.msg = errorLabel()
	items := []*widget.FormItem{
		widget.NewFormItem("转接", wrapLabel(fmt.Sprintf("第 %d 号　%s　%s", d.t.No, d.t.Name, st.Kind))),
		widget.NewFormItem("校外组织", wrapLabel(st.OrgName)),
		widget.NewFormItem("得知答复的日期", f.date),
	}
	title, label := "记录对方已同意", "确认已同意"
	if !approved {
		title, label = "记录对方退回", "确认退回"
		items = append(items, widget.NewFormItem("退回原因", f.reason))
	}
	items = append(items, widget.NewFormItem("说明", f.note))
	hint := "得知答复的日期写成“年-月-日”，默认今天；不能晚于今天，也不能早于转接发起的日期。"
	switch {
	case approved && d.t.FromOut:
		hint += "\n记录后此人转入“" + d.t.ToName + "”（团委须先分配团支部），请随后补全其信息。"
	case approved:
		hint += "\n记录后转接继续办理；这是最后一步时，团员记为“已转出”。"
	default:
		hint += "\n记录后转接结束，团员留在原组织。"
	}
	f.ok = widget.NewButtonWithIcon(label, theme.ConfirmIcon(), f.onOK)
	f.ok.Importance = widget.HighImportance
	if !approved {
		f.ok.Importance = widget.DangerImportance
	}
	body := scrollAbove(container.NewVBox(widget.NewForm(items...), wrapLabel(hint)),
		container.NewVBox(f.msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { f.dlg.Hide() }), f.ok)))
	f.dlg = fitDialog(d.w, title, 520, 360, body)
	f.dlg.Show()
	d.w.Canvas().Focus(f.date)
	return f
}

func (f *outsideAnswerForm) onOK() {
	d := f.d
	u := d.u
	f.msg.SetText("")
	t, err := u.svc.RecordOutsideAnswer(shownStep(u.ctx, d.t), u.sess, d.t.No, app.OutsideAnswer{
		Approved: f.approved, Reason: f.reason.Text, Note: f.note.Text, Date: f.date.Text})
	if err != nil {
		log.Printf("outside answer %d: %v", d.t.No, err)
		f.msg.SetText(app.ErrorMessage(err))
		return
	}
	f.dlg.Hide()
	d.t = t
	d.reload()
	u.main.membersMoved() // the member left or arrived: the counts change
	if d.onChange != nil {
		d.onChange()
	}
	text := "已记录对方退回，转接已结束，团员留在“" + t.FromName + "”。"
	if f.approved {
		text = "已记录对方已同意。"
		switch {
		case t.State == app.StateDone && t.ToOut:
			text += "转接已办结，" + t.Name + " 已转出至“" + t.ToName + "”，在本系统中记为已转出。"
		case t.State == app.StateDone && t.FromOut:
			text += "转接已办结，" + t.Name + " 已转入“" + t.ToName + "”。请在团员列表中补全其民族、文化程度、入团年月等信息。"
		case t.State == app.StateDone:
			text += "转接已办结。"
		default:
			text += "下一步：" + nextStepText(t) + "。"
		}
	}
	showInfo("已记录", text, d.w)
}
