package ui

import (
	"fmt"
	"io"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// gradProgressMenu is the 工具 menu item of the season's progress.
const gradProgressMenu = "毕业生转接进度…"

// gradProgress is 毕业生转接进度 (R-W6): for a graduation year, per college,
// where the graduates' transfers stand, as a chart and a table; choosing a
// college lists its graduates who have not started (at risk of 失联) with
// 办理转出 for them; the report goes to Excel.
type gradProgress struct {
	u          *UI
	w          fyne.Window
	year       *widget.Select
	summary    *widget.Label
	chart      *gradChart
	table      *widget.Table
	rep        app.GradReport
	college    app.Org
	title      *widget.Label
	notStarted []app.Member
	checked    map[string]bool
	list       *widget.List
	start      *widget.Button
	all        *widget.Button
	form       *transferForm // the last 办理转出 opened, for tests
}

var gradProgressCols = []column{{"学院", 200}, {"毕业生", 70}, {app.ProgressFinished, 90}, {app.ProgressInProgress, 90}, {app.ProgressKept, 80},
	{app.ProgressAbroad, 170}, {app.ProgressNotStarted, 80}, {"完成率", 80}}

func showGradProgress(u *UI) *gradProgress {
	v := &gradProgress{u: u, checked: map[string]bool{}}
	now := u.svc.Now().In(app.Shanghai).Year()
	var years []string
	for y := now + 3; y >= now-3; y-- {
		years = append(years, strconv.Itoa(y))
	}
	v.summary = wrapLabel("")
	v.chart = newGradChart(v.choose)
	v.table = newTable(gradProgressCols, func() int { return len(v.rep.Rows) + min(1, len(v.rep.Rows)) }, v.updateCell)
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row < len(v.rep.Rows) {
			v.choose(id.Row)
		}
	}
	v.title = wrapLabel("点击上面图表中某个学院的条（或明细表中的一行），这里列出该学院尚未办理转接的毕业生。")
	v.list = widget.NewList(func() int { return len(v.notStarted) },
		func() fyne.CanvasObject { return widget.NewCheck("", nil) }, v.updateItem)
	v.start = widget.NewButtonWithIcon("办理转出", theme.MailSendIcon(), v.onStart)
	v.start.Importance = widget.HighImportance
	v.all = widget.NewButton("全选 / 全不选", v.onAll)
	v.year = newSelect(years, func(string) { v.load() })
	export := widget.NewButtonWithIcon("导出 Excel…", theme.DocumentSaveIcon(), v.onExport)
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), v.load)

	top := container.NewVBox(container.NewHBox(widget.NewLabel("毕业年份："), v.year, refresh, spacer(), export), v.summary)
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon("图表", theme.GridIcon(), v.chart.build()),
		container.NewTabItemWithIcon("明细表", theme.ListIcon(), v.table))
	bottom := container.NewBorder(v.title, container.NewHBox(v.all, spacer(), v.start), nil, nil, v.list)
	split := container.NewVSplit(tabs, bottom)
	split.Offset = 0.6
	pg := u.newPage("毕业生组织关系转接进度")
	pg.refresh = v.load
	v.w = pg
	v.w.SetContent(container.NewBorder(top, nil, nil, nil, split))
	v.w.Resize(fitWindowSize(u.Win, 1000, 680))
	v.year.SetSelected(strconv.Itoa(now))
	v.updateButtons()
	v.w.Show()
	return v
}

// load reads the year's report.
func (v *gradProgress) load() {
	u := v.u
	rep, err := u.svc.GraduatesReport(u.ctx, u.sess, v.year.Selected, 0)
	if err != nil {
		v.summary.SetText(app.ErrorMessage(err))
		rep = app.GradReport{}
	} else {
		t := rep.Total
		v.summary.SetText(fmt.Sprintf("%s %s届：毕业生 %d 人，%s %d 人（完成率 %s），%s %d 人，%s %d 人，%s %d 人，%s %d 人。",
			rep.Scope.Name, rep.Year, t.Graduates, app.ProgressFinished, t.Finished, t.Percent(), app.ProgressInProgress, t.InProgress,
			app.ProgressKept, t.Kept, app.ProgressAbroad, t.Abroad, app.ProgressNotStarted, t.NotStarted))
	}
	v.rep = rep
	v.chart.set(rep.Rows)
	v.table.UnselectAll()
	v.table.Refresh()
	// Keep the chosen college when it is still listed.
	at := -1
	for i, r := range rep.Rows {
		if v.college.ID != 0 && r.Org.ID == v.college.ID {
			at = i
		}
	}
	if at >= 0 {
		v.choose(at)
	} else {
		v.college, v.notStarted = app.Org{}, nil
		v.title.SetText("点击上面图表中某个学院的条（或明细表中的一行），这里列出该学院尚未办理转接的毕业生。")
		v.list.Refresh()
		v.updateButtons()
	}
}

