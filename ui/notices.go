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

// noticeCenter is 操作中心 (R-N1): what this account must do, each item with
// a 处理 button that opens the screen resolving it.
type noticeCenter struct {
	u      *UI
	items  []app.Notice
	list   *widget.List
	empty  *widget.Label
	count  *widget.Label
	d      dialog.Dialog
	center *transferCenter // the transfer window 处理 opened last, for tests
	detail *transferDetail // the transfer page 处理 opened last, for tests
}

// showNotices opens 操作中心 over the main window (shown at sign-in).
func showNotices(u *UI) *noticeCenter {
	n := &noticeCenter{u: u}
	n.empty = widget.NewLabelWithStyle("目前没有待办事项", fyne.TextAlignCenter, fyne.TextStyle{})
	n.count = widget.NewLabel("")
	n.list = widget.NewList(func() int { return len(n.items) }, n.createRow, n.updateRow)
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), n.load)
	closeBtn := widget.NewButton("关闭", func() { n.d.Hide() })
	body := container.NewBorder(n.count, container.NewHBox(spacer(), refresh, closeBtn), nil, nil, container.NewStack(n.list, container.NewCenter(n.empty)))
	n.d = fitDialog(u.Win, "操作中心", 820, 500, body)
	n.load()
	n.d.Show()
	return n
}

// load reads the notices again.
func (n *noticeCenter) load() {
	items, err := n.u.svc.Notices(n.u.ctx, n.u.sess)
	if err != nil {
		log.Printf("notices: %v", err)
		n.count.SetText(app.ErrorMessage(err))
	}
	n.items = items
	if len(items) == 0 {
		n.empty.Show()
		if err == nil {
			n.count.SetText("")
		}
	} else {
		n.empty.Hide()
		n.count.SetText(fmt.Sprintf("共 %d 项待办，请逐项处理：", len(items)))
	}
	n.list.Refresh()
}

// noticeIcon is the icon of a notice kind.
func noticeIcon(kind string) fyne.Resource {
	switch kind {
	case app.NoticeApprove:
		return theme.MailComposeIcon()
	case app.NoticeOverdue:
		return theme.WarningIcon()
	case app.NoticeAssign:
		return theme.AccountIcon()
	case app.NoticeKeep:
		return theme.HistoryIcon()
	case app.NoticeKeepOver:
		return theme.ErrorIcon()
	case app.NoticeLate:
		return theme.ContentAddIcon()
	case app.NoticeUnmarked:
		return theme.CalendarIcon()
	case app.NoticeMine:
		return theme.MailSendIcon()
	case app.NoticeOutside:
		return theme.MailReplyIcon()
	case app.NoticeIncomplete:
		return theme.DocumentCreateIcon()
	}
	return theme.InfoIcon()
}

func (n *noticeCenter) createRow() fyne.CanvasObject {
	kind := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel("")
	text.Truncation = fyne.TextTruncateEllipsis
	// NewBorder keeps the centre first, then left and right.
	return container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), container.NewCenter(widget.NewButton("处理", nil)), container.NewVBox(kind, text))
}

func (n *noticeCenter) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(n.items) {
		return
	}
	it := n.items[i]
	row := o.(*fyne.Container).Objects
	lines, icon, btn := row[0].(*fyne.Container), row[1].(*widget.Icon), row[2].(*fyne.Container).Objects[0].(*widget.Button)
	icon.SetResource(noticeIcon(it.Kind))
	head := it.Kind
	if it.DaysLeft >= 0 && it.Kind != app.NoticeAssign {
		head += fmt.Sprintf("　还剩 %d 天", it.DaysLeft)
	}
	kind := lines.Objects[0].(*widget.Label)
	kind.Importance = widget.MediumImportance
	if it.Kind == app.NoticeOverdue || it.Kind == app.NoticeKeepOver {
		kind.Importance = widget.WarningImportance
	}
	kind.SetText(head)
	lines.Objects[1].(*widget.Label).SetText(it.Text)
	btn.OnTapped = func() { n.onHandle(i) }
	setEnabled(btn, it.TransferNo != 0 || (it.OrgID != 0 && n.u.main != nil))
}

// onHandle opens the screen that resolves notice i.
func (n *noticeCenter) onHandle(i int) {
	if i < 0 || i >= len(n.items) {
		return
	}
	it := n.items[i]
	u := n.u
	switch {
	case it.TransferNo != 0:
		switch it.Kind {
		case app.NoticeApprove, app.NoticeOverdue, app.NoticeAssign:
			n.center = showTransferCenter(u)
			n.center.focusPending(it.TransferNo)
		default:
			// 等待对方答复 (R-W2): the page offers 记录对方已同意 / 记录对方退回.
			n.detail = openTransferDetail(u, it.TransferNo)
			if n.detail != nil {
				n.detail.onChange = n.load
			}
		}
	case it.OrgID != 0 && u.main != nil:
		o, err := u.svc.Org(u.ctx, u.sess, it.OrgID)
		if err != nil {
			u.showError(err)
			return
		}
		n.d.Hide()
		u.main.tree.selectOrg(o)
		p := u.main.page
		switch it.Kind {
		case app.NoticeLate, app.NoticeIncomplete:
			if p.tabs != nil && p.memberTab != nil {
				p.tabs.Select(p.memberTab)
			}
		case app.NoticeUnmarked:
			// The marking screen, the unmarked branches already ticked.
			if p.tabs != nil && p.childTab != nil {
				p.tabs.Select(p.childTab)
			}
			p.children.onGradUnmarked()
		}
	}
}
