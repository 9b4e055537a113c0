package ui

import (
	"image/color"
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// practiceBar is the permanent 练习数据 banner of a practice store, with
// the date the store runs as of, so that staff can rehearse the annual
// cycle (deadlines, reminders, the graduation switch). A real store has
// none and runs on the real clock.
type practiceBar struct {
	u     *UI
	title *canvas.Text
	date  *widget.Entry
	apply *widget.Button
	today *widget.Button
	msg   *widget.Label
	box   fyne.CanvasObject
	owner *app.Service // the service whose date it shows
}

// practiceBanner is the banner's title, also looked for by tests.
const practiceBanner = "练习数据"

func newPracticeBar(u *UI) *practiceBar {
	p := &practiceBar{u: u}
	p.title = canvas.NewText(practiceBanner, color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff})
	p.title.TextSize = 18
	p.date = widget.NewEntry()
	p.date.SetPlaceHolder("YYYY-MM-DD")
	p.apply = widget.NewButton("按此日期运行", p.onApply)
	p.today = widget.NewButton("回到今天", p.onToday)
	p.msg = widget.NewLabel("")
	p.refresh()
	bg := canvas.NewRectangle(color.NRGBA{R: 0xff, G: 0xe8, B: 0xa3, A: 0xff})
	note := canvas.NewText("仅供培训和演练，不是正式数据。模拟日期：", color.NRGBA{R: 0x5c, G: 0x3a, B: 0x00, A: 0xff})
	row := container.NewHBox(p.title, container.NewCenter(note),
		container.NewGridWrap(fyne.NewSize(130, p.date.MinSize().Height), p.date), p.apply, p.today, p.msg)
	p.box = container.NewStack(bg, container.NewPadded(row))
	return p
}

// refresh shows the date the service now runs as of.
func (p *practiceBar) refresh() {
	p.date.SetText(p.u.svc.Now().Format("2006-01-02"))
}

func (p *practiceBar) onApply() {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(p.date.Text), app.Shanghai)
	if err != nil {
		p.msg.SetText("日期应为 YYYY-MM-DD，例如 2026-07-01。")
		return
	}
	if err := p.u.svc.UseDate(p.u.ctx, d); err != nil {
		p.msg.SetText(app.ErrorMessage(err))
		return
	}
	p.changed()
}

func (p *practiceBar) onToday() {
	p.u.svc.UseRealClock()
	p.changed()
}

// changed applies the dated rules as of the new date and redraws.
func (p *practiceBar) changed() {
	p.refresh()
	p.msg.SetText("期限、提醒和年龄都按 " + p.date.Text + " 计算。")
	p.u.sweep()
	if p.u.main != nil && p.u.sess != nil {
		p.u.showMain(p.u.sess)
	}
}

// refreshPractice reads whether the open store is practice data and keeps
// or drops the banner accordingly.
func (u *UI) refreshPractice() {
	ok, err := u.svc.Practice(u.ctx)
	if err != nil {
		log.Printf("practice: %v", err)
	}
	if !ok {
		u.practice = nil
		return
	}
	if u.practice == nil || u.practice.owner != u.svc {
		u.practice = newPracticeBar(u)
		u.practice.owner = u.svc
	}
}

// setContent shows o in the window, under the 练习数据 banner on a practice store.
func (u *UI) setContent(o fyne.CanvasObject) {
	if u.practice != nil {
		o = container.NewBorder(u.practice.box, nil, nil, nil, o)
	}
	u.base = o
	if u.topPage() != nil {
		return // under the page on show
	}
	u.Win.SetContent(o)
}
