package ui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// orgPage is the right side: the selected organization's details, its child
// organizations (管理下级组织) and its members (团员列表).
type orgPage struct {
	m                                      *mainScreen
	org                                    app.Org
	title                                  *canvas.Text
	subtitle                               *widget.Label
	tabs                                   *container.AppTabs
	info                                   *fyne.Container // holds the current 基本信息 form
	warn                                   *widget.Label
	children                               *childrenView
	members                                *membersView
	admins                                 *adminView
	departed                               *departedView
	infoTab, childTab, memberTab, adminTab *container.TabItem
	departedTab                            *container.TabItem
}

func newOrgPage(m *mainScreen) *orgPage {
	p := &orgPage{m: m}
	p.title = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	p.title.TextSize = 20
	p.subtitle = widget.NewLabel("")
	p.info = container.NewStack()
	p.warn = widget.NewLabel("")
	p.warn.Wrapping = fyne.TextWrapWord
	p.warn.Importance = widget.WarningImportance
	p.children = newChildrenView(p)
	p.members = newMembersView(p)
	p.admins = newAdminView(p)
	p.departed = newDepartedView(p)
	return p
}

func (p *orgPage) build() fyne.CanvasObject {
	rename := widget.NewButtonWithIcon("修改名称", theme.DocumentCreateIcon(), func() { showRenameOrg(p.m, p.org) })
	pull := widget.NewButtonWithIcon("办理转入", theme.LoginIcon(), func() { showPullTransfer(p.m.u, p.org) })
	p.infoTab = container.NewTabItemWithIcon("基本信息", theme.InfoIcon(), container.NewVScroll(container.NewVBox(p.info, p.warn, container.NewHBox(rename, pull))))
	p.childTab = container.NewTabItemWithIcon("管理下级组织", theme.ListIcon(), p.children.build())
	p.memberTab = container.NewTabItemWithIcon("团员列表", theme.AccountIcon(), widget.NewLabel(""))
	p.adminTab = container.NewTabItemWithIcon("团干部与管理员", theme.AccountIcon(), widget.NewLabel(""))
	p.departedTab = container.NewTabItemWithIcon("已转出团员", theme.LogoutIcon(), widget.NewLabel(""))
	p.tabs = container.NewAppTabs(p.infoTab, p.childTab, p.memberTab, p.departedTab, p.adminTab)
	p.tabs.OnSelected = func(t *container.TabItem) {
		switch t {
		case p.memberTab:
			p.ensureMembers()
			p.members.load()
		case p.childTab:
			p.children.load()
		case p.adminTab:
			p.ensureAdmins()
			p.admins.load()
		case p.departedTab:
			p.ensureDeparted()
			p.departed.load()
		}
	}
	return container.NewBorder(container.NewVBox(p.title, p.subtitle), nil, nil, nil, p.tabs)
}

// ensureMembers builds the member list the first time it is shown.
func (p *orgPage) ensureMembers() {
	if !p.members.built {
		p.memberTab.Content = p.members.build()
		p.tabs.Refresh()
	}
}

func (p *orgPage) show(o app.Org) {
	if p.org.ID != o.ID && p.members != nil {
		// A search typed for one organization would make the next look empty.
		p.members.clearSearch()
	}
	p.showHeader(o)
	// The lists load when their tab is shown, so that opening an organization stays quick.
	p.loadShownTab(p.members.load)
}

// loadShownTab loads the list of the tab on show; the member list by
// loadMembers (a fresh load, or a live reload keeping selection and scroll).
func (p *orgPage) loadShownTab(loadMembers func()) {
	if p.tabs == nil {
		return
	}
	switch p.tabs.Selected() {
	case p.memberTab:
		loadMembers()
	case p.childTab:
		p.children.load()
	case p.adminTab:
		p.admins.load()
	case p.departedTab:
		p.departed.load()
	}
}

// showHeader shows o's name, kind and 基本信息 (not its lists).
func (p *orgPage) showHeader(o app.Org) {
	p.org = o
	p.title.Text = o.Name
	p.title.Refresh()
	parts := []string{o.Kind}
	if o.Category != "" {
		parts = append(parts, o.Category)
	}
	parts = append(parts, o.Province)
	p.subtitle.SetText(strings.Join(parts, " · ") + "    " + o.FullName)
	p.showInfo()
	p.fitTabs()
}

// fitTabs offers 管理下级组织 only where there can be lower organizations:
// a branch (团支部) has none.
func (p *orgPage) fitTabs() {
	if p.tabs == nil {
		return
	}
	want := []*container.TabItem{p.infoTab, p.childTab, p.memberTab, p.departedTab, p.adminTab}
	if p.org.IsBranch() {
		want = []*container.TabItem{p.infoTab, p.memberTab, p.departedTab, p.adminTab}
	}
	if len(p.tabs.Items) == len(want) {
		return
	}
	sel := p.tabs.Selected()
	onSelected := p.tabs.OnSelected
	p.tabs.OnSelected = nil // the caller loads the selected list
	p.tabs.SetItems(want)
	for _, it := range want {
		if it == sel {
			p.tabs.Select(sel)
		}
	}
	p.tabs.OnSelected = onSelected
}

