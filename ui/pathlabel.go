package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ellipsis marks what an elided path leaves out.
const ellipsis = "…"

// elideMiddle shortens an organization path that is wider than avail (as
// width measures it) by leaving out the middle and keeping the end, where
// the branch is: 浙江明理大学团委/信…/2023级计算机1班团支部. When even the
// last part does not fit, the end of it is kept: …计算机1班团支部. Text
// without “/” is returned as it is (the label cuts it at the end).
func elideMiddle(text string, avail float32, width func(string) float32) string {
	if avail <= 0 || width(text) <= avail {
		return text
	}
	slash := strings.LastIndex(text, "/")
	if slash < 0 {
		return text
	}
	head, tail := []rune(text[:slash]), text[slash:]
	if width(ellipsis+tail) > avail {
		r := []rune(text)
		// The longest end of the text that fits after the ellipsis.
		lo, hi := 0, len(r)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if width(ellipsis+string(r[len(r)-mid:])) <= avail {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return ellipsis + string(r[len(r)-lo:])
	}
	// The longest start of the path that fits before the ellipsis and the end.
	lo, hi := 0, len(head)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if width(string(head[:mid])+ellipsis+tail) <= avail {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(head[:lo]) + ellipsis + tail
}

// hoverHint is a line under a list that shows, while the pointer rests on
// an elided path, the whole path (Fyne has no tooltips; a line of the
// screen never covers what the user points at). It is hidden otherwise.
type hoverHint struct {
	*widget.Label
	shown string // the path shown
}

func newHoverHint() *hoverHint {
	h := &hoverHint{Label: widget.NewLabel("")}
	h.Wrapping = fyne.TextWrapWord
	h.Hide()
	return h
}

func (h *hoverHint) show(path string) {
	if h == nil {
		return
	}
	h.shown = path
	h.SetText("完整路径：" + path)
	h.Show()
}

func (h *hoverHint) hide(path string) {
	if h == nil || h.shown != path {
		return // another label already shows its path
	}
	h.shown = ""
	h.Hide()
}

// pathLabel is a label whose text (an organization path, or a line that
// contains one) is elided in the middle to fit its width, measured with the
// label's font, keeping the branch at the end; resting the pointer on an
// elided one shows the whole text on its hoverHint. The embedded Label
// holds the whole text, so code that fills a *widget.Label fills it too.
type pathLabel struct {
	widget.Label
	hint   *hoverHint
	elided bool
}

func newPathLabel(hint *hoverHint) *pathLabel {
	l := &pathLabel{hint: hint}
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer draws the elided text with a label of its own.
func (l *pathLabel) CreateRenderer() fyne.WidgetRenderer {
	l.ExtendBaseWidget(l)
	l.Label.CreateRenderer() // so that Label.SetText and Refresh reach this renderer
	shown := widget.NewLabel("")
	shown.Truncation = fyne.TextTruncateEllipsis
	r := &pathRenderer{l: l, shown: shown}
	r.update(l.Size().Width)
	return r
}

// MouseIn shows the whole text of an elided label on the hint line (and
// clears a path left there, e.g. when the window moved under the pointer).
func (l *pathLabel) MouseIn(*desktop.MouseEvent) {
	if l.elided {
		l.hint.show(l.Text)
	} else if l.hint != nil {
		l.hint.hide(l.hint.shown)
	}
}

// MouseMoved is part of desktop.Hoverable.
func (l *pathLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the hint line.
func (l *pathLabel) MouseOut() { l.hint.hide(l.Text) }

type pathRenderer struct {
	l     *pathLabel
	shown *widget.Label
}

func (r *pathRenderer) update(width float32) {
	l := r.l
	th := l.Theme()
	size := th.Size(theme.SizeNameText)
	avail := width - 2*th.Size(theme.SizeNameInnerPadding)
	text := elideMiddle(l.Text, avail, func(s string) float32 { return fyne.MeasureText(s, size, l.TextStyle).Width })
	l.elided = text != l.Text
	s := r.shown
	s.Text, s.Importance, s.Alignment, s.TextStyle = text, l.Importance, l.Alignment, l.TextStyle
	s.Refresh()
}

func (r *pathRenderer) Layout(size fyne.Size) {
	r.shown.Move(fyne.NewPos(0, 0))
	r.shown.Resize(size)
	r.update(size.Width)
}

func (r *pathRenderer) MinSize() fyne.Size           { return r.shown.MinSize() }
func (r *pathRenderer) Refresh()                     { r.update(r.l.Size().Width) }
func (r *pathRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.shown} }
func (r *pathRenderer) Destroy()                     {}
