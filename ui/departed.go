package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// departedView is 已转出团员 (R-W3): the members who transferred out from
// under the organization (by the branch they left, which may be deleted),
// newest first, with where they went, when, and the transfer and letters.
type departedView struct {
	p        *orgPage
	built    bool
	search   *widget.Entry
	count    *widget.Label
	table    *widget.Table
	hover    *hoverHint // an elided path whole
	reveal   *widget.Button
	open     *widget.Button
	list     []app.Member
	letters  map[int64]string // transfer number → its letters
	revealed map[string]bool
	selected int
}

var departedCols = []column{{"姓名", 90}, {"身份证号", 180}, {"转出日期", 100}, {"转往", 280}, {"原所在组织", 300}, {"转接编号", 80}, {"介绍信", 90}}

func newDepartedView(p *orgPage) *departedView {
	v := &departedView{p: p, letters: map[int64]string{}, revealed: map[string]bool{}, selected: -1}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("搜索：姓名或身份证号前几位")
	v.search.OnChanged = func(string) { v.load() }
	v.count = widget.NewLabel("")
	v.reveal = widget.NewButtonWithIcon("显示身份证号", theme.VisibilityIcon(), func() {
		if m, ok := v.current(); ok {
			v.revealed[m.IDNo] = !v.revealed[m.IDNo]
			v.table.Refresh()
		}
	})
	v.open = widget.NewButtonWithIcon("查看转接", theme.DocumentIcon(), func() {
		if m, ok := v.current(); ok && m.LeftTransfer != 0 {
			showTransferDetail(v.p.m.u, m.LeftTransfer)
		}
	})
	v.hover = newHoverHint()
	v.table = newHintTable(departedCols, func() int { return len(v.list) }, v.updateCell, v.hover)
	v.table.OnSelected = func(id widget.TableCellID) { v.selected = id.Row; v.updateButtons() }
	return v
}

func (v *departedView) build() fyne.CanvasObject {
	v.built = true
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(v.reveal, v.open), v.search)
	hint := wrapLabel("已转出的团员不计入团员人数和各项统计，记录作为历史保留；返回本校的，办理转入即可恢复。")
	hint.Importance = widget.LowImportance
	return container.NewBorder(container.NewVBox(bar, v.count), container.NewVBox(v.hover, hint), nil, nil, v.table)
}

func (v *departedView) current() (app.Member, bool) {
	if v.selected < 0 || v.selected >= len(v.list) {
		return app.Member{}, false
	}
	return v.list[v.selected], true
}

func (v *departedView) updateButtons() {
	m, ok := v.current()
	setEnabled(v.reveal, ok)
	setEnabled(v.open, ok && m.LeftTransfer != 0)
}

// load lists who left from under the organization.
func (v *departedView) load() {
	if !v.built {
		return
	}
	u := v.p.m.u
	v.list, v.selected = nil, -1
	v.table.UnselectAll()
	q := app.MemberQuery{OrgID: v.p.org.ID, Text: v.search.Text, Departed: true}
	err := u.svc.ListMembers(u.ctx, u.sess, q, func(m app.Member) error { v.list = append(v.list, m); return nil })
	if err != nil {
		u.showError(err)
	}
	switch {
	case len(v.list) == 0 && v.search.Text == "":
		v.count.SetText(fmt.Sprintf("“%s”下没有已转出的团员。", v.p.org.Name))
	case v.search.Text != "":
		v.count.SetText(fmt.Sprintf("“%s”下已转出的团员中找到 %d 人", v.p.org.Name, len(v.list)))
	default:
		v.count.SetText(fmt.Sprintf("从“%s”转出的团员共 %d 人（最近转出的在前）", v.p.org.Name, len(v.list)))
	}
	v.updateButtons()
	v.table.ScrollToTop()
	v.table.Refresh()
}

// letterText returns the letters of transfer no, read once.
func (v *departedView) letterText(no int64) string {
	if no == 0 {
		return ""
	}
	if s, ok := v.letters[no]; ok {
		return s
	}
	u := v.p.m.u
	s := ""
	if t, err := u.svc.TransferByNo(u.ctx, u.sess, no); err == nil {
		s = letterNos(t.Letters)
	}
	v.letters[no] = s
	return s
}

func (v *departedView) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	l := obj.(*widget.Label)
	if id.Row >= len(v.list) {
		l.SetText("")
		return
	}
	m := v.list[id.Row]
	l.SetText(departedCell(m, id.Col, v.revealed[m.IDNo], v.letterText))
}

// departedCell is column col of a member who left.
func departedCell(m app.Member, col int, reveal bool, letters func(int64) string) string {
	switch col {
	case 0:
		return m.Name
	case 1:
		if reveal {
			return m.IDNo
		}
		return app.MaskID(m.IDNo)
	case 2:
		if m.LeftAt.IsZero() {
			return ""
		}
		return m.LeftAt.In(app.Shanghai).Format("2006-01-02")
	case 3:
		return m.LeftTo
	case 4:
		return m.LeftFrom
	case 5:
		if m.LeftTransfer == 0 {
			return ""
		}
		return "第 " + strconv.FormatInt(m.LeftTransfer, 10) + " 号"
	case 6:
		return letters(m.LeftTransfer)
	}
	return ""
}
