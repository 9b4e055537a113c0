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

// Ways of naming an outside organization (R-W1).
const (
	outsideFromDir = "从校外组织目录中选择"
	outsideNew     = "目录中没有，填写新的校外组织"
)

// kindUnknown is the kind select's answer when the kind is not known.
const kindUnknown = "不清楚"

// outsidePicker names an organization outside this store (R-W1): picked
// from the directory of those named before, searched by name within the
// province scope (R-O3), or typed as a new one with its province (guessed
// from the name) and, optionally, how to reach it.
type outsidePicker struct {
	u                             *UI
	scope                         string
	way                           *widget.RadioGroup
	search                        *widget.Entry
	list                          *widget.List
	hover                         *hoverHint
	count, chosen                 *widget.Label
	results                       []app.Org
	selected                      *app.Org
	name, address, contact, phone *widget.Entry
	province, kind                *widget.Select
	dirBox, newBox, box           *fyne.Container
	onChange                      func()
	// provinceTouched: the user chose the province; it is no longer guessed.
	provinceTouched, settingProvince, loadedOnce bool
}

func newOutsidePicker(u *UI, scope string) *outsidePicker {
	p := &outsidePicker{u: u, scope: scope}
	p.search, p.count, p.chosen, p.list, p.hover = searchParts("输入校外组织名称中的文字查找，例如“北京大学”", p.load,
		func() int { return len(p.results) }, func(i int) string { return outsideLine(p.results[i]) })
	p.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(p.results) {
			o := p.results[i]
			p.selected = &o
			p.chosen.SetText(o.Name)
			p.changed()
		}
	}
	p.name, p.address, p.contact, p.phone = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	p.name.SetPlaceHolder("团组织全称，例如 共青团北京大学信息科学技术学院委员会")
	p.name.OnChanged = func(s string) { p.guessProvince(s); p.changed() }
	p.address.SetPlaceHolder("选填：通信地址")
	p.contact.SetPlaceHolder("选填：联系人")
	p.phone.SetPlaceHolder("选填：手机号或带区号的电话")
	p.province = newSelect(app.Provinces, func(string) {
		if !p.settingProvince {
			p.provinceTouched = true
		}
	})
	p.province.PlaceHolder = "请选择省份"
	p.kind = newSelect([]string{kindUnknown, app.KindCommittee, app.KindWorkCommittee, app.KindGeneralBranch, app.KindBranch}, nil)
	p.kind.SetSelected(kindUnknown)
	p.way = widget.NewRadioGroup([]string{outsideFromDir, outsideNew}, func(string) { p.layout(); p.changed() })
	p.way.Horizontal = true
	p.way.Required = true
	p.box = container.NewVBox()
	newItems := []*widget.FormItem{
		widget.NewFormItem("组织全称", p.name),
		widget.NewFormItem("所在省份", p.province),
		widget.NewFormItem("组织类型", p.kind),
		widget.NewFormItem("地址", p.address),
		widget.NewFormItem("联系人", p.contact),
		widget.NewFormItem("联系电话", p.phone),
	}
	top := container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, p.search)
	tall := canvas.NewRectangle(color.Transparent)
	tall.SetMinSize(fyne.NewSize(200, 150))
	bottom := container.NewVBox(p.hover, p.count, container.NewBorder(nil, nil, widget.NewLabel("已选择："), nil, p.chosen))
	p.dirBox = container.NewBorder(top, bottom, nil, nil, container.NewStack(tall, p.list))
	p.newBox = container.NewVBox(widget.NewForm(newItems...))
	p.way.SetSelected(outsideFromDir)
	return p
}

// outsideLine is how the directory lists an outside organization.
func outsideLine(o app.Org) string {
	kind := o.Kind
	if kind == "" {
		kind = app.KindOutside
	}
	return fmt.Sprintf("%s（%s，%s）", o.Name, kind, o.Province)
}

func (p *outsidePicker) build() fyne.CanvasObject { return p.box }

