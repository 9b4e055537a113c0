package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

const memberPage = 100

// membersView is 团员列表: a virtualized table of the organization's members
// with search, add, edit and per-row reveal of the masked 身份证号.
type membersView struct {
	p        *orgPage
	built    bool
	search   *widget.Entry
	left     *widget.Check // also members who left the League (R-X4)
	departed *widget.Check // also members who transferred out (R-W3)
	count    *widget.Label
	table    *widget.Table
	hover    *hoverHint // an elided 所在组织 whole
	add      *widget.Button
	edit     *widget.Button
	reveal   *widget.Button
	reset    *widget.Button
	total    int
	pages    map[int][]app.Member
	revealed map[string]bool
	selected int
	query    app.MemberQuery
	queries  []app.MemberQuery // the list's parts: the members here, then (含已转出) those who left
	counts   []int
	form     *memberForm // the last form opened, for tests
	more     *widget.Button
	marks    *marksDialog
	importD  *importDialog
}

var memberCols = []column{{"姓名", 90}, {"身份证号", 180}, {"性别", 50}, {"年龄", 50}, {"团员编号", 130}, {"政治面貌", 100}, {"入团年月", 90}, {"团内职务", 90}, {"被标记成员身份", 120}, {"所在组织", 300}}

func newMembersView(p *orgPage) *membersView {
	v := &membersView{p: p, pages: map[int][]app.Member{}, revealed: map[string]bool{}, selected: -1}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("搜索：姓名、身份证号前几位或团员编号（Ctrl+F）")
	v.search.OnChanged = func(string) { v.load() }
	v.left = widget.NewCheck("含已离团", func(bool) { v.load() })
	v.departed = widget.NewCheck("含已转出", func(bool) { v.load() })
	v.count = widget.NewLabel("")
	v.add = widget.NewButtonWithIcon("新增团员", theme.ContentAddIcon(), v.onAdd)
	v.add.Importance = widget.HighImportance
	v.edit = widget.NewButtonWithIcon("查看/编辑", theme.DocumentCreateIcon(), v.onEdit)
	v.reveal = widget.NewButtonWithIcon("显示身份证号", theme.VisibilityIcon(), v.onReveal)
	v.reset = widget.NewButtonWithIcon("重置密码", theme.ViewRefreshIcon(), v.onReset)
	v.more = widget.NewButtonWithIcon("更多操作", theme.MoreVerticalIcon(), v.onMore)
	v.hover = newHoverHint()
	v.table = newHintTable(memberCols, func() int { return v.total }, v.updateCell, v.hover)
	v.table.OnSelected = func(id widget.TableCellID) { v.selected = id.Row; v.updateButtons() }
	return v
}

func (v *membersView) build() fyne.CanvasObject {
	v.built = true
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(v.add, v.edit, v.reveal, v.reset, v.more), v.search)
	return container.NewBorder(container.NewVBox(bar, container.NewHBox(v.count, spacer(), v.left, v.departed)), v.hover, nil, nil, v.table)
}

// clearSearch empties the search box (without loading: the caller does)
// and scrolls the list back to its first column.
func (v *membersView) clearSearch() {
	if v.search.Text == "" {
		return
	}
	changed := v.search.OnChanged
	v.search.OnChanged = nil
	v.search.SetText("")
	v.search.OnChanged = changed
	if v.built {
		v.table.ScrollToLeading()
	}
}

// load counts the selected members again and empties the page cache.
func (v *membersView) load() {
	if !v.built {
		return
	}
	v.selected = -1
	v.table.UnselectAll()
	v.recount()
	v.table.ScrollToTop()
	v.table.Refresh()
}

