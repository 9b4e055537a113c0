package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// tallForm is a form of n fields, taller than the window, with a button
// (tapped sets *tapped) after the second field.
func tallForm(n int, tapped *bool) (*widget.Form, []*widget.Entry, *widget.Button) {
	f := widget.NewForm()
	b := widget.NewButton("选择…", func() { *tapped = true })
	var es []*widget.Entry
	for i := 0; i < n; i++ {
		e := widget.NewEntry()
		e.SetText("一段较长的地址文字，比输入框还宽，输入框里可以左右滑动的那种很长很长的文字")
		f.Append("字段", e)
		es = append(es, e)
		if i == 1 {
			f.Append("", b)
		}
	}
	return f, es, b
}

// TestWheelOverFieldScrollsForm_Issue11Item4: the mouse wheel over a
// field scrolls the form it is in. With a plain VScroll the field's own
// scroller takes the wheel and the form stands still (the bug); the
// formScroll of the app's forms moves.
func TestWheelOverFieldScrollsForm_Issue11Item4(t *testing.T) {
	cases := []struct {
		name  string
		build func(fyne.CanvasObject) (fyne.CanvasObject, *container.Scroll)
		moves bool
	}{
		{"container.NewVScroll (before)", func(o fyne.CanvasObject) (fyne.CanvasObject, *container.Scroll) {
			s := container.NewVScroll(o)
			return s, s
		}, false},
		{"formScroll", func(o fyne.CanvasObject) (fyne.CanvasObject, *container.Scroll) {
			s := formScroll(o)
			return s, s.scroll
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tapped := false
			form, entries, button := tallForm(30, &tapped)
			top, scroll := tc.build(form)
			w := test.NewTempWindow(t, top)
			w.Resize(fyne.NewSize(400, 300))
			// The pointer over the second field, well inside the window.
			at := fyne.CurrentApp().Driver().AbsolutePositionForObject(entries[1]).Add(fyne.NewPos(20, 10))
			test.Scroll(w.Canvas(), at, 0, -60)
			if moved := scroll.Offset.Y > 0; moved != tc.moves {
				t.Errorf("offset %v after the wheel over a field: moved %v, want %v", scroll.Offset, moved, tc.moves)
			}
			// Clicks still reach what is under the catcher.
			test.TapCanvas(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(button).Add(fyne.NewPos(10, 10)))
			if !tapped {
				t.Error("a click on the form's button did not reach it")
			}
		})
	}
}
