package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// 组织关系转接, 转接第 N 号, 操作日志, 毕业生组织关系转接进度 and 校外组织目录
// are pages of the main window, not windows of their own (issue 11): Fyne
// can neither place a window nor keep it above another, so a second window
// opened partly off-screen and got lost behind the main one. A page covers
// the main screen with a “返回” bar on top; 返回, Esc and Ctrl+W close it
// and show what was under it (the main screen keeps its state). Pages
// stack: 组织关系转接 → 第 5 号 → 返回 shows 组织关系转接 again.
//
// A page is a fyne.Window to the code that fills it: dialogs shown over it
// go to the main window, Close returns, SetContent replaces the page.
type page struct {
	fyne.Window // the main window
	u           *UI
	title       string
	content     fyne.CanvasObject
	onClosed    func()
	refresh     func() // F5; nil: nothing to reload
	open        bool
}

// newPage returns a page of the main window; Show puts it on top.
func (u *UI) newPage(title string) *page {
	return &page{Window: u.Win, u: u, title: title}
}

func (p *page) Title() string                                { return p.title }
func (p *page) SetTitle(t string)                            { p.title = t; p.redraw() }
func (p *page) Content() fyne.CanvasObject                   { return p.content }
func (p *page) SetContent(o fyne.CanvasObject)               { p.content = o; p.redraw() }
func (p *page) SetOnClosed(f func())                         { p.onClosed = f }
func (p *page) Resize(fyne.Size)                             {}
func (p *page) RequestFocus()                                { p.Show() }
func (p *page) Hide()                                        { p.Close() }
func (p *page) SetCloseIntercept(func())                     {}
func (p *page) CenterOnScreen()                              {}
func (p *page) SetFixedSize(bool)                            {}
func (p *page) SetMainMenu(*fyne.MainMenu)                   {}
func (p *page) SetIcon(fyne.Resource)                        {}
func (p *page) SetPadded(bool)                               {}
func (p *page) SetFullScreen(bool)                           {}
func (p *page) SetMaster()                                   {}
func (p *page) ShowAndRun()                                  { p.Show() }
func (p *page) SetOnDropped(func(fyne.Position, []fyne.URI)) {}

// Show puts the page on top of the main window (again, if it was under another).
func (p *page) Show() {
	u := p.u
	for i, q := range u.pages {
		if q == p {
			u.pages = append(u.pages[:i], u.pages[i+1:]...)
			break
		}
	}
	u.pages = append(u.pages, p)
	p.open = true
	u.showTop()
}

// Close takes the page away and shows what was under it.
func (p *page) Close() {
	if !p.open {
		return
	}
	p.open = false
	u := p.u
	for i, q := range u.pages {
		if q == p {
			u.pages = append(u.pages[:i], u.pages[i+1:]...)
			break
		}
	}
	if p.onClosed != nil {
		p.onClosed()
	}
	u.showTop()
}

func (p *page) redraw() {
	if p.open && p.u.topPage() == p {
		p.u.showTop()
	}
}

// topPage is the page on show, nil when the main screen is.
func (u *UI) topPage() *page {
	if len(u.pages) == 0 {
		return nil
	}
	return u.pages[len(u.pages)-1]
}

// showTop shows the top page, or the screen under the pages.
func (u *UI) showTop() {
	p := u.topPage()
	if p == nil {
		u.Win.SetTitle("团务台")
		if u.base != nil {
			u.Win.SetContent(u.base)
		}
		return
	}
	u.Win.SetTitle("团务台 — " + p.title)
	back := widget.NewButtonWithIcon("返回", theme.NavigateBackIcon(), p.Close)
	title := canvas.NewText(p.title, theme.Color(theme.ColorNameForeground))
	title.TextSize = theme.TextSize() * 1.3
	title.TextStyle.Bold = true
	where := "返回上一页（Esc）"
	if len(u.pages) == 1 {
		where = "返回主界面（Esc）"
	}
	back.SetText(where)
	bar := container.NewHBox(back, container.NewCenter(title))
	var body fyne.CanvasObject = container.NewBorder(container.NewVBox(bar, widget.NewSeparator()), nil, nil, nil, p.content)
	if u.practice != nil {
		body = container.NewBorder(u.practice.box, nil, nil, nil, body)
	}
	u.Win.SetContent(body)
}

// closePages closes every page (sign-out, another store).
func (u *UI) closePages() {
	for len(u.pages) > 0 {
		p := u.pages[len(u.pages)-1]
		p.Close()
	}
}
