package ui

import (
	"fmt"
	"log"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// transferForm is 办理转出 for one or many members (R-T1, R-T2), and the
// member's own application from the personal centre: one form, one call to
// StartTransfer with every member, all or nothing.
type transferForm struct {
	u       *UI
	members []app.Member
	fields  *reasonFields
	msg     *widget.Label
	submit  *widget.Button
	d       dialog.Dialog
	done    dialog.Dialog
	result  []app.Transfer
	summary string
	saved   string // how to go back to before a transfer of many members
	onDone  func([]app.Transfer)
	parent  fyne.Window // the window the form shows over
}

// showStartTransfer opens 办理转出 for members (e.g. a whole graduating
// branch); a member account gets the same form for its own application.
func showStartTransfer(u *UI, members []app.Member) *transferForm {
	return showStartTransferOver(u, members, u.Win)
}

// showStartTransferOver opens 办理转出 over the window parent (a tool window
// such as 毕业生转接进度).
func showStartTransferOver(u *UI, members []app.Member, parent fyne.Window) *transferForm {
	f := &transferForm{u: u, members: members, parent: parent}
	f.fields = newReasonFields(u, false, 0)
	f.msg = errorLabel()
	f.submit = widget.NewButtonWithIcon("提交", theme.ConfirmIcon(), f.onSubmit)
	f.submit.Importance = widget.HighImportance
	title := "办理转出"
	own := len(members) == 1 && u.sess != nil && members[0].IDNo == u.sess.Account.IDNo
	if own {
		title = "申请组织关系转接"
	}
	var names []string
	orgs := map[string]bool{}
	var orgNames []string
	for _, m := range members {
		names = append(names, m.Name)
		if !orgs[m.OrgName] {
			orgs[m.OrgName] = true
			orgNames = append(orgNames, m.OrgName)
		}
	}
	from := strings.Join(orgNames, "、")
	if len(orgNames) > 3 {
		from = fmt.Sprintf("%d 个组织", len(orgNames))
	}
	head := container.NewVBox(wrapLabel(fmt.Sprintf("转出团员（%d 人）：%s", len(members), memberNames(names))), wrapLabel("现所在组织："+from))
	if own {
		head.Add(wrapLabel("提交后先由您所在的团支部（或其上级团委）审批，再由转入组织审批。"))
	}
	if len(members) == 0 {
		f.submit.Disable()
		f.msg.SetText("请先选择要办理转出的团员。")
	}
	buttons := container.NewHBox(spacer(), widget.NewButton("取消", func() { f.d.Hide() }), f.submit)
	body := container.NewBorder(head, container.NewVBox(f.msg, buttons), nil, nil, formScroll(f.fields.build()))
	f.d = fitDialog(parent, title, 760, 680, body)
	f.d.Show()
	return f
}

// errorLabel is the red inline message line of a form.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	return l
}

func (f *transferForm) onSubmit() {
	u := f.u
	f.msg.SetText("")
	in, err := f.fields.check()
	if err == nil {
		for _, m := range f.members {
			in.IDNos = append(in.IDNos, m.IDNo)
		}
		if len(in.IDNos) > 1 {
			f.saved = u.backupBefore("办理转出")
		}
		f.result, err = u.svc.StartTransfer(u.ctx, u.sess, in)
	}
	u.noteServer(err) // a lost server: the form stays open with its text (offline.go)
	if err != nil {
		log.Printf("start transfer: %v", err)
		f.msg.SetText(app.ErrorMessage(err))
		return
	}
	f.d.Hide()
	f.showDone()
	if f.onDone != nil {
		f.onDone(f.result)
	}
}

// showDone lists the transfer numbers and what happens next.
func (f *transferForm) showDone() {
	var b strings.Builder
	fmt.Fprintf(&b, "已提交 %d 件组织关系转接，转接编号：\n", len(f.result))
	for _, t := range f.result {
		line := fmt.Sprintf("第 %d 号　%s", t.No, t.Name)
		if t.State == app.StateKept {
			line += "（留校保留至 " + t.KeepUntil + "）"
		}
		b.WriteString(line + "\n")
	}
	if len(f.result) > 0 && f.result[0].State != app.StateKept {
		first := f.result[0]
		if fresh, err := f.u.svc.TransferByNo(f.u.ctx, f.u.sess, first.No); err == nil {
			first = fresh
		}
		b.WriteString("\n下一步：" + nextStepText(first) + "。\n")
		if f.u.sess.IsAdmin() {
			b.WriteString("可在“组织关系转接”中查看进度；接收方要求纸质介绍信时，可在“介绍信”中开具。")
		} else {
			b.WriteString("可在个人中心“我的转接申请”中查看进度。")
		}
	}
	if f.saved != "" {
		b.WriteString("\n" + f.saved)
	}
	f.summary = b.String()
	f.done = dialog.NewCustom("已提交", "关闭", container.NewVScroll(wrapLabel(f.summary)), f.parent)
	fitResize(f.parent, f.done, 520, 420)
	f.done.Show()
}

