package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// transferDetail is one transfer's page: its fields and a timeline of its
// steps, who acted and when, 系统默认通过 shown as such, and the days left
// on the open step (R-T3, R-T4, R-T5).
type transferDetail struct {
	u        *UI
	t        app.Transfer
	w        fyne.Window
	timeline []string // the timeline's lines, for tests
	// 记录对方已同意 / 记录对方退回 (R-W2), shown while an outside step waits.
	confirm, reject *widget.Button
	answer          *outsideAnswerForm // the last answer form opened, for tests
	onChange        func()             // after an answer is recorded
}

// showTransferDetail opens transfer no in its own window.
func showTransferDetail(u *UI, no int64) { openTransferDetail(u, no) }

// openTransferDetail opens transfer no and returns its page (nil when it cannot be read).
func openTransferDetail(u *UI, no int64) *transferDetail {
	t, err := u.svc.TransferByNo(u.ctx, u.sess, no)
	if err != nil {
		u.showError(err)
		return nil
	}
	d := &transferDetail{u: u, t: t}
	pg := u.newPage(fmt.Sprintf("组织关系转接 第 %d 号", t.No))
	pg.refresh = d.reload
	d.w = pg
	d.w.SetContent(d.build())
	d.w.Resize(fitWindowSize(u.Win, 780, 680))
	d.w.Show()
	return d
}

func (d *transferDetail) build() fyne.CanvasObject {
	t := d.t
	title := canvas.NewText(fmt.Sprintf("第 %d 号　%s　%s", t.No, t.Name, t.State), theme.Color(theme.ColorNamePrimary))
	title.TextSize = 20
	form := widget.NewForm()
	add := func(label, value string) {
		if value != "" {
			form.Append(label, wrapLabel(value))
		}
	}
	add("团员", t.Name+"（"+app.MaskID(t.IDNo)+"）")
	add("转接原因", t.Reason)
	add("发起方", t.Initiator)
	add("转出组织", outsideMark(t.FromName, t.FromOut))
	add("转入组织", outsideMark(t.ToName, t.ToOut))
	add("是否属于北京/广东/福建", t.Scope)
	switch t.Reason {
	case app.ReasonStudy:
		add("转入学校", t.Unit)
	case app.ReasonAbroadOfficial:
		add("派出单位", t.Unit)
	default:
		add("工作单位", t.Unit)
	}
	add("地址", t.Address)
	add("境外学习研究地点", t.AbroadPlace)
	add("期限", t.AbroadPeriod)
	add("境内联系人", t.Contact)
	add("联系方式", t.ContactPhone)
	add("留校保留至", t.KeepUntil)
	add("备注（详细地址）", t.Remark)
	add("退回原因", t.RejectReason)
	add("介绍信", letterNos(t.Letters))
	add("发起时间", stamp(t.CreatedAt))
	add("办结时间", stamp(t.FinishedAt))
	rows := container.NewVBox()
	for _, e := range d.events(d.u.svc.Now()) {
		d.timeline = append(d.timeline, e.text)
		rows.Add(container.NewBorder(nil, nil, widget.NewIcon(e.icon), nil, wrapLabel(e.text)))
	}
	body := container.NewVBox(title, form, widget.NewSeparator(), widget.NewLabelWithStyle("办理过程", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), rows)
	buttons := container.NewHBox(spacer())
	d.confirm, d.reject = nil, nil
	if st, ok := t.Current(); ok && st.Outside && t.IsOpen() && d.u.sess.IsAdmin() {
		wait := wrapLabel(fmt.Sprintf("当前步骤由校外组织“%s”办理，本系统不能代为审批。收到对方答复（电话、公函、回执等）后，请点击下方“记录对方已同意”或“记录对方退回”；到 %s 仍未记录的，系统默认通过。",
			st.OrgName, st.DueAt.In(app.Shanghai).Format("2006-01-02")))
		wait.Importance = widget.WarningImportance
		body.Add(wait)
		d.confirm = widget.NewButtonWithIcon("记录对方已同意", theme.ConfirmIcon(), func() { d.answer = showOutsideAnswer(d, true) })
		d.confirm.Importance = widget.HighImportance
		d.reject = widget.NewButtonWithIcon("记录对方退回", theme.CancelIcon(), func() { d.answer = showOutsideAnswer(d, false) })
		buttons.Add(d.reject)
		buttons.Add(d.confirm)
	} else if d.waitsForMe() {
		act := widget.NewButtonWithIcon("去办理", theme.MailComposeIcon(), func() {
			d.w.Close()
			showTransferCenter(d.u).focusPending(t.No)
		})
		act.Importance = widget.HighImportance
		buttons.Add(act)
	}
	buttons.Add(widget.NewButton("关闭", func() { d.w.Close() }))
	return container.NewBorder(nil, buttons, nil, nil, formScroll(container.NewPadded(body)))
}

// waitsForMe reports whether the open step is this account's to act on.
func (d *transferDetail) waitsForMe() bool {
	if !d.t.IsOpen() || !d.u.sess.IsAdmin() {
		return false
	}
	pending, err := d.u.svc.ListTransfers(d.u.ctx, d.u.sess, true)
	if err != nil {
		return false
	}
	for _, p := range pending {
		if p.No == d.t.No {
			return true
		}
	}
	return false
}

// stamp is a time as the pages write it.
func stamp(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return at.In(app.Shanghai).Format("2006-01-02 15:04")
}