func (v *gradProgress) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	l := obj.(*widget.Label)
	var p app.GradProgress
	switch {
	case id.Row < len(v.rep.Rows):
		p = v.rep.Rows[id.Row]
	case id.Row == len(v.rep.Rows):
		p = v.rep.Total
		p.Org.Name = "合计"
	default:
		l.SetText("")
		return
	}
	vals := []string{p.Org.Name, strconv.Itoa(p.Graduates), strconv.Itoa(p.Finished), strconv.Itoa(p.InProgress),
		strconv.Itoa(p.Kept), strconv.Itoa(p.Abroad), strconv.Itoa(p.NotStarted), p.Percent()}
	l.SetText(vals[id.Col])
}

// choose lists the not-started graduates of college i, all ticked.
func (v *gradProgress) choose(i int) {
	if i < 0 || i >= len(v.rep.Rows) {
		return
	}
	u := v.u
	v.college = v.rep.Rows[i].Org
	list, err := u.svc.NotStartedGraduates(u.ctx, u.sess, v.rep.Year, v.college.ID)
	if err != nil {
		v.title.SetText(app.ErrorMessage(err))
		list = nil
	} else if len(list) == 0 {
		v.title.SetText(fmt.Sprintf("%s：%s届毕业生都已办理转接（或留校保留、出国（境）学习研究登记）。", v.college.Name, v.rep.Year))
	} else {
		v.title.SetText(fmt.Sprintf("%s：%d 名%s届毕业生尚未办理组织关系转接，请尽快办理，以免失联。勾选后点击“办理转出”。", v.college.Name, len(list), v.rep.Year))
	}
	v.notStarted = list
	v.checked = map[string]bool{}
	for _, m := range list {
		v.checked[m.IDNo] = true
	}
	v.list.UnselectAll()
	v.list.Refresh()
	v.updateButtons()
}

func (v *gradProgress) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*widget.Check)
	if i >= len(v.notStarted) {
		return
	}
	m := v.notStarted[i]
	c.OnChanged = nil
	c.SetText(fmt.Sprintf("%s　%s　%s", m.Name, app.MaskID(m.IDNo), m.OrgName))
	c.SetChecked(v.checked[m.IDNo])
	c.OnChanged = func(on bool) { v.checked[m.IDNo] = on; v.updateButtons() }
}

// selected returns the ticked graduates.
func (v *gradProgress) selected() []app.Member {
	var out []app.Member
	for _, m := range v.notStarted {
		if v.checked[m.IDNo] {
			out = append(out, m)
		}
	}
	return out
}

func (v *gradProgress) updateButtons() {
	n := len(v.selected())
	v.start.SetText(fmt.Sprintf("办理转出（%d 人）", n))
	setEnabled(v.start, n > 0)
	setEnabled(v.all, len(v.notStarted) > 0)
}

func (v *gradProgress) onAll() {
	on := len(v.selected()) < len(v.notStarted)
	for _, m := range v.notStarted {
		v.checked[m.IDNo] = on
	}
	v.list.Refresh()
	v.updateButtons()
}

// onStart opens 办理转出 with the ticked graduates; the report follows.
func (v *gradProgress) onStart() {
	ms := v.selected()
	if len(ms) == 0 {
		return
	}
	v.form = showStartTransferOver(v.u, ms, v.w)
	v.form.onDone = func([]app.Transfer) { v.load() }
}

// onExport saves the report as Excel (report graduates).
func (v *gradProgress) onExport() {
	if v.rep.Year == "" {
		return
	}
	rep := v.rep
	saveFile(v.u, "导出毕业生转接进度", datedName(v.u, rep.Year+"届毕业生组织关系转接进度"), func(w io.Writer) (string, error) {
		return writeGradProgress(v.u, w, rep)
	})
}

// writeGradProgress writes rep to w and returns the summary shown after saving.
func writeGradProgress(u *UI, w io.Writer, rep app.GradReport) (string, error) {
	return fmt.Sprintf("%s届：%d 个学院，毕业生 %d 人，完成率 %s。", rep.Year, len(rep.Rows), rep.Total.Graduates, rep.Total.Percent()),
		u.Codecs.WriteGraduates(w, rep)
}