func (p *outsidePicker) layout() {
	content := p.dirBox
	if p.way.Selected == outsideNew {
		content = p.newBox
		if strings.TrimSpace(p.name.Text) == "" && strings.TrimSpace(p.search.Text) != "" {
			p.name.SetText(strings.TrimSpace(p.search.Text))
		}
	} else if !p.loadedOnce {
		p.load()
	}
	p.box.Objects = []fyne.CanvasObject{p.way, content}
	p.box.Refresh()
}

func (p *outsidePicker) changed() {
	if p.onChange != nil {
		p.onChange()
	}
}

// guessProvince fills the province from the scope or the name until the
// user chooses one (R-O3, app.GuessProvince).
func (p *outsidePicker) guessProvince(name string) {
	if p.provinceTouched {
		return
	}
	guess := app.GuessProvince(name)
	for _, s := range app.SeparateProvinces {
		if p.scope == s {
			guess = s
		}
	}
	if guess == "" {
		return
	}
	p.settingProvince = true
	p.province.SetSelected(guess)
	p.settingProvince = false
}

// setScope searches the directory again within scope.
func (p *outsidePicker) setScope(scope string) {
	if p.scope == scope {
		return
	}
	p.scope = scope
	p.guessProvince(p.name.Text)
	p.load()
}

// load searches the directory with the current text and scope.
func (p *outsidePicker) load() {
	p.loadedOnce = true
	found, err := p.u.svc.OutsideOrgs(p.u.ctx, p.u.sess, app.OutsideSearch{Text: p.search.Text, Scope: p.scope, Limit: pickerLimit + 1})
	p.results = nil
	switch {
	case err != nil:
		p.count.SetText(app.ErrorMessage(err))
	case len(found) == 0:
		hint := "可选择“" + outsideNew + "”。"
		if p.scope == "否" || p.scope == "" {
			hint = "北京、广东、福建的组织须先在上面选择该省（市）才能找到；" + hint
		}
		p.count.SetText("目录中没有找到。" + hint)
	case len(found) > pickerLimit:
		p.results = found[:pickerLimit]
		p.count.SetText(fmt.Sprintf("只显示前 %d 个，请输入更多文字缩小范围。", pickerLimit))
	default:
		p.results = found
		p.count.SetText(fmt.Sprintf("目录中找到 %d 个校外组织，点击选择。", len(found)))
	}
	p.list.UnselectAll()
	p.list.Refresh()
}

// pick selects the directory entry named name (tests and callers that know it).
func (p *outsidePicker) pick(name string) bool {
	p.way.SetSelected(outsideFromDir)
	for i, o := range p.results {
		if o.Name == name {
			p.list.Select(i)
			return true
		}
	}
	return false
}

// input returns the outside organization named, and an Org standing for it
// to check the transfer's fields against (R-O3); nil when none is named.
func (p *outsidePicker) input() (*app.OutsideInput, *app.Org) {
	if p.way.Selected == outsideNew {
		if strings.TrimSpace(p.name.Text) == "" {
			return nil, nil
		}
		kind := p.kind.Selected
		if kind == kindUnknown {
			kind = ""
		}
		in := &app.OutsideInput{Name: p.name.Text, Province: p.province.Selected, Kind: kind,
			Address: p.address.Text, Contact: p.contact.Text, Phone: p.phone.Text}
		return in, &app.Org{Name: strings.TrimSpace(in.Name), Province: in.Province, Kind: kind, Outside: true}
	}
	if p.selected == nil {
		return nil, nil
	}
	o := *p.selected
	return &app.OutsideInput{Name: o.Name, Province: o.Province, Kind: o.Kind}, &o
}

// check refuses what the directory would refuse, before anything is stored.
func (p *outsidePicker) check() error {
	if p.way.Selected != outsideNew {
		if p.selected == nil {
			return app.Errorf(app.EInvalid, "请在校外组织目录中点击选择一个组织，或选择“%s”。", outsideNew)
		}
		return nil
	}
	in, _ := p.input()
	if in == nil {
		return app.Errorf(app.EInvalid, "请填写校外组织的全称，例如“共青团北京大学信息科学技术学院委员会”。")
	}
	if in.Province == "" {
		return app.Errorf(app.EInvalid, "请选择校外组织“%s”所在的省份。", strings.TrimSpace(in.Name))
	}
	_, err := app.ValidateOutside(*in, p.scope, in.Province)
	return err
}