// ensureDeparted builds 已转出团员 the first time it is shown.
func (p *orgPage) ensureDeparted() {
	if !p.departed.built {
		p.departedTab.Content = p.departed.build()
		p.tabs.Refresh()
	}
}

// ensureAdmins builds 团干部与管理员 the first time it is shown.
func (p *orgPage) ensureAdmins() {
	if _, placeholder := p.adminTab.Content.(*widget.Label); placeholder {
		p.adminTab.Content = p.admins.build()
		p.tabs.Refresh()
	}
}

func (p *orgPage) showInfo() {
	o := p.org
	grad := "未标记"
	if o.GradMonth != "" {
		grad = o.GradMonth
	} else if o.GradReason != "" {
		grad = "无法确定（" + o.GradReason + "）"
	}
	items := []*widget.FormItem{
		widget.NewFormItem("组织名称", widget.NewLabel(o.Name)),
		widget.NewFormItem("组织全称路径", wrapLabel(o.FullName)),
		widget.NewFormItem("组织类型", widget.NewLabel(o.Kind)),
	}
	if o.IsBranch() {
		items = append(items, widget.NewFormItem("支部类别", widget.NewLabel(o.Category)),
			widget.NewFormItem("预计毕业时间", widget.NewLabel(grad)))
	}
	items = append(items,
		widget.NewFormItem("所在省份", widget.NewLabel(o.Province)),
		widget.NewFormItem("下级组织", widget.NewLabel(strconv.Itoa(o.ChildCount)+" 个")),
		widget.NewFormItem("团员人数", widget.NewLabel(strconv.Itoa(o.MemberCount)+" 人")),
		widget.NewFormItem("组织编号", widget.NewLabel(strconv.FormatInt(o.ID, 10))),
	)
	if !o.CreatedAt.IsZero() {
		items = append(items, widget.NewFormItem("建立时间", widget.NewLabel(o.CreatedAt.Format("2006-01-02"))))
	}
	// A new form each time: a Form keeps the widgets it first rendered,
	// so replacing its Items would leave the previous organization's values.
	p.info.Objects = []fyne.CanvasObject{widget.NewForm(items...)}
	p.info.Refresh()
	if w := app.BranchWarnings(o); len(w) > 0 {
		p.warn.SetText("提示：" + strings.Join(w, "\n提示："))
		p.warn.Show()
	} else {
		p.warn.Hide()
	}
}

func wrapLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (p *orgPage) focusSearch() {
	if p.tabs == nil {
		return
	}
	p.ensureMembers()
	p.tabs.Select(p.memberTab)
	p.m.u.Win.Canvas().Focus(p.members.search)
}

// childrenView lists the child organizations with add, rename and delete.
type childrenView struct {
	p        *orgPage
	list     []app.Org
	table    *widget.Table
	selected int
	add      *widget.Button
	rename   *widget.Button
	del      *widget.Button
	open     *widget.Button
	grad     *widget.Button
	regrad   *widget.Button
	empty    *widget.Label
	gradD    *gradDialog // the last marking dialog, for tests
}

var childCols = []column{{"组织名称", 300}, {"类型", 70}, {"类别", 150}, {"团员数", 70}, {"下级组织", 70}, {"预计毕业时间", 130}}

func newChildrenView(p *orgPage) *childrenView {
	c := &childrenView{p: p, selected: -1}
	c.table = newTable(childCols, func() int { return len(c.list) }, c.updateCell)
	c.table.OnSelected = func(id widget.TableCellID) { c.selected = id.Row; c.updateButtons() }
	c.add = widget.NewButtonWithIcon("添加下级组织", theme.ContentAddIcon(), func() { showAddOrg(p.m, p.org) })
	c.add.Importance = widget.HighImportance
	c.rename = widget.NewButtonWithIcon("修改名称", theme.DocumentCreateIcon(), func() {
		if o, ok := c.current(); ok {
			showRenameOrg(p.m, o)
		}
	})
	c.del = widget.NewButtonWithIcon("删除", theme.DeleteIcon(), func() {
		if o, ok := c.current(); ok {
			confirmDeleteOrg(p.m, o)
		}
	})
	c.open = widget.NewButtonWithIcon("打开", theme.NavigateNextIcon(), func() {
		if o, ok := c.current(); ok {
			p.m.tree.selectOrg(o)
		}
	})
	c.grad = widget.NewButtonWithIcon("标记毕业时间", theme.HistoryIcon(), c.onGrad)
	c.regrad = widget.NewButtonWithIcon("修改毕业时间", theme.HistoryIcon(), c.onRegrad)
	c.empty = widget.NewLabel("")
	return c
}

