package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// gradDialog is 标记团支部团员毕业时间 (R-G1..R-G4): tick branches, choose a
// month (with the suggestion from the branch names, R-G2) or the reason
// none can be fixed (R-G3), read the consequences, confirm.
type gradDialog struct {
	m        *mainScreen
	branches []app.Org
	checks   []*widget.Check
	month    *widget.SelectEntry
	reason   *widget.Select
	msg      *widget.Label
	next     *widget.Button
	d        dialog.Dialog
	confirm  dialog.Dialog
	onDone   func()
}

// showGradDialog offers the given branches, with preselected ones ticked.
func showGradDialog(m *mainScreen, branches []app.Org, preselected map[int64]bool, onDone func()) *gradDialog {
	g := &gradDialog{m: m, branches: branches, onDone: onDone}
	var rows []fyne.CanvasObject
	suggestions := map[string]bool{}
	for _, b := range branches {
		label := b.Name
		switch {
		case b.GradMonth != "":
			label += "（已标记 " + b.GradMonth + "）"
		case b.GradReason != "":
			label += "（" + b.GradReason + "）"
		}
		c := widget.NewCheck(label, func(bool) { g.updateSuggestions() })
		c.Checked = preselected[b.ID]
		g.checks = append(g.checks, c)
		rows = append(rows, c)
		for _, s := range app.SuggestForBranch(b.Name) {
			suggestions[s] = true
		}
	}
	all := widget.NewButton("全选", func() { g.setAll(true) })
	none := widget.NewButton("全不选", func() { g.setAll(false) })
	g.month = widget.NewSelectEntry(nil)
	g.month.SetPlaceHolder("预计毕业时间，例如 2027-06")
	g.reason = newSelect([]string{"", app.CatTeacher, app.CatMixed}, nil)
	g.reason.PlaceHolder = "（能确定时间则不选）"
	g.msg = errorLabel()
	g.next = widget.NewButtonWithIcon("下一步", theme.NavigateNextIcon(), g.onNext)
	g.next.Importance = widget.HighImportance
	g.updateSuggestions()
	form := widget.NewForm(
		widget.NewFormItem("预计毕业时间", g.month),
		widget.NewFormItem("无法确定的理由", g.reason),
	)
	hint := widget.NewLabel("本科 2020 级 → 2024-06；研究生学制 2 年 → 入学+2 年 6 月，2.5 年 → 入学+2 年 12 月或入学+3 年 1 月，3 年 → 入学+3 年 6 月。")
	hint.Wrapping = fyne.TextWrapWord
	list := container.NewVScroll(container.NewVBox(rows...))
	top := container.NewHBox(widget.NewLabel(fmt.Sprintf("勾选要标记的团支部（共 %d 个）", len(branches))), spacer(), all, none)
	bottom := container.NewVBox(form, hint, g.msg, container.NewHBox(spacer(), widget.NewButton("取消", func() { g.d.Hide() }), g.next))
	g.d = fitDialog(m.u.Win, "标记团支部团员毕业时间", 640, 600,
		container.NewBorder(top, bottom, nil, nil, list))
	g.d.Show()
	return g
}

func (g *gradDialog) setAll(on bool) {
	for _, c := range g.checks {
		c.SetChecked(on)
	}
	g.updateSuggestions()
}

// updateSuggestions offers the months suggested by the ticked branches' names (R-G2).
func (g *gradDialog) updateSuggestions() {
	if g.month == nil {
		return
	}
	seen := map[string]bool{}
	var opts []string
	for i, c := range g.checks {
		if !c.Checked {
			continue
		}
		for _, s := range app.SuggestForBranch(g.branches[i].Name) {
			if !seen[s] {
				seen[s] = true
				opts = append(opts, s)
			}
		}
	}
	g.month.SetOptions(opts)
	if g.month.Text == "" && len(opts) == 1 {
		g.month.SetText(opts[0])
	}
}

func (g *gradDialog) selected() []int64 {
	var ids []int64
	for i, c := range g.checks {
		if c.Checked {
			ids = append(ids, g.branches[i].ID)
		}
	}
	return ids
}

// onNext shows the consequences before anything is marked (R-G4).
func (g *gradDialog) onNext() {
	in, err := app.ValidateGradMark(app.GradMark{OrgIDs: g.selected(), Month: g.month.Text, Reason: g.reason.Selected}, g.m.u.svc.Now())
	if err != nil {
		g.msg.SetText(app.ErrorMessage(err))
		return
	}
	ids, month, reason := in.OrgIDs, in.Month, in.Reason
	g.msg.SetText("")
	text := widget.NewLabel(app.GradConsequence(len(ids), month, reason) + "\n\n确定要标记吗？")
	text.Wrapping = fyne.TextWrapWord
	g.confirm = fitConfirm(g.m.u.Win, "请确认", "确定", "返回修改", 460, 150, text, func(ok bool) {
		if ok {
			g.mark(ids, month, reason)
		}
	})
	g.confirm.Show()
}

func (g *gradDialog) mark(ids []int64, month, reason string) {
	u := g.m.u
	g.msg.SetText("")
	res, err := u.svc.MarkGraduation(u.ctx, u.sess, app.GradMark{OrgIDs: ids, Month: month, Reason: reason})
	if err != nil {
		g.msg.SetText(app.ErrorMessage(err))
		return
	}
	g.d.Hide()
	if g.onDone != nil {
		g.onDone()
	}
	showInfo("标记完成", fmt.Sprintf("已标记 %d 个团支部。", res.Marked), u.Win)
}

// branchesUnder returns the branches in the subtree of o (for marking).
func branchesUnder(u *UI, o app.Org) ([]app.Org, error) {
	list, err := u.svc.FindOrgs(u.ctx, u.sess, app.OrgSearch{Scope: "全部", Under: o.ID})
	if err != nil {
		return nil, err
	}
	var out []app.Org
	for _, b := range list {
		if b.IsBranch() && b.Category != app.CatSpecial && b.Category != app.CatTransit {
			out = append(out, b)
		}
	}
	return out, nil
}