// actorText names who acted on a step: the account's name, or its masked
// 身份证号 when the account is gone.
func actorText(actor, name string) string {
	if actor == "" || actor == "系统" {
		return "系统"
	}
	if name != "" {
		return "经办人 " + name
	}
	return "经办人 " + app.MaskID(actor)
}

type event struct {
	icon fyne.Resource
	text string
}

// events is the timeline: the start, each step, and the end.
func (d *transferDetail) events(now time.Time) []event {
	t := d.t
	out := []event{{theme.MailSendIcon(), fmt.Sprintf("%s　由%s发起（%s）", stamp(t.CreatedAt), t.Initiator, actorText(t.StartedBy, t.StartedName))}}
	for _, s := range t.Steps {
		head := fmt.Sprintf("第 %d 步　%s　%s", s.Seq, s.Kind, s.OrgName)
		if s.Outside {
			head += "（校外）"
		}
		switch {
		case s.Outside && !s.ActedAt.IsZero() && s.Outcome != app.OutcomeDefault:
			e := event{theme.ConfirmIcon(), fmt.Sprintf("%s：%s（%s 得知，%s 由%s记录）", head, s.Outcome, s.LearnedOn, stamp(s.ActedAt), actorText(s.Actor, s.ActorName))}
			if s.Outcome == app.OutcomeOutsideRejected {
				e.icon = theme.CancelIcon()
				e.text += "　原因：" + s.Note
			} else if s.Note != "" {
				e.text += "　说明：" + s.Note
			}
			out = append(out, e)
		case s.Outside && s.IsOpen():
			waited := s.DaysWaited(now)
			e := event{theme.MoreHorizontalIcon(), fmt.Sprintf("%s：等待对方（%s）办理，已等待 %d 天，还剩 %d 天（%s 前未记录答复将默认通过）",
				head, s.OrgName, waited, s.DaysLeft(now), s.DueAt.In(app.Shanghai).Format("2006-01-02"))}
			if s.Overdue(now) {
				e.icon = theme.WarningIcon()
				e.text = "※ " + e.text
			}
			out = append(out, e)
		case !s.ActedAt.IsZero():
			e := event{theme.ConfirmIcon(), fmt.Sprintf("%s：%s　%s", head, s.Outcome, stamp(s.ActedAt))}
			switch s.Outcome {
			case app.OutcomeDefault:
				e.icon = theme.HistoryIcon()
				e.text += "（15 天内未办理，系统默认通过）"
			case app.OutcomeRejected:
				e.icon = theme.CancelIcon()
				e.text += "（" + actorText(s.Actor, s.ActorName) + "）原因：" + s.Note
			case app.OutcomeAssigned:
				e.text += "（" + actorText(s.Actor, s.ActorName) + "）分配到：" + s.Note
			default:
				e.text += "（" + actorText(s.Actor, s.ActorName) + "）"
			}
			out = append(out, e)
		case s.IsOpen() && s.DueAt.IsZero():
			out = append(out, event{theme.AccountIcon(), head + "：等待分配团支部（不会自动分配，分配后才算办结）"})
		case s.IsOpen():
			waited := s.DaysWaited(now)
			e := event{theme.MoreHorizontalIcon(), fmt.Sprintf("%s：办理中，已等待 %d 天，还剩 %d 天（%s 前未办理将系统默认通过）",
				head, waited, s.DaysLeft(now), s.DueAt.In(app.Shanghai).Format("2006-01-02"))}
			if s.Overdue(now) {
				e.icon = theme.WarningIcon()
				e.text = "※ " + e.text
			}
			out = append(out, e)
		case t.IsOpen():
			out = append(out, event{theme.RadioButtonIcon(), head + "：未开始"})
		}
	}
	switch t.State {
	case app.StateDone:
		if t.ToOut {
			out = append(out, event{theme.ConfirmIcon(), fmt.Sprintf("%s　办结：团员已转出至“%s”，在本系统中记为已转出", stamp(t.FinishedAt), t.ToName)})
		} else {
			out = append(out, event{theme.ConfirmIcon(), fmt.Sprintf("%s　办结：团员已转入“%s”", stamp(t.FinishedAt), t.ToName)})
		}
	case app.StateRejected:
		out = append(out, event{theme.CancelIcon(), fmt.Sprintf("%s　已退回，团员留在“%s”。原因：%s", stamp(t.FinishedAt), t.FromName, t.RejectReason)})
	case app.StateKept:
		out = append(out, event{theme.HistoryIcon(), "留校保留团组织关系至 " + t.KeepUntil + "，落实去向后须办理转出"})
	case app.StateKeptEnded:
		out = append(out, event{theme.InfoIcon(), stamp(t.FinishedAt) + "　留校保留已结束"})
	}
	return out
}

// outsideMark marks an organization outside this store (R-W1).
func outsideMark(name string, outside bool) string {
	if outside && name != "" {
		return name + "（校外组织）"
	}
	return name
}

// letterNos lists letter numbers: 第 1、3 号.
func letterNos(nos []int) string {
	if len(nos) == 0 {
		return ""
	}
	parts := make([]string, len(nos))
	for i, n := range nos {
		parts[i] = strconv.Itoa(n)
	}
	return "第 " + strings.Join(parts, "、") + " 号"
}

// reload reads the transfer again and redraws the page.
func (d *transferDetail) reload() {
	if t, err := d.u.svc.TransferByNo(d.u.ctx, d.u.sess, d.t.No); err == nil {
		d.t = t
	}
	d.timeline = nil
	d.w.SetContent(d.build())
}
