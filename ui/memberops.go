package ui

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// marksDialog is 标记延迟毕业团员/教师 (R-D1..R-D3): tick members of the
// branch and mark them, or revoke their marks.
type marksDialog struct {
	v       *membersView
	members []app.Member
	checks  []*widget.Check
	action  *widget.RadioGroup
	month   *widget.Entry
	reason  *widget.Entry
	msg     *widget.Label
	d       dialog.Dialog
}

func showMarksDialog(v *membersView) *marksDialog {
	u := v.p.m.u
	g := &marksDialog{v: v}
	if err := u.svc.ListMembers(u.ctx, u.sess, app.MemberQuery{OrgID: v.p.org.ID}, func(m app.Member) error {
		g.members = append(g.members, m)
		return nil
	}); err != nil {
		u.showError(err)
		return nil
	}
	sel, _ := v.row(v.selected)
	var rows []fyne.CanvasObject
	for _, m := range g.members {
		label := m.Name + "（" + app.MaskID(m.IDNo) + "）"
		if id := app.Identity(m, v.p.org); id != "" {
			label += "  " + id
			if m.MarkMonth != "" {
				label += " " + m.MarkMonth
			}
		}
		c := widget.NewCheck(label, nil)
		c.Checked = m.IDNo == sel.IDNo
		g.checks = append(g.checks, c)
		rows = append(rows, c)
	}
	g.action = widget.NewRadioGroup([]string{app.MarkTeacher, app.MarkDelayed, "撤销标记"}, nil)
	g.action.Horizontal = true
	g.action.SetSelected(app.MarkDelayed)
	g.month, g.reason = widget.NewEntry(), widget.NewEntry()
	g.month.SetPlaceHolder(delayedHint(v.p.org.GradMonth))
	g.reason.SetPlaceHolder("延迟毕业原因")
	g.msg = errorLabel()
	ok := widget.NewButtonWithIcon("确定", theme.ConfirmIcon(), g.onOK)
	ok.Importance = widget.HighImportance
	head := widget.NewLabel(fmt.Sprintf("“%s”预计毕业时间：%s。\n被标记的团员可以正常转接，但不纳入“学社衔接”。", v.p.org.Name, v.p.org.GradMonth))
	head.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("操作", g.action), widget.NewFormItem("预计毕业时间", g.month), widget.NewFormItem("延迟毕业原因", g.reason))
	bottom := container.NewVBox(form, g.msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { g.d.Hide() }), ok))
	g.d = fitDialog(u.Win, "标记延迟毕业团员/教师", 600, 560,
		container.NewBorder(head, bottom, nil, nil, container.NewVScroll(container.NewVBox(rows...))))
	g.d.Show()
	return g
}

func (g *marksDialog) onOK() {
	u := g.v.p.m.u
	g.msg.SetText("")
	var ids []string
	for i, c := range g.checks {
		if c.Checked {
			ids = append(ids, g.members[i].IDNo)
		}
	}
	var err error
	switch g.action.Selected {
	case "撤销标记":
		_, err = u.svc.UnmarkMembers(u.ctx, u.sess, ids)
	default:
		_, err = u.svc.MarkMembers(u.ctx, u.sess, app.MemberMark{IDNos: ids, Mark: g.action.Selected, Month: g.month.Text, Reason: g.reason.Text})
	}
	if err != nil {
		g.msg.SetText(app.ErrorMessage(err))
		return
	}
	g.d.Hide()
	g.v.load()
}

// showStatusDialog records 超龄离团, 自愿退团, 开除团籍 or 恢复团籍 (R-X4).
func showStatusDialog(v *membersView, m app.Member) {
	u := v.p.m.u
	status := newSelect(app.StatusChanges, nil)
	if m.Status == app.StatusActive {
		status.SetSelected(app.StatusOverAge)
	} else {
		status.SetSelected(app.StatusRestored)
	}
	date := widget.NewEntry()
	date.SetText(u.svc.Now().Format("2006-01-02"))
	reason := widget.NewEntry()
	reason.SetPlaceHolder("原因（超龄离团可不填）")
	dialog.ShowForm("团籍状态 — "+m.Name, "保存", "取消", []*widget.FormItem{
		widget.NewFormItem("现在", widget.NewLabel(m.Status)),
		widget.NewFormItem("变更为", status),
		widget.NewFormItem("日期", date),
		widget.NewFormItem("原因", reason),
	}, func(ok bool) {
		if !ok {
			return
		}
		var save func()
		save = func() {
			_, err := u.svc.SetStatus(u.ctx, u.sess, m.IDNo, status.Selected, date.Text, reason.Text)
			if u.offerRetry(err, save) { // the server is down: 重试 keeps what was entered
				return
			}
			if err != nil {
				u.showError(err)
				return
			}
			v.p.m.orgChanged(v.p.org.ParentID, 0)
			v.load()
		}
		save()
	}, u.Win)
}

