package ui

import (
	"context"
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

// transferCenter is the 组织关系转接 window: the steps waiting for this
// account (approve, reject with a reason, assign to a branch; R-T3, R-T4,
// R-T5), every transfer of its organizations, and introduction letters.
type transferCenter struct {
	u                             *UI
	w                             fyne.Window
	tabs                          *container.AppTabs
	pendingTab, allTab, letterTab *container.TabItem
	pending, all                  *transferTable
	pendingCount, allCount        *widget.Label
	choice, allChoice             *widget.Label // what the buttons act on
	search                        *widget.Entry
	approve, reject, assign, view *widget.Button
	viewAll                       *widget.Button
	letters                       *letterView
	allRows                       []app.Transfer
	// The dialog on show and its inputs, kept for tests.
	confirm      dialog.Dialog
	rejectReason *widget.Entry
	assignTo     *orgPicker
}

// openCenters holds the open 组织关系转接 window of each UI, so that a
// second request brings it forward instead of opening another.
var openCenters = map[*UI]*transferCenter{}

// showTransferCenter opens (or brings forward) the 组织关系转接 window.
func showTransferCenter(u *UI) *transferCenter {
	if c, ok := openCenters[u]; ok {
		c.reload()
		c.w.Show()
		c.w.RequestFocus()
		return c
	}
	c := &transferCenter{u: u}
	c.pending = newTransferTable(clockOf(u), true, colNo, colName, colReason, colStep, colDays, colFrom, colTo)
	c.all = newTransferTable(clockOf(u), false, colNo, colName, colReason, colState, colStep, colFrom, colTo, colStart)
	c.pending.onPick, c.all.onPick = c.updateButtons, c.updateButtons
	c.pending.onOpen = func(t app.Transfer) { showTransferDetail(u, t.No) }
	c.all.onOpen = c.pending.onOpen
	c.pendingCount, c.allCount = widget.NewLabel(""), widget.NewLabel("")
	c.choice, c.allChoice = widget.NewLabel(""), widget.NewLabel("")
	c.approve = widget.NewButtonWithIcon("通过", theme.ConfirmIcon(), c.onApprove)
	c.approve.Importance = widget.HighImportance
	c.reject = widget.NewButtonWithIcon("退回", theme.CancelIcon(), c.onReject)
	c.assign = widget.NewButtonWithIcon("分配团支部", theme.AccountIcon(), c.onAssign)
	c.view = widget.NewButtonWithIcon("查看", theme.VisibilityIcon(), func() { c.onView(c.pending) })
	c.search = widget.NewEntry()
	c.search.SetPlaceHolder("按编号、姓名或身份证号前几位筛选")
	c.search.OnChanged = func(string) { c.showAll() }
	c.letters = newLetterView(c)

	bar := container.NewHBox(widget.NewButton("全选", func() { c.pending.setAll(true) }), widget.NewButton("全不选", func() { c.pending.setAll(false) }),
		c.pendingCount, spacer(), c.choice, c.view, c.reject, c.assign, c.approve)
	// Three short lines, each whole on a 1024-wide window (a wrapping label
	// in the page's header was given the height of one line fewer).
	hint := widget.NewLabel("点选一件办理，双击查看详情；勾选多件可一并办理。\n" +
		"每个审批步骤须在 15 天内办理：超过 10 天标 ※，满 15 天系统默认通过。\n" +
		"转入团委（团工委、团总支）的，审批通过后还须分配团支部才算办结。")
	c.pendingTab = container.NewTabItemWithIcon("待我审批", theme.MailComposeIcon(), container.NewBorder(container.NewVBox(hint, bar), nil, nil, nil, c.pending.box()))
	c.viewAll = widget.NewButtonWithIcon("查看", theme.VisibilityIcon(), func() { c.onView(c.all) })
	viewAll := c.viewAll
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), c.reload)
	c.allTab = container.NewTabItemWithIcon("全部转接", theme.ListIcon(),
		container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(c.allCount, c.allChoice, viewAll, refresh), c.search), nil, nil, nil, c.all.box()))
	c.letterTab = container.NewTabItemWithIcon("介绍信", theme.DocumentPrintIcon(), c.letters.build())
	c.tabs = container.NewAppTabs(c.pendingTab, c.allTab, c.letterTab)
	c.tabs.OnSelected = func(*container.TabItem) { c.reload() }
	pg := u.newPage("组织关系转接")
	pg.refresh = c.reload
	c.w = pg
	c.w.SetContent(c.tabs)
	c.w.Resize(fitWindowSize(u.Win, 1180, 700))
	c.w.SetOnClosed(func() { delete(openCenters, u) })
	openCenters[u] = c
	c.reload()
	c.w.Show()
	return c
}