// pullForm is 办理转入 (R-T1): the receiving branch or committee names the
// member by 姓名 and 身份证号 and starts the transfer towards itself; the
// member's present organization approves.
type pullForm struct {
	u       *UI
	to      app.Org
	name    *widget.Entry
	id      *widget.Entry
	fromOut *widget.Check  // the person is not in this store (R-W4)
	from    *outsidePicker // the outside organization they come from
	fromBox *fyne.Container
	fields  *reasonFields
	msg     *widget.Label
	submit  *widget.Button
	d       dialog.Dialog
	result  app.Transfer
	onDone  func(app.Transfer)
}

// showPullTransfer opens 办理转入 towards to (a branch or committee the
// session manages); the target can be changed within to's subtree.
func showPullTransfer(u *UI, to app.Org) *pullForm {
	f := &pullForm{u: u, to: to}
	f.name, f.id = widget.NewEntry(), widget.NewEntry()
	f.name.SetPlaceHolder("团员姓名")
	f.id.SetPlaceHolder("18 位身份证号")
	f.fields = newReasonFields(u, true, to.ID)
	f.from = newOutsidePicker(u, "全部")
	f.fromBox = container.NewVBox()
	f.fromOut = widget.NewCheck("此人尚未录入本系统，从校外组织转入（如新生）", func(on bool) {
		f.fromBox.Objects = nil
		if on {
			f.fromBox.Objects = []fyne.CanvasObject{f.from.build()}
		}
		f.fromBox.Refresh()
	})
	f.fields.lead = []*widget.FormItem{widget.NewFormItem("姓名", f.name), widget.NewFormItem("身份证号", f.id),
		widget.NewFormItem("原所在组织", f.fromOut), widget.NewFormItem("", f.fromBox)}
	f.fields.layout()
	scope := "否"
	for _, p := range app.SeparateProvinces {
		if to.Province == p {
			scope = p
		}
	}
	f.fields.scope.SetSelected(scope)
	f.fields.target.set(to)
	f.msg = errorLabel()
	f.submit = widget.NewButtonWithIcon("查找并提交", theme.ConfirmIcon(), f.onSubmit)
	f.submit.Importance = widget.HighImportance
	hint := wrapLabel("系统按身份证号查找团员并核对姓名，提交后由团员现所在组织审批。\n尚未录入本系统的（如从高中转入的新生），请勾选“从校外组织转入”并填写其原所在的校外组织；对方同意后成为本组织团员，再补全其信息。")
	buttons := container.NewHBox(spacer(), widget.NewButton("取消", func() { f.d.Hide() }), f.submit)
	body := container.NewBorder(container.NewVBox(wrapLabel("转入到："+to.FullName), hint), container.NewVBox(f.msg, buttons),
		nil, nil, formScroll(f.fields.build()))
	f.d = fitDialog(u.Win, "办理转入", 760, 700, body)
	f.d.Show()
	u.Win.Canvas().Focus(f.name)
	return f
}

func (f *pullForm) onSubmit() {
	u := f.u
	f.msg.SetText("")
	var err error
	switch {
	case strings.TrimSpace(f.name.Text) == "":
		err = app.Errorf(app.EInvalid, "请填写团员姓名。")
	case strings.TrimSpace(f.id.Text) == "":
		err = app.Errorf(app.EInvalid, "请填写团员的身份证号。")
	}
	var in app.TransferInput
	if err == nil {
		in, err = f.fields.check()
	}
	if err == nil && f.fromOut.Checked {
		if err = f.from.check(); err == nil {
			in.FromOutside, _ = f.from.input()
		}
	}
	if err == nil {
		in.IDNos, in.Name = []string{f.id.Text}, f.name.Text
		f.result, err = u.svc.PullTransfer(u.ctx, u.sess, in)
	}
	u.noteServer(err)
	if err != nil {
		log.Printf("pull transfer: %v", err)
		text := app.ErrorMessage(err)
		if app.IsNotFound(err) && !f.fromOut.Checked {
			text += "如此人从校外转入（如新生），请勾选“从校外组织转入”并填写其原所在组织。"
		}
		f.msg.SetText(text)
		return
	}
	f.d.Hide()
	t := f.result
	if fresh, err := u.svc.TransferByNo(u.ctx, u.sess, t.No); err == nil {
		t = fresh
	}
	showInfo("已提交", fmt.Sprintf("已发起办理转入：第 %d 号　%s\n从“%s”转入“%s”。\n下一步：%s。", t.No, t.Name, t.FromName, t.ToName, nextStepText(t)), u.Win)
	if f.onDone != nil {
		f.onDone(t)
	}
}