// onGrad marks the graduation time of the branches under this organization (R-G1).
func (c *childrenView) onGrad() {
	u := c.p.m.u
	list, err := branchesUnder(u, c.p.org)
	if err != nil {
		u.showError(err)
		return
	}
	if len(list) == 0 {
		u.showError(app.Errorf(app.EConflict, "“%s”下没有可以标记毕业时间的团支部。", c.p.org.Name))
		return
	}
	pre := map[int64]bool{}
	if o, ok := c.current(); ok && o.IsBranch() {
		pre[o.ID] = true
	}
	c.gradD = showGradDialog(c.p.m, list, pre, c.afterGrad)
}

// onGradUnmarked opens the marking screen with every branch under this
// organization that has no mark yet ticked (操作中心 “未标记毕业时间”).
func (c *childrenView) onGradUnmarked() {
	u := c.p.m.u
	list, err := branchesUnder(u, c.p.org)
	if err != nil {
		u.showError(err)
		return
	}
	unmarked, err := u.svc.Unmarked(u.ctx, u.sess, c.p.org.ID)
	if err != nil {
		u.showError(err)
		return
	}
	pre := map[int64]bool{}
	for _, b := range unmarked {
		pre[b.Org.ID] = true
	}
	// Unmarked ones first, so the ticked rows are the ones in view.
	sort.SliceStable(list, func(i, j int) bool { return pre[list[i].ID] && !pre[list[j].ID] })
	if len(list) == 0 {
		u.showError(app.Errorf(app.EConflict, "“%s”下没有可以标记毕业时间的团支部。", c.p.org.Name))
		return
	}
	c.gradD = showGradDialog(c.p.m, list, pre, c.afterGrad)
}

// onRegrad changes the selected branch's mark (the calendar button, R-G4).
func (c *childrenView) onRegrad() {
	o, ok := c.current()
	if !ok || !o.IsBranch() {
		return
	}
	c.gradD = showGradDialog(c.p.m, []app.Org{o}, map[int64]bool{o.ID: true}, c.afterGrad)
}

func (c *childrenView) afterGrad() {
	c.load()
	c.p.m.tree.reload(c.p.org.ID)
}

func (c *childrenView) build() fyne.CanvasObject {
	bar := container.NewHBox(c.add, c.open, c.rename, c.del, c.grad, c.regrad, spacer(), c.empty)
	return container.NewBorder(bar, nil, nil, nil, c.table)
}

func (c *childrenView) current() (app.Org, bool) {
	if c.selected < 0 || c.selected >= len(c.list) {
		return app.Org{}, false
	}
	return c.list[c.selected], true
}

func (c *childrenView) updateButtons() {
	cur, ok := c.current()
	setEnabled(c.regrad, ok && cur.IsBranch() && c.p.m.u.sess.CanCommittee(cur))
	setEnabled(c.grad, !c.p.org.IsBranch() && c.p.m.u.sess.CanCommittee(c.p.org))
	for _, b := range []*widget.Button{c.rename, c.del, c.open} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if c.p.org.IsBranch() {
		c.add.Disable()
	} else {
		c.add.Enable()
	}
}

func (c *childrenView) load() {
	c.selected = -1
	c.table.UnselectAll()
	c.list = nil
	if !c.p.org.IsBranch() {
		list, err := c.p.m.u.svc.Children(c.p.m.u.ctx, c.p.m.u.sess, c.p.org.ID)
		if err != nil {
			c.p.m.u.showError(err)
		}
		c.list = list
	}
	switch {
	case c.p.org.IsBranch():
		c.empty.SetText("团支部没有下级组织。")
	default:
		c.empty.SetText(fmt.Sprintf("共 %d 个下级组织", len(c.list)))
	}
	c.updateButtons()
	c.table.Refresh()
}

func (c *childrenView) updateCell(id widget.TableCellID, obj fyne.CanvasObject) {
	l := obj.(*widget.Label)
	if id.Row >= len(c.list) {
		l.SetText("")
		return
	}
	o := c.list[id.Row]
	switch id.Col {
	case 0:
		l.SetText(o.Name)
	case 1:
		l.SetText(o.Kind)
	case 2:
		l.SetText(o.Category)
	case 3:
		l.SetText(strconv.Itoa(o.MemberCount))
	case 4:
		l.SetText(strconv.Itoa(o.ChildCount))
	case 5:
		switch {
		case o.GradMonth != "":
			l.SetText(o.GradMonth)
		case o.GradReason != "":
			l.SetText(o.GradReason)
		case o.IsBranch():
			l.SetText("未标记")
		default:
			l.SetText("")
		}
	}
}