// closeTransferCenter closes u's 组织关系转接 window, if open (at sign-out).
func closeTransferCenter(u *UI) {
	if c, ok := openCenters[u]; ok {
		c.w.Close()
		delete(openCenters, u)
	}
}

// reload fetches the lists again.
func (c *transferCenter) reload() {
	u := c.u
	// Due default approvals are recorded first (R-T4), as for transfer list --pending.
	pending, err := u.svc.PendingTransfers(u.ctx, u.sess)
	if err != nil {
		c.showError(err)
	}
	c.pending.setRows(pending, true)
	c.pendingCount.SetText(fmt.Sprintf("待办 %d 件", len(pending)))
	c.allRows, err = u.svc.ListTransfers(u.ctx, u.sess, false)
	if err != nil {
		c.showError(err)
	}
	c.showAll()
	c.letters.reload(true)
	c.updateButtons()
}

func (c *transferCenter) showAll() {
	rows := filterTransfers(c.allRows, c.search.Text)
	c.all.setRows(rows, true)
	c.allCount.SetText(fmt.Sprintf("共 %d 件", len(rows)))
}

// focusPending shows 待我审批 with transfer no highlighted.
func (c *transferCenter) focusPending(no int64) {
	c.tabs.Select(c.pendingTab)
	if !c.pending.selectNo(no) {
		c.tabs.Select(c.allTab)
		c.all.selectNo(no)
	}
}

// updateButtons follows the choice: 查看 needs one transfer, the others
// act on every chosen one and say how many.
func (c *transferCenter) updateButtons() {
	n := len(c.pending.targets())
	setEnabled(c.approve, n > 0)
	setEnabled(c.reject, n > 0)
	setEnabled(c.assign, n > 0)
	setEnabled(c.view, n == 1)
	suffix := ""
	if n > 1 {
		suffix = fmt.Sprintf("（%d 件）", n)
	}
	c.approve.SetText("通过" + suffix)
	c.reject.SetText("退回" + suffix)
	c.assign.SetText("分配团支部" + suffix)
	c.choice.SetText(c.pending.choiceText())
	_, one := c.all.current()
	setEnabled(c.viewAll, one)
	c.allChoice.SetText(c.all.choiceText())
}

// showError shows err's Chinese message over this window.
func (c *transferCenter) showError(err error) {
	log.Printf("transfers: %v", err)
	showErrorDialog(errorText(err), c.w)
}

func (c *transferCenter) onView(v *transferTable) {
	if t, ok := v.current(); ok {
		showTransferDetail(c.u, t.No)
	}
}

// listText names transfers for a confirmation, at most ten of them.
func listText(ts []app.Transfer) string {
	var lines []string
	for i, t := range ts {
		if i == 10 {
			lines = append(lines, fmt.Sprintf("…… 共 %d 件", len(ts)))
			break
		}
		step := ""
		if st, ok := t.Current(); ok {
			step = "，" + st.Kind
		}
		lines = append(lines, fmt.Sprintf("第 %d 号　%s（%s%s）", t.No, t.Name, t.Reason, step))
	}
	return strings.Join(lines, "\n")
}

func (c *transferCenter) onApprove() {
	ts := c.pending.targets()
	var todo []app.Transfer
	for _, t := range ts {
		if st, ok := t.Current(); ok && st.Kind != app.StepAssign {
			todo = append(todo, t)
		}
	}
	if len(todo) == 0 {
		c.showError(app.Errorf(app.EConflict, "所选转接已审批通过，正在等待分配团支部，请点“分配团支部”。"))
		return
	}
	text := fmt.Sprintf("确定通过以下 %d 件转接吗？\n\n%s", len(todo), listText(todo))
	c.confirm = dialog.NewCustomConfirm("通过审批", "确认通过", "取消", wrapLabel(text), func(ok bool) {
		if ok {
			c.act(todo, "通过", func(t app.Transfer) error {
				_, err := c.u.svc.ApproveTransfer(shownStep(c.u.ctx, t), c.u.sess, t.No)
				return err
			})
		}
	}, c.w)
	fitResize(c.w, c.confirm, 520, 320)
	c.confirm.Show()
}