// showErrorReport reports a wrongly entered 身份证号 or 姓名, or confirms the
// upper level's deletion and opens the entry form pre-filled (R-E1).
func showErrorReport(v *membersView, m app.Member) {
	u := v.p.m.u
	kind := widget.NewRadioGroup([]string{app.ErrorIDKind, app.ErrorNameKind}, nil)
	kind.SetSelected(app.ErrorIDKind)
	if m.ErrorKind != "" {
		kind.SetSelected(m.ErrorKind)
	}
	note := wrapLabel("身份证号和姓名录入后不能修改。录错的团员先上报（导出附件3 交校团委）；删除由校团委管理员点“确认已删除”确认，之后再用正确信息重新录入。")
	var d dialog.Dialog
	report := widget.NewButton("上报为信息录入错误", func() {
		if _, err := u.svc.ReportError(u.ctx, u.sess, m.IDNo, kind.Selected); err != nil {
			u.showError(err)
			return
		}
		d.Hide()
		v.load()
	})
	report.Importance = widget.HighImportance
	confirmDel := widget.NewButton("确认已删除", func() {
		deleted, err := u.svc.ConfirmDeleted(u.ctx, u.sess, m.IDNo)
		if err != nil {
			u.showError(err)
			return
		}
		d.Hide()
		v.p.m.orgChanged(v.p.org.ParentID, 0)
		v.load()
		// Re-entry with the correct data: everything but the wrong field is kept.
		pre := deleted
		pre.ErrorKind = ""
		if deleted.ErrorKind == app.ErrorNameKind {
			pre.Name = ""
		} else {
			pre.IDNo = ""
		}
		v.form = showMemberForm(v.p.m, v.p.org, nil, func(app.Member) { v.load() })
		v.form.prefill(pre)
	})
	setEnabled(confirmDel, m.ErrorKind != "")
	body := scrollAbove(container.NewVBox(widget.NewLabel(m.Name+"（"+app.MaskID(m.IDNo)+"）"), kind, note),
		container.NewHBox(spacer(), report, confirmDel))
	d = fitCustom(u.Win, "信息录入错误团员上报", "关闭", 520, 260, body)
	d.Show()
}

// exportRoster saves the organization's roster; full IDs only when the user
// has the right and asks, which is audited.
func exportRoster(v *membersView) {
	u := v.p.m.u
	full := widget.NewCheck("导出完整身份证号（将记入操作日志）", nil)
	if !u.sess.CanCommittee(v.p.org) {
		full.Disable()
	}
	dialog.ShowCustomConfirm("导出团员名册", "选择保存位置", "取消", container.NewVBox(
		wrapLabel("导出“"+v.p.org.FullName+"”的全部团员（Excel，身份证号为文本）。默认隐藏身份证号中间 8 位。"), full), func(ok bool) {
		if !ok {
			return
		}
		org, wantFull := v.p.org, full.Checked
		saveFile(u, "导出团员名册", datedName(u, org.Name+"团员名册"), func(w io.Writer) (string, error) {
			return writeRosterTo(u, w, org, wantFull)
		})
	}, u.Win)
}

func writeRosterTo(u *UI, w io.Writer, org app.Org, full bool) (string, error) {
	n := 0
	var walkErr error
	members := func(yield func(app.Member) bool) {
		_, walkErr = u.svc.ExportRoster(u.ctx, u.sess, org.ID, full, func(m app.Member) error {
			n++
			if !yield(m) {
				return errStop
			}
			return nil
		})
	}
	if err := u.Codecs.WriteRoster(w, org.FullName+" 团员名册", members, !full, u.svc.Now()); err != nil {
		return "", err
	}
	if walkErr != nil && walkErr != errStop {
		return "", walkErr
	}
	return "已导出 " + strconv.Itoa(n) + " 名团员。", nil
}

type stopErr struct{}

func (stopErr) Error() string { return "stop" }

var errStop error = stopErr{}

// showOverAge lists who reaches 28 in a year (R-X4) and records 超龄离团 in batch.
func showOverAge(m *mainScreen, org app.Org) {
	u := m.u
	year := u.svc.Now().Year()
	list, err := u.svc.OverAge(u.ctx, u.sess, org.ID, year)
	if err != nil {
		u.showError(err)
		return
	}
	var lines []string
	for _, x := range list {
		lines = append(lines, fmt.Sprintf("%s（%s）%d 岁  %s", x.Name, app.MaskID(x.IDNo), app.AgeAt(x.Info().Birth, u.svc.Now()), x.OrgName))
	}
	text := strings.Join(lines, "\n")
	if text == "" {
		text = "没有今年满 28 周岁的团员。"
	}
	body := container.NewBorder(wrapLabel(fmt.Sprintf("“%s”%d 年满 28 周岁、不担任团内职务的团员共 %d 人（担任团内职务者保留团籍）：", org.Name, year, len(list))),
		nil, nil, nil, container.NewVScroll(widget.NewLabel(text)))
	d := fitConfirm(u.Win, "超龄离团名单", "全部办理超龄离团", "关闭", 620, 460, body, func(ok bool) {
		if !ok || len(list) == 0 {
			return
		}
		done, later, err := u.svc.LeaveOverAge(u.ctx, u.sess, org.ID, u.svc.Now().Format("2006-01-02"))
		if err != nil {
			u.showError(err)
			return
		}
		m.orgChanged(org.ParentID, org.ID)
		showInfo("超龄离团", fmt.Sprintf("已为 %d 人办理超龄离团；另有 %d 人今年稍后才满 28 周岁，到时再办理。", done, later), u.Win)
	})
	d.Show()
}

// delayedHint is the placeholder of the 延迟毕业 month: later than the
// branch's month (R-D1), with an example a year after it.
func delayedHint(branchMonth string) string {
	t, err := time.Parse("2006-01", branchMonth)
	if err != nil {
		return "晚于本支部的预计毕业时间，例如 2028-06"
	}
	return "晚于 " + branchMonth + "，例如 " + t.AddDate(1, 0, 0).Format("2006-01")
}