// recount counts the selected members again, empties the page cache and
// shows the count; the selection and the scroll position stay.
func (v *membersView) recount() {
	u := v.p.m.u
	v.query = app.MemberQuery{OrgID: v.p.org.ID, Text: v.search.Text, IncludeLeft: v.left.Checked}
	v.queries = []app.MemberQuery{v.query}
	if v.departed.Checked {
		// R-W3: those who transferred out from under this organization, found by 身份证号 too.
		v.queries = append(v.queries, app.MemberQuery{OrgID: v.p.org.ID, Text: v.search.Text, Departed: true})
	}
	v.pages = map[int][]app.Member{}
	v.counts = make([]int, len(v.queries))
	n := 0
	for i, q := range v.queries {
		c, err := u.svc.CountMembers(u.ctx, u.sess, q)
		if err != nil {
			u.showError(err)
			c = 0
		}
		v.counts[i] = c
		n += c
	}
	v.total = n
	text := fmt.Sprintf("“%s”共有团员 %d 人", v.p.org.Name, n)
	if v.query.Text != "" {
		text = fmt.Sprintf("“%s”中找到 %d 人", v.p.org.Name, n)
	}
	if len(v.counts) > 1 {
		text += fmt.Sprintf("（其中已转出 %d 人，排在最后）", v.counts[1])
	}
	v.count.SetText(text)
	v.updateButtons()
}

func (v *membersView) updateButtons() {
	if v.p.org.IsBranch() {
		v.add.Enable()
	} else {
		v.add.Disable()
	}
	_, ok := v.row(v.selected)
	for _, b := range []*widget.Button{v.edit, v.reveal, v.reset} {
		setEnabled(b, ok)
	}
}

// row returns member i of the current query, fetching its page when needed.
func (v *membersView) row(i int) (app.Member, bool) {
	if i < 0 || i >= v.total {
		return app.Member{}, false
	}
	// Which part of the list, and the row within it; pages are per part.
	part, at := 0, i
	for part < len(v.counts)-1 && at >= v.counts[part] {
		at -= v.counts[part]
		part++
	}
	page := at / memberPage
	key := part<<40 | page
	ms, ok := v.pages[key]
	if !ok {
		q := v.queries[part]
		q.Offset, q.Limit = page*memberPage, memberPage
		u := v.p.m.u
		ms = make([]app.Member, 0, memberPage)
		if err := u.svc.ListMembers(u.ctx, u.sess, q, func(m app.Member) error { ms = append(ms, m); return nil }); err != nil {
			fyne.LogError("list members", err)
		}
		v.pages[key] = ms
	}
	if at%memberPage >= len(ms) {
		return app.Member{}, false
	}
	return ms[at%memberPage], true
}

func (v *membersView) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	l := obj.(*widget.Label)
	m, ok := v.row(id.Row)
	if !ok {
		l.SetText("")
		return
	}
	info := m.Info()
	var s string
	switch id.Col {
	case 0:
		s = m.Name
	case 1:
		s = app.MaskID(m.IDNo)
		if v.revealed[m.IDNo] {
			s = m.IDNo
		}
	case 2:
		s = info.Gender()
	case 3:
		s = strconv.Itoa(app.AgeAt(info.Birth, v.p.m.u.svc.Now()))
	case 4:
		s = m.MemberNo
	case 5:
		s = m.Political
	case 6:
		s = m.JoinMonth
	case 7:
		s = m.Post
	case 8:
		s = app.Identity(m, v.p.org) // a committee's page has no graduation time: the mark only
		if m.ErrorKind != "" {
			s = m.ErrorKind
		}
		if m.Incomplete {
			s = "信息待完善"
		}
		if m.Status != app.StatusActive {
			s = m.Status
		}
	case 9:
		s = m.OrgName
		if m.Departed() {
			s = "已转出至 " + m.LeftTo + "（原 " + m.LeftFrom + "）"
		}
	}
	l.SetText(s)
}

func (v *membersView) onReveal() {
	m, ok := v.row(v.selected)
	if !ok {
		return
	}
	v.revealed[m.IDNo] = !v.revealed[m.IDNo]
	v.table.Refresh()
}

