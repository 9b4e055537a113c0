package ui

import (
	"fmt"
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// progressCategory is one colour of the season's chart (R-W6).
type progressCategory struct {
	name  string
	color color.NRGBA
	n     func(app.GradProgress) int
}

// progressCategories are the chart's stacked parts, in order: done first,
// at risk last.
var progressCategories = []progressCategory{
	{app.ProgressFinished, color.NRGBA{R: 0x2e, G: 0x9d, B: 0x4f, A: 0xff}, func(p app.GradProgress) int { return p.Finished }},
	{app.ProgressInProgress, color.NRGBA{R: 0x2f, G: 0x7f, B: 0xd8, A: 0xff}, func(p app.GradProgress) int { return p.InProgress }},
	{app.ProgressKept, color.NRGBA{R: 0xf0, G: 0xa0, B: 0x20, A: 0xff}, func(p app.GradProgress) int { return p.Kept }},
	{app.ProgressAbroad, color.NRGBA{R: 0x8e, G: 0x5c, B: 0xc8, A: 0xff}, func(p app.GradProgress) int { return p.Abroad }},
	{app.ProgressNotStarted, color.NRGBA{R: 0xd9, G: 0x3f, B: 0x3f, A: 0xff}, func(p app.GradProgress) int { return p.NotStarted }},
}

// barSeg is one coloured part of a college's bar.
type barSeg struct {
	Category string
	N        int
	X, Width float32
}

// Chart geometry: the college's name on the left, the figures on the right.
const (
	chartNameWidth = 190
	chartTailWidth = 170
	chartRowHeight = 34
)

// gradChart is the season's progress as one horizontal stacked bar per
// college (R-W6): each bar as long as the college's graduates relative to
// the largest college, split by where they stand; tapping a bar chooses
// the college.
type gradChart struct {
	rows  []app.GradProgress
	onTap func(i int)
	box   *fyne.Container
}

func newGradChart(onTap func(int)) *gradChart {
	return &gradChart{onTap: onTap, box: container.NewVBox()}
}

// maxGraduates is the largest college's graduates (the full bar).
func (c *gradChart) maxGraduates() int {
	m := 0
	for _, r := range c.rows {
		m = max(m, r.Graduates)
	}
	return m
}

// segments returns row i's parts for a bar area width wide: lengths
// proportional to the counts, on one scale for every college.
func (c *gradChart) segments(i int, width float32) []barSeg {
	m := c.maxGraduates()
	if i < 0 || i >= len(c.rows) || m == 0 || width <= 0 {
		return nil
	}
	scale := width / float32(m)
	var out []barSeg
	x := float32(0)
	for _, cat := range progressCategories {
		n := cat.n(c.rows[i])
		if n == 0 {
			continue
		}
		w := float32(n) * scale
		out = append(out, barSeg{Category: cat.name, N: n, X: x, Width: w})
		x += w
	}
	return out
}

// set shows rows.
func (c *gradChart) set(rows []app.GradProgress) {
	c.rows = rows
	objs := []fyne.CanvasObject{chartLegend()}
	if len(rows) == 0 {
		objs = append(objs, widget.NewLabel("这一年没有已标记毕业时间的团支部，暂无毕业生。"))
	}
	for i := range rows {
		objs = append(objs, newChartRow(c, i))
	}
	c.box.Objects = objs
	c.box.Refresh()
}

func (c *gradChart) build() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(c.box))
}

// chartLegend names the colours.
func chartLegend() fyne.CanvasObject {
	box := container.NewHBox()
	for _, cat := range progressCategories {
		sw := canvas.NewRectangle(cat.color)
		sw.SetMinSize(fyne.NewSize(14, 14))
		sw.CornerRadius = 2
		box.Add(container.NewCenter(sw))
		box.Add(widget.NewLabel(cat.name))
	}
	hint := widget.NewLabel("（条长为毕业生人数；点击某个学院的条，下方列出其尚未办理的毕业生）")
	hint.Importance = widget.LowImportance
	return container.NewVBox(box, hint)
}

