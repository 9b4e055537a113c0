package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// transferCol is one column of a transfer list.
type transferCol struct {
	title string
	width float32
	text  func(t app.Transfer, now time.Time) string
}

var (
	colNo     = transferCol{"编号", 60, func(t app.Transfer, _ time.Time) string { return strconv.FormatInt(t.No, 10) }}
	colName   = transferCol{"姓名", 80, func(t app.Transfer, _ time.Time) string { return t.Name }}
	colReason = transferCol{"转接原因", 170, func(t app.Transfer, _ time.Time) string { return t.Reason }}
	colState  = transferCol{"状态", 90, func(t app.Transfer, _ time.Time) string { return t.State }}
	colStep   = transferCol{"当前步骤", 230, func(t app.Transfer, _ time.Time) string {
		if st, ok := t.Current(); ok {
			return st.Kind + "（" + st.OrgName + "）"
		}
		return ""
	}}
	colDays  = transferCol{"剩余天数", 120, func(t app.Transfer, now time.Time) string { return daysLeftText(t, now) }}
	colFrom  = transferCol{"转出组织", 260, func(t app.Transfer, _ time.Time) string { return t.FromName }}
	colTo    = transferCol{"转入组织", 260, func(t app.Transfer, _ time.Time) string { return t.ToName }}
	colStart = transferCol{"发起日期", 100, func(t app.Transfer, _ time.Time) string { return t.CreatedAt.In(app.Shanghai).Format("2006-01-02") }}
)

// daysLeftText is the open step's days left of 15 (R-T4), flagged with ※
// once it has waited 10 days; assignment has no deadline.
func daysLeftText(t app.Transfer, now time.Time) string {
	st, ok := t.Current()
	if !ok {
		return ""
	}
	if st.DueAt.IsZero() {
		return "不设期限"
	}
	text := fmt.Sprintf("还剩 %d 天", st.DaysLeft(now))
	if now.Sub(st.OpenedAt) >= app.RemindDays*24*time.Hour {
		text = "※ " + text
	}
	return text
}

// transferTable lists transfers with optional check boxes for acting on
// many at once; the highlighted row is the one 查看 opens.
type transferTable struct {
	cols    []transferCol
	checks  bool
	now     func() time.Time
	rows    []app.Transfer
	checked map[int64]bool
	cur     int
	table   *widget.Table
	hover   *hoverHint // an elided organization whole (box shows it under the table)
	onPick  func()
}

// box is the table with the line that shows an elided organization whole.
func (v *transferTable) box() fyne.CanvasObject {
	return container.NewBorder(nil, v.hover, nil, nil, v.table)
}

func newTransferTable(now func() time.Time, checks bool, cols ...transferCol) *transferTable {
	v := &transferTable{cols: cols, checks: checks, now: now, checked: map[int64]bool{}, cur: -1, hover: newHoverHint()}
	n := len(cols)
	if checks {
		n++
	}
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), n },
		func() fyne.CanvasObject {
			return container.NewStack(widget.NewCheck("", nil), newPathLabel(v.hover))
		}, v.update)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject { return widget.NewLabel("") }
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(v.title(id.Col))
		}
	}
	off := 0
	if checks {
		v.table.SetColumnWidth(0, 40)
		off = 1
	}
	for i, c := range cols {
		v.table.SetColumnWidth(i+off, c.width)
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		v.cur = id.Row
		if v.onPick != nil {
			v.onPick()
		}
	}
	return v
}

func (v *transferTable) title(col int) string {
	if v.checks {
		if col == 0 {
			return "选"
		}
		col--
	}
	return v.cols[col].title
}

func (v *transferTable) update(id widget.TableCellID, o fyne.CanvasObject) {
	stack := o.(*fyne.Container)
	check, label := stack.Objects[0].(*widget.Check), stack.Objects[1].(*pathLabel)
	if id.Row >= len(v.rows) {
		check.Hide()
		label.SetText("")
		return
	}
	t := v.rows[id.Row]
	col := id.Col
	if v.checks {
		if col == 0 {
			label.Hide()
			check.Show()
			check.OnChanged = nil
			check.SetChecked(v.checked[t.No])
			no := t.No
			check.OnChanged = func(on bool) { v.setChecked(no, on) }
			return
		}
		col--
	}
	check.Hide()
	label.Show()
	label.Importance = widget.MediumImportance
	text := v.cols[col].text(t, v.now())
	if strings.HasPrefix(text, "※") {
		label.Importance = widget.WarningImportance
	}
	label.SetText(text)
}

func (v *transferTable) setChecked(no int64, on bool) {
	if on {
		v.checked[no] = true
	} else {
		delete(v.checked, no)
	}
	if v.onPick != nil {
		v.onPick()
	}
}

// setRows shows rows; prune drops the checks of transfers not listed (after
// a reload), a filter keeps them.
func (v *transferTable) setRows(rows []app.Transfer, prune bool) {
	v.rows = rows
	if prune {
		keep := map[int64]bool{}
		for _, t := range rows {
			if v.checked[t.No] {
				keep[t.No] = true
			}
		}
		v.checked = keep
	}
	v.cur = -1
	v.table.UnselectAll()
	v.table.Refresh()
}

// setAll checks or unchecks every row.
func (v *transferTable) setAll(on bool) {
	v.checked = map[int64]bool{}
	if on {
		for _, t := range v.rows {
			v.checked[t.No] = true
		}
	}
	v.table.Refresh()
	if v.onPick != nil {
		v.onPick()
	}
}

// current returns the highlighted transfer.
func (v *transferTable) current() (app.Transfer, bool) {
	if v.cur < 0 || v.cur >= len(v.rows) {
		return app.Transfer{}, false
	}
	return v.rows[v.cur], true
}

// targets returns the checked transfers, or the highlighted one when none is checked.
func (v *transferTable) targets() []app.Transfer {
	var out []app.Transfer
	for _, t := range v.rows {
		if v.checked[t.No] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		if t, ok := v.current(); ok {
			out = append(out, t)
		}
	}
	return out
}

// selectNo highlights the transfer numbered no; false when it is not listed.
func (v *transferTable) selectNo(no int64) bool {
	for i, t := range v.rows {
		if t.No == no {
			v.table.Select(widget.TableCellID{Row: i, Col: len(v.cols) - 1})
			v.table.ScrollTo(widget.TableCellID{Row: i, Col: 0})
			return true
		}
	}
	return false
}

// filterTransfers keeps the transfers whose number, name or 身份证号 prefix matches text.
func filterTransfers(list []app.Transfer, text string) []app.Transfer {
	text = strings.TrimSpace(text)
	if text == "" {
		return list
	}
	var out []app.Transfer
	for _, t := range list {
		if strconv.FormatInt(t.No, 10) == text || strings.Contains(t.Name, text) || strings.HasPrefix(t.IDNo, strings.ToUpper(text)) {
			out = append(out, t)
		}
	}
	return out
}

// clockOf returns the service's clock, following later replacements.
func clockOf(u *UI) func() time.Time { return func() time.Time { return u.svc.Now() } }
