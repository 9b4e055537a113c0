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
	if st.Overdue(now) {
		text = "※ " + text
	}
	return text
}

// transferTable lists transfers. It has one selection: the chosen rows.
// A click on a row chooses that row alone; its tick box (in 待我审批) adds
// it to or takes it from the choice, as Ctrl+click would; 全选 / 全不选
// choose all or none. 查看 (or a double-click on a row) opens the one
// chosen transfer; 通过, 退回 and 分配团支部 act on every chosen one, and
// the count beside them says how many that is.
type transferTable struct {
	cols    []transferCol
	checks  bool
	now     func() time.Time
	rows    []app.Transfer
	checked map[int64]bool // the chosen transfers, by number
	table   *widget.Table
	hover   *hoverHint           // an elided organization whole (box shows it under the table)
	onPick  func()               // after the choice changed
	onOpen  func(t app.Transfer) // a double-click on a row
}

// box is the table with the line that shows an elided organization whole.
func (v *transferTable) box() fyne.CanvasObject {
	return container.NewBorder(nil, v.hover, nil, nil, v.table)
}

func newTransferTable(now func() time.Time, checks bool, cols ...transferCol) *transferTable {
	v := &transferTable{cols: cols, checks: checks, now: now, checked: map[int64]bool{}, hover: newHoverHint()}
	n := len(cols)
	if checks {
		n++
	}
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), n },
		func() fyne.CanvasObject { return newTransferCell(v.hover) }, v.update)
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
	// Keyboard selection (arrows, space) chooses the row as a click does.
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.rows) && !(len(v.checked) == 1 && v.checked[v.rows[id.Row].No]) {
			v.choose(id.Row)
		}
	}
	return v
}

// transferCell is one cell: a tick box or a text; a click chooses its row,
// a double-click opens it.
type transferCell struct {
	widget.BaseWidget
	check       *widget.Check
	label       *pathLabel // an elided organization path is shown whole on hover
	row         int
	tap, double func(row int)
}

func newTransferCell(hover *hoverHint) *transferCell {
	c := &transferCell{check: widget.NewCheck("", nil), label: newPathLabel(hover)}
	c.ExtendBaseWidget(c)
	return c
}

func (c *transferCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.check, c.label))
}

func (c *transferCell) Tapped(*fyne.PointEvent) {
	if c.tap != nil {
		c.tap(c.row)
	}
}

func (c *transferCell) DoubleTapped(*fyne.PointEvent) {
	if c.double != nil {
		c.double(c.row)
	}
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
	cell := o.(*transferCell)
	check, label := cell.check, cell.label
	cell.row, cell.tap, cell.double = id.Row, v.choose, v.open
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
	label.TextStyle.Bold = v.checked[t.No] // the chosen rows stand out
	label.SetText(text)
}

// choose makes row the only chosen one (a click on it).
func (v *transferTable) choose(row int) {
	if row < 0 || row >= len(v.rows) {
		return
	}
	v.checked = map[int64]bool{v.rows[row].No: true}
	v.changed()
}

// open opens row (a double-click on it).
func (v *transferTable) open(row int) {
	if row < 0 || row >= len(v.rows) {
		return
	}
	v.choose(row)
	if v.onOpen != nil {
		v.onOpen(v.rows[row])
	}
}

func (v *transferTable) setChecked(no int64, on bool) {
	if on {
		v.checked[no] = true
	} else {
		delete(v.checked, no)
	}
	v.changed()
}

func (v *transferTable) changed() {
	v.table.Refresh()
	if v.onPick != nil {
		v.onPick()
	}
}

// setRows shows rows; prune drops the choice of transfers not listed
// (after a reload), a filter keeps it.
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
	v.table.UnselectAll()
	v.table.Refresh()
}

// setAll chooses every row, or none.
func (v *transferTable) setAll(on bool) {
	v.checked = map[int64]bool{}
	if on {
		for _, t := range v.rows {
			v.checked[t.No] = true
		}
	}
	v.changed()
}

// current returns the chosen transfer when exactly one is chosen (the one
// 查看 opens).
func (v *transferTable) current() (app.Transfer, bool) {
	ts := v.targets()
	if len(ts) != 1 {
		return app.Transfer{}, false
	}
	return ts[0], true
}

// targets returns the chosen transfers, in the list's order.
func (v *transferTable) targets() []app.Transfer {
	var out []app.Transfer
	for _, t := range v.rows {
		if v.checked[t.No] {
			out = append(out, t)
		}
	}
	return out
}

// choiceText says what the buttons will act on.
func (v *transferTable) choiceText() string {
	ts := v.targets()
	switch len(ts) {
	case 0:
		return "请点选一件（勾选可选多件）"
	case 1:
		return fmt.Sprintf("已选第 %d 号 %s", ts[0].No, ts[0].Name)
	}
	return fmt.Sprintf("已选 %d 件", len(ts))
}

// selectNo chooses the transfer numbered no and scrolls to it; false when
// it is not listed.
func (v *transferTable) selectNo(no int64) bool {
	for i, t := range v.rows {
		if t.No == no {
			v.choose(i)
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