// chartRow is one college's bar; tapping it chooses the college.
type chartRow struct {
	widget.BaseWidget
	c *gradChart
	i int
}

func newChartRow(c *gradChart, i int) *chartRow {
	r := &chartRow{c: c, i: i}
	r.ExtendBaseWidget(r)
	return r
}

func (r *chartRow) Tapped(*fyne.PointEvent) {
	if r.c.onTap != nil {
		r.c.onTap(r.i)
	}
}

func (r *chartRow) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (r *chartRow) CreateRenderer() fyne.WidgetRenderer {
	p := r.c.rows[r.i]
	fg := theme.Color(theme.ColorNameForeground)
	rr := &chartRowRenderer{r: r, name: canvas.NewText(p.Org.Name, fg), tail: canvas.NewText("", fg)}
	rr.name.Alignment = fyne.TextAlignTrailing
	rr.tail.Text = fmt.Sprintf("%d 人　完成率 %s", p.Graduates, p.Percent())
	rr.track = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	rr.objs = []fyne.CanvasObject{rr.track, rr.name, rr.tail}
	for _, cat := range progressCategories {
		rect := canvas.NewRectangle(cat.color)
		num := canvas.NewText("", color.White)
		num.Alignment = fyne.TextAlignCenter
		num.TextSize = theme.CaptionTextSize() + 1
		rr.rects = append(rr.rects, rect)
		rr.nums = append(rr.nums, num)
		rr.objs = append(rr.objs, rect, num)
	}
	return rr
}

type chartRowRenderer struct {
	r          *chartRow
	name, tail *canvas.Text
	track      *canvas.Rectangle
	rects      []*canvas.Rectangle
	nums       []*canvas.Text
	objs       []fyne.CanvasObject
}

func (rr *chartRowRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	barW := max(size.Width-chartNameWidth-chartTailWidth-2*pad, 0)
	barH := size.Height - 2*pad
	x0 := float32(chartNameWidth) + pad
	ts := rr.name.MinSize()
	name := []rune(rr.r.c.rows[rr.r.i].Org.Name)
	rr.name.Text = string(name)
	for len(name) > 1 && rr.name.MinSize().Width > chartNameWidth-pad {
		name = name[:len(name)-1]
		rr.name.Text = string(name) + "…"
	}
	rr.name.Move(fyne.NewPos(0, (size.Height-ts.Height)/2))
	rr.name.Resize(fyne.NewSize(chartNameWidth-pad, ts.Height))
	rr.track.Move(fyne.NewPos(x0, pad))
	rr.track.Resize(fyne.NewSize(barW, barH))
	segs := rr.r.c.segments(rr.r.i, barW)
	for k := range rr.rects {
		rr.rects[k].Hide()
		rr.nums[k].Hide()
	}
	for _, s := range segs {
		k := categoryIndex(s.Category)
		rect, num := rr.rects[k], rr.nums[k]
		rect.Move(fyne.NewPos(x0+s.X, pad))
		rect.Resize(fyne.NewSize(s.Width, barH))
		rect.Show()
		num.Text = strconv.Itoa(s.N)
		if ns := num.MinSize(); ns.Width+4 <= s.Width {
			num.Move(fyne.NewPos(x0+s.X, (size.Height-ns.Height)/2))
			num.Resize(fyne.NewSize(s.Width, ns.Height))
			num.Show()
		}
	}
	tsz := rr.tail.MinSize()
	rr.tail.Move(fyne.NewPos(x0+barW+pad, (size.Height-tsz.Height)/2))
}

func (rr *chartRowRenderer) MinSize() fyne.Size {
	return fyne.NewSize(chartNameWidth+chartTailWidth+200, chartRowHeight)
}

func (rr *chartRowRenderer) Refresh() {
	for _, o := range rr.objs {
		o.Refresh()
	}
}

func (rr *chartRowRenderer) Objects() []fyne.CanvasObject { return rr.objs }
func (rr *chartRowRenderer) Destroy()                     {}

func categoryIndex(name string) int {
	for k, c := range progressCategories {
		if c.name == name {
			return k
		}
	}
	return len(progressCategories) - 1
}
