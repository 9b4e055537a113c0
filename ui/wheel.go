package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// The mouse wheel scrolls a form even with the pointer over one of its
// fields (issue 11). Fyne gives a wheel event to the innermost Scrollable
// under the pointer, and every Entry holds a scroller of its own (to slide
// long text sideways), so a wheel over a field went to the field, which
// had nothing to scroll, and the form stood still. A formScroller lays a
// transparent wheelCatcher over the form's scroll: found after the fields,
// it gets the wheel and hands it to the form's scroll. It is Scrollable
// only, so clicks, hover, text cursor and dragging reach the fields as
// before. (A multi-line field or a list inside such a form no longer
// scrolls by wheel; the app's forms hold neither tall enough to need it.)
type formScroller struct {
	widget.BaseWidget
	scroll  *container.Scroll
	catcher *wheelCatcher
}

// formScroll is container.NewVScroll(content) for forms.
func formScroll(content fyne.CanvasObject) *formScroller {
	f := &formScroller{scroll: container.NewVScroll(content)}
	f.catcher = &wheelCatcher{target: f.scroll}
	f.catcher.ExtendBaseWidget(f.catcher)
	f.ExtendBaseWidget(f)
	return f
}

func (f *formScroller) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(f.scroll, f.catcher))
}

// wheelCatcher passes the wheel to its target.
type wheelCatcher struct {
	widget.BaseWidget
	target fyne.Scrollable
}

func (c *wheelCatcher) Scrolled(ev *fyne.ScrollEvent) { c.target.Scrolled(ev) }

func (c *wheelCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (c *wheelCatcher) MinSize() fyne.Size { return fyne.Size{} }
