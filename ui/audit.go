package ui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// auditView is 操作日志: the audit trail, filtered by person, organization and date (R-X6).
type auditView struct {
	u       *UI
	w       fyne.Window
	person  *widget.Entry
	since   *widget.Entry
	until   *widget.Entry
	orgOnly *widget.Check
	org     app.Org
	count   *widget.Label
	chain   *widget.Label // whether the audit chain is intact (issue 10, item 6)
	table   *widget.Table
	rows    []app.AuditEntry
	search  *widget.Button
}

var auditCols = []column{{"时间", 150}, {"操作人", 150}, {"操作", 110}, {"对象", 260}, {"修改前", 220}, {"修改后", 220}}

// showAudit opens the audit trail in its own window; org, when set, is
// offered as a filter (the organization and its subtree).
func showAudit(u *UI, org app.Org) *auditView {
	v := &auditView{u: u, org: org}
	v.person = widget.NewEntry()
	v.person.SetPlaceHolder("身份证号（操作人或被操作的团员）")
	v.since, v.until = widget.NewEntry(), widget.NewEntry()
	v.since.SetPlaceHolder("起始日期 2026-01-01")
	v.until.SetPlaceHolder("截止日期（含）")
	v.orgOnly = widget.NewCheck("只看“"+org.Name+"”及下级", nil)
	if org.ID == 0 {
		v.orgOnly.Hide()
	}
	v.count = widget.NewLabel("")
	v.chain = widget.NewLabel("正在核对操作日志校验链…")
	v.chain.Wrapping = fyne.TextWrapWord
	v.search = widget.NewButtonWithIcon("查询", theme.SearchIcon(), v.load)
	v.search.Importance = widget.HighImportance
	v.table = newTable(auditCols, func() int { return len(v.rows) }, v.update)
	filters := container.NewGridWithColumns(3, v.person, v.since, v.until)
	top := container.NewVBox(v.chain, filters, container.NewHBox(v.orgOnly, spacer(), v.count, v.search))
	pg := u.newPage("操作日志")
	pg.refresh = v.load
	v.w = pg
	v.w.SetContent(container.NewBorder(top, nil, nil, nil, v.table))
	v.w.Resize(fitWindowSize(u.Win, 1100, 640))
	v.load()
	v.checkChain()
	v.w.Show()
	return v
}

// checkChain verifies the audit trail's hash chain off the UI goroutine and
// says whether it is intact, or which entry is the first broken one.
func (v *auditView) checkChain() {
	var chain app.AuditChain
	v.u.run(func() (err error) {
		chain, err = v.u.svc.AuditChainStatus(v.u.ctx, v.u.sess)
		return err
	}, func(err error) {
		if err != nil {
			v.chain.SetText("无法核对操作日志校验链：" + app.ErrorMessage(err))
			v.chain.Importance = widget.DangerImportance
		} else {
			v.chain.SetText(chain.Summary())
			v.chain.Importance = widget.SuccessImportance
			if !chain.Intact {
				v.chain.Importance = widget.DangerImportance
			}
		}
		v.chain.Refresh()
	})
}

func (v *auditView) load() {
	f := app.AuditFilter{Person: app.NormalizeID(v.person.Text), Limit: 2000}
	var err error
	if f.Since, err = parseDay(v.since.Text); err == nil {
		var until time.Time
		if until, err = parseDay(v.until.Text); err == nil && !until.IsZero() {
			f.Until = until.AddDate(0, 0, 1)
		}
	}
	if err != nil {
		v.count.SetText("日期应写成 2026-01-01 的形式。")
		return
	}
	if v.orgOnly.Checked {
		f.OrgID = v.org.ID
	}
	rows, err := v.u.svc.Audit(v.u.ctx, v.u.sess, f)
	if err != nil {
		v.count.SetText(app.ErrorMessage(err))
		return
	}
	v.rows = rows
	v.count.SetText("共 " + strconv.Itoa(len(rows)) + " 条（最新在前，最多显示 2000 条）")
	v.table.Refresh()
}

func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation("2006-01-02", s, app.Shanghai)
}

func (v *auditView) update(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row >= len(v.rows) {
		l.SetText("")
		return
	}
	e := v.rows[id.Row]
	switch id.Col {
	case 0:
		l.SetText(e.At.Format("2006-01-02 15:04:05"))
	case 1:
		l.SetText(auditActor(e))
	case 2:
		l.SetText(e.Action)
	case 3:
		l.SetText(e.Object)
	case 4:
		l.SetText(e.Before)
	case 5:
		l.SetText(e.After)
	}
}

// auditActor is the 操作人 column: the account's name with the last four
// characters of its 身份证号 (two people may share a name), 系统 for the
// automatic steps, the masked 身份证号 when the account is gone.
func auditActor(e app.AuditEntry) string {
	switch {
	case e.Actor == "" || e.Actor == "系统":
		return "系统"
	case e.ActorName != "" && len(e.Actor) > 4:
		return e.ActorName + "（尾号 " + e.Actor[len(e.Actor)-4:] + "）"
	case e.ActorName != "":
		return e.ActorName
	}
	return app.MaskID(e.Actor)
}