// shownStep is ctx naming the step of t the window showed, so that acting
// on it is refused when another desk acted first (app.ForStep).
func shownStep(ctx context.Context, t app.Transfer) context.Context {
	if st, ok := t.Current(); ok {
		return app.ForStep(ctx, st.ID)
	}
	return ctx
}

// onReject asks for the reason; the member stays where they are (R-T5).
func (c *transferCenter) onReject() {
	ts := c.pending.targets()
	c.rejectReason = widget.NewMultiLineEntry()
	c.rejectReason.SetPlaceHolder("退回原因（对方会看到），例如：转入组织选择错误，请选择具体的学院团委")
	c.rejectReason.Wrapping = fyne.TextWrapWord
	msg := errorLabel()
	var d dialog.Dialog
	ok := widget.NewButtonWithIcon("确认退回", theme.CancelIcon(), func() {
		if strings.TrimSpace(c.rejectReason.Text) == "" {
			msg.SetText("退回须填写原因，以便对方知道如何处理。")
			return
		}
		d.Hide()
		reason := c.rejectReason.Text
		c.act(ts, "退回", func(t app.Transfer) error {
			_, err := c.u.svc.RejectTransfer(shownStep(c.u.ctx, t), c.u.sess, t.No, reason)
			return err
		})
	})
	ok.Importance = widget.DangerImportance
	body := scrollAbove(container.NewVBox(wrapLabel(fmt.Sprintf("退回以下 %d 件转接，团员留在原组织：\n%s", len(ts), listText(ts))), c.rejectReason),
		container.NewVBox(msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { d.Hide() }), ok)))
	d = fitDialog(c.w, "退回", 520, 360, body)
	c.confirm = d
	d.Show()
	c.w.Canvas().Focus(c.rejectReason)
}

// onAssign puts approved members into one branch of the receiving committee (R-T3).
func (c *transferCenter) onAssign() {
	ts := c.pending.targets()
	var committee int64
	var name string
	for _, t := range ts {
		st, ok := t.Current()
		if !ok || st.Kind != app.StepAssign {
			c.showError(app.Errorf(app.EConflict, "第 %d 号转接还在“%s”，审批通过后才能分配团支部。", t.No, st.Kind))
			return
		}
		if committee != 0 && st.OrgID != committee {
			c.showError(app.Errorf(app.EConflict, "所选转接转入不同的组织，请每次只勾选转入同一组织的转接再分配。"))
			return
		}
		committee, name = st.OrgID, st.OrgName
	}
	c.assignTo = newOrgPicker(c.u, "全部", committee, app.Org.AcceptsAssignment)
	c.assignTo.load()
	msg := errorLabel()
	var d dialog.Dialog
	ok := widget.NewButtonWithIcon("分配", theme.ConfirmIcon(), func() {
		if c.assignTo.selected == nil {
			msg.SetText("请在列表中选择一个团支部。")
			return
		}
		d.Hide()
		branch := c.assignTo.selected.ID
		c.act(ts, "分配", func(t app.Transfer) error {
			_, err := c.u.svc.AssignTransfer(shownStep(c.u.ctx, t), c.u.sess, t.No, branch)
			return err
		})
	})
	ok.Importance = widget.HighImportance
	head := wrapLabel(fmt.Sprintf("把以下 %d 人分配到“%s”下属的一个团支部，分配后转接办结：\n%s", len(ts), name, listText(ts)))
	body := container.NewBorder(head, container.NewVBox(msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { d.Hide() }), ok)),
		nil, nil, c.assignTo.build())
	d = fitDialog(c.w, "分配团支部", 640, 520, body)
	c.confirm = d
	d.Show()
}

// act applies one action to each transfer, then reports and reloads.
func (c *transferCenter) act(ts []app.Transfer, verb string, do func(app.Transfer) error) {
	done := 0
	var failed []string
	for _, t := range ts {
		if err := do(t); err != nil {
			log.Printf("%s transfer %d: %v", verb, t.No, err)
			failed = append(failed, fmt.Sprintf("第 %d 号 %s：%s", t.No, t.Name, app.ErrorMessage(err)))
			continue
		}
		done++
	}
	c.reload()
	if done > 0 {
		c.u.main.membersMoved()
	}
	if len(failed) > 0 {
		text := fmt.Sprintf("已%s %d 件，%d 件未能办理：\n%s", verb, done, len(failed), strings.Join(failed, "\n"))
		showErrorDialog(userError(text), c.w)
		return
	}
	showInfo(verb, fmt.Sprintf("已%s %d 件转接。", verb, done), c.w)
}
