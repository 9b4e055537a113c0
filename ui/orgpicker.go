package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// pickerLimit is how many matches the organization picker shows at once.
const pickerLimit = 100

// orgPicker finds one organization by part of its name, within a province
// scope (R-O3: 北京, 广东 or 福建 only after choosing that province; 否:
// everywhere except those three; 全部: all) or within one subtree. It serves
// the transfer target and the branch to assign a member to.
type orgPicker struct {
	u        *UI
	scope    string
	under    int64
	only     func(app.Org) bool // nil: every organization
	search   *widget.Entry
	list     *widget.List
	hover    *hoverHint // an elided path whole
	count    *widget.Label
	chosen   *widget.Label
	results  []app.Org
	selected *app.Org
	onChange func(*app.Org)
}

func newOrgPicker(u *UI, scope string, under int64, only func(app.Org) bool) *orgPicker {
	p := &orgPicker{u: u, scope: scope, under: under, only: only}
	p.search, p.count, p.chosen, p.list, p.hover = searchParts("输入组织名称中的文字查找，例如“计算机学院”", p.load,
		func() int { return len(p.results) }, func(i int) string { return orgLine(p.results[i]) })
	p.list.OnSelected = p.onSelected
	return p
}

// searchParts are what a picker shows: a search box that calls load as the
// user types, a count, the choice so far, the list of n results, each one
// line (a long path elided in the middle, keeping the branch), and the
// line that shows an elided path whole while the pointer rests on it.
func searchParts(hint string, load func(), n func() int, line func(int) string) (*widget.Entry, *widget.Label, *widget.Label, *widget.List, *hoverHint) {
	search := widget.NewEntry()
	search.SetPlaceHolder(hint)
	search.OnChanged = func(string) { load() }
	count := widget.NewLabel("")
	count.Importance = widget.LowImportance
	count.Wrapping = fyne.TextWrapWord
	chosen := widget.NewLabel("尚未选择")
	chosen.Wrapping = fyne.TextWrapWord
	hover := newHoverHint()
	list := widget.NewList(n,
		func() fyne.CanvasObject { return newPathLabel(hover) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < n() {
				o.(*pathLabel).SetText(line(i))
			}
		})
	return search, count, chosen, list, hover
}

// orgLine is how a picker lists an organization: full path, kind, province.
func orgLine(o app.Org) string {
	kind := o.Kind
	if o.Category != "" && o.Category != app.CatNormal {
		kind += "·" + o.Category
	}
	return fmt.Sprintf("%s（%s，%s）", o.FullName, kind, o.Province)
}

func (p *orgPicker) build() fyne.CanvasObject {
	top := container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, p.search)
	bottom := container.NewVBox(p.hover, p.count, container.NewBorder(nil, nil, widget.NewLabel("已选择："), nil, p.chosen))
	tall := canvas.NewRectangle(color.Transparent)
	tall.SetMinSize(fyne.NewSize(200, 180))
	return container.NewBorder(top, bottom, nil, nil, container.NewStack(tall, p.list))
}

// setScope changes the province scope and searches again; a chosen
// organization stays chosen so that a mismatch is refused with a reason.
func (p *orgPicker) setScope(scope string) {
	if p.scope == scope {
		return
	}
	p.scope = scope
	p.load()
}

// load searches with the current text and scope.
func (p *orgPicker) load() {
	limit := pickerLimit + 1
	if p.under != 0 || p.only != nil {
		limit = 0 // a subtree is small; a filter must see every match
	}
	found, err := p.u.svc.FindOrgs(p.u.ctx, p.u.sess, app.OrgSearch{Text: p.search.Text, Scope: p.scope, Under: p.under, Limit: limit})
	if err != nil {
		p.results = nil
		p.count.SetText(app.ErrorMessage(err))
		p.list.Refresh()
		return
	}
	p.results = p.results[:0]
	more := false
	for _, o := range found {
		if p.only != nil && !p.only(o) {
			continue
		}
		if len(p.results) == pickerLimit {
			more = true
			break
		}
		p.results = append(p.results, o)
	}
	switch {
	case len(p.results) == 0:
		p.count.SetText("没有找到符合条件的组织。" + p.scopeHint())
	case more:
		p.count.SetText(fmt.Sprintf("只显示前 %d 个，请输入更多文字缩小范围。", pickerLimit))
	default:
		p.count.SetText(fmt.Sprintf("找到 %d 个组织，点击选择。", len(p.results)))
	}
	p.list.UnselectAll()
	p.list.Refresh()
	p.list.ScrollToTop()
}

func (p *orgPicker) scopeHint() string {
	switch p.scope {
	case "否", "":
		return "北京、广东、福建的组织须先在上面选择该省（市）才能找到。"
	case "全部":
		return ""
	}
	return "当前只查找" + p.scope + "的组织。"
}

func (p *orgPicker) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(p.results) {
		return
	}
	p.set(p.results[i])
}

// set chooses o.
func (p *orgPicker) set(o app.Org) {
	p.selected = &o
	p.chosen.SetText(o.FullName)
	if p.onChange != nil {
		p.onChange(p.selected)
	}
}

// pick selects the first match whose full name ends with name (used by tests
// and by callers that know the organization).
func (p *orgPicker) pick(name string) bool {
	for i, o := range p.results {
		if o.FullName == name || o.Name == name || strings.HasSuffix(o.FullName, "/"+name) {
			p.list.Select(i)
			return true
		}
	}
	return false
}