// onReset sets the selected member's password back to the initial rule (R-A1, R-X6).
func (v *membersView) onReset() {
	m, ok := v.row(v.selected)
	if !ok {
		return
	}
	u := v.p.m.u
	dialog.ShowCustomConfirm("重置密码", "重置", "取消", widget.NewLabel(fmt.Sprintf("确定把 %s 的密码重置为初始密码（身份证号后 8 位）吗？\n其下次登录时须修改密码。", m.Name)), func(yes bool) {
		if !yes {
			return
		}
		if err := u.svc.ResetPassword(u.ctx, u.sess, m.IDNo); err != nil {
			u.showError(err)
			return
		}
		showInfo("重置密码", "已重置 "+m.Name+" 的密码，初始密码为身份证号后 8 位。", u.Win)
	}, u.Win)
}

func (v *membersView) onAdd() {
	v.form = showMemberForm(v.p.m, v.p.org, nil, func(app.Member) {
		v.p.m.orgChanged(v.p.org.ParentID, 0)
		v.load()
	})
}

func (v *membersView) onEdit() {
	m, ok := v.row(v.selected)
	if !ok {
		return
	}
	v.form = showMemberForm(v.p.m, v.p.org, &m, func(app.Member) {
		v.pages = map[int][]app.Member{}
		v.table.Refresh()
	})
}

// onMore offers the less frequent member operations.
func (v *membersView) onMore() {
	u := v.p.m.u
	m, selected := v.row(v.selected)
	branch := v.p.org.IsBranch()
	item := func(label string, enabled bool, fn func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, fn)
		it.Disabled = !enabled
		return it
	}
	menu := fyne.NewMenu("",
		item("标记延迟毕业团员/教师…", branch && v.p.org.GradMonth != "", func() { v.marks = showMarksDialog(v) }),
		item("团籍状态（超龄离团、退团等）…", selected, func() { showStatusDialog(v, m) }),
		item("信息录入错误上报…", selected, func() { showErrorReport(v, m) }),
		fyne.NewMenuItemSeparator(),
		item("从 Excel 导入团员…", branch, func() { openFile(u, "选择要导入的 Excel 文件", xlsxFile, func(p string) { startImport(v, p) }) }),
		item("保存空白导入模板…", true, func() { saveTemplate(u) }),
		item("导出团员名册…", true, func() { exportRoster(v) }),
		fyne.NewMenuItemSeparator(),
		item("今年超龄离团名单…", true, func() { showOverAge(v.p.m, v.p.org) }),
		fyne.NewMenuItemSeparator(),
		item("办理转出（选中的团员）…", selected, func() { v.startTransfer([]app.Member{m}) }),
		item("整支部办理转出…", branch && v.total > 0, v.onTransferBranch),
		item("办理转入…", true, func() { showPullTransfer(u, v.p.org).onDone = func(app.Transfer) { v.load() } }),
	)
	c := u.Win.Canvas()
	pop := widget.NewPopUpMenu(menu, c)
	// Right-aligned under the button, so that the menu stays inside the window.
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.more)
	x := at.X + v.more.Size().Width - pop.MinSize().Width
	pop.ShowAtPosition(fyne.NewPos(max(0, x), at.Y+v.more.Size().Height))
}

// startTransfer opens 办理转出 for members and refreshes the list afterwards.
func (v *membersView) startTransfer(ms []app.Member) {
	f := showStartTransfer(v.p.m.u, ms)
	if f != nil {
		f.onDone = func([]app.Transfer) { v.load() }
	}
}

// onTransferBranch starts transfers for the whole branch (e.g. a graduating class).
func (v *membersView) onTransferBranch() {
	u := v.p.m.u
	var all []app.Member
	if err := u.svc.ListMembers(u.ctx, u.sess, app.MemberQuery{OrgID: v.p.org.ID}, func(m app.Member) error {
		all = append(all, m)
		return nil
	}); err != nil {
		u.showError(err)
		return
	}
	v.startTransfer(all)
}
