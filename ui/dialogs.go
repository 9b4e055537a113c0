package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Every dialog of the app fits the window it is shown on: it is as large as
// it wants to be (w×h) but never larger than the window less a margin for
// the dialog's title and padding; its content scrolls, its buttons stay
// below the scroll, and Esc closes it (as 取消 would).

// dialogMargin is what a dialog needs around its content: its title,
// padding and shadow (measured at the default theme).
const dialogMarginW, dialogMarginH = 40, 100

// formSize is a dialog content's size: w×h, smaller when the window is.
func formSize(win fyne.Window, w, h float32) fyne.Size {
	if c := win.Canvas().Size(); c.Height > 0 {
		w, h = min(w, c.Width-dialogMarginW), min(h, c.Height-dialogMarginH)
	}
	return fyne.NewSize(max(w, 300), max(h, 200))
}

// buttonedSize is formSize for a dialog whose buttons Fyne adds below the
// content (dialog.NewCustom, NewCustomConfirm): the buttons' row is kept free.
func buttonedSize(win fyne.Window, w, h float32) fyne.Size {
	s := formSize(win, w, h+60)
	return fyne.NewSize(s.Width, s.Height-60)
}

// fitDialog makes the app's custom dialog: content carries its own buttons
// (below a container.NewVScroll of the fields), sized by formSize, and Esc
// closes it.
func fitDialog(win fyne.Window, title string, w, h float32, content fyne.CanvasObject) *dialog.CustomDialog {
	return fitDialogEsc(win, title, w, h, content, nil)
}

// fitDialogEsc is fitDialog for a dialog whose 取消 does more than close it
// (e.g. signs out): Esc does what 取消 does.
func fitDialogEsc(win fyne.Window, title string, w, h float32, content fyne.CanvasObject, cancel func()) *dialog.CustomDialog {
	box := container.NewGridWrap(formSize(win, w, h), content)
	d := dialog.NewCustomWithoutButtons(title, box, win)
	keysFor(d, box, cancel)
	return d
}

// fitCustom is dialog.NewCustom (one dismiss button) sized to fit (content
// that can be long scrolls itself), closed by Esc.
func fitCustom(win fyne.Window, title, dismiss string, w, h float32, content fyne.CanvasObject) *dialog.CustomDialog {
	box := container.NewGridWrap(buttonedSize(win, w, h), content)
	d := dialog.NewCustom(title, dismiss, box, win)
	keysFor(d, box, nil)
	return d
}

// fitConfirm is dialog.NewCustomConfirm sized to fit; Esc answers no.
func fitConfirm(win fyne.Window, title, yes, no string, w, h float32, content fyne.CanvasObject, cb func(bool)) *dialog.ConfirmDialog {
	box := container.NewGridWrap(buttonedSize(win, w, h), content)
	d := dialog.NewCustomConfirm(title, yes, no, box, cb, win)
	keysFor(d, box, nil)
	return d
}

// Esc closes every dialog, the app's and Fyne's own, whatever has the
// focus: see keys.go.

// fitWindowSize is a secondary window's size: w×h, no larger than the main
// window's canvas (the only measure of the screen Fyne gives).
func fitWindowSize(main fyne.Window, w, h float32) fyne.Size {
	if c := main.Canvas().Size(); c.Height > 0 {
		w, h = min(w, max(c.Width, 640)), min(h, max(c.Height, 480))
	}
	return fyne.NewSize(w, h)
}

// scrollAbove is a dialog body: content scrolls, bottom (message and
// buttons) stays visible below it.
func scrollAbove(content, bottom fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, bottom, nil, nil, formScroll(content))
}

// fitResize sizes a dialog Fyne lays out itself (its buttons included) to
// w×h or less; Esc closes it as its dismiss button would (keys.go).
func fitResize(win fyne.Window, d dialog.Dialog, w, h float32) {
	s := formSize(win, w, h+dialogMarginH)
	d.Resize(fyne.NewSize(s.Width, s.Height))
}

// newSelect is widget.NewSelect with a Chinese placeholder (Fyne's own is
// “(Select one)”).
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = "请选择"
	return s
}
