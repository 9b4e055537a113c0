package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// The keys that work whatever has the focus (issue 11):
//
//	Esc     closes the top dialog as its 取消 would (a confirmation answers
//	        no); with no dialog open it closes the page on show (返回).
//	Enter   submits a form dialog (its one primary button); a message
//	        dialog's 确定. Not in a multi-line field, nor in a field that
//	        submits by itself (sign-in's password).
//	F5      refreshes what is on show: the page's list, or the tree's
//	        counts and the selected organization.
//	Ctrl+W  closes the top dialog, else the page on show (菜单 文件).
//	Ctrl+Q  quits, asking first when a form is being filled in (菜单 文件).
//	Ctrl+F  goes to the member search (菜单 查看).
//
// Fyne gives a key to the focused widget and only to the canvas when
// nothing has the focus, so a focused Entry, Table or List swallows Esc,
// Enter and F5. The shortcuts with Ctrl are menu shortcuts, which Fyne
// tries before the focused widget; Esc, Enter and F5 reach HandleKey two
// ways: from the canvas when nothing has the focus, and from KeyHook (main
// chains GLFW's key callback, window.go) before the focused widget sees them.

// KeyHook, when set (main.go), makes HandleKey see Esc, Enter and F5 in
// win before its focused widget does.
var KeyHook func(win fyne.Window, handle func(*fyne.KeyEvent) bool)

// dialogKeys are the Esc and Enter actions of the app's own dialogs, by
// their content box (found again under the overlay on show).
var dialogKeys = map[fyne.CanvasObject]*keyAction{}

type keyAction struct {
	cancel func() // Esc
	submit func() // Enter; nil: the box's one HighImportance button
}

// keysFor registers cancel (nil: d.Hide) as Esc for the dialog d whose
// content is box; closing it forgets it.
func keysFor(d dialog.Dialog, box fyne.CanvasObject, cancel func()) {
	if cancel == nil {
		cancel = d.Hide
	}
	dialogKeys[box] = &keyAction{cancel: cancel}
	d.SetOnClosed(func() { delete(dialogKeys, box) })
}

// bindKeys makes win's canvas pass the keys to HandleKey (when nothing
// has the focus) and asks main for the hook that passes them when
// something has it.
func (u *UI) bindKeys(win fyne.Window) {
	c := win.Canvas()
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { u.HandleKey(c, e) })
	if KeyHook != nil {
		KeyHook(win, func(e *fyne.KeyEvent) bool { return u.HandleKey(c, e) })
	}
}

// HandleKey acts on Esc, Enter and F5 typed in canvas c; false leaves the
// key to the focused widget.
func (u *UI) HandleKey(c fyne.Canvas, e *fyne.KeyEvent) bool {
	switch e.Name {
	case fyne.KeyEscape:
		return u.escape(c)
	case fyne.KeyReturn, fyne.KeyEnter:
		return enter(c)
	case fyne.KeyF5:
		u.refresh()
		return true
	}
	return false
}

// escape closes the top dialog, else the page on show.
func (u *UI) escape(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	if top == nil {
		if p := u.topPage(); p != nil && c == u.Win.Canvas() {
			p.Close()
			return true
		}
		return false
	}
	pop, ok := top.(*widget.PopUp)
	if !ok {
		return false // a select's list or a context menu closes itself on Esc
	}
	if k := registeredKeys(pop.Content); k != nil {
		k.cancel()
		return true
	}
	// Fyne's own dialogs: a message's one button, a confirmation's 取消.
	buttons := buttonsIn(pop.Content)
	if len(buttons) == 1 {
		buttons[0].OnTapped()
		return true
	}
	for _, b := range buttons {
		if b.Importance != widget.HighImportance && b.Importance != widget.DangerImportance && !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
			return true
		}
	}
	return false
}

// enter submits the top dialog when it is a form, or closes a message.
func enter(c fyne.Canvas) bool {
	switch f := c.Focused().(type) {
	case *widget.Entry:
		if f.MultiLine || f.OnSubmitted != nil {
			return false
		}
	case *widget.Button:
		if !f.Disabled() && f.OnTapped != nil {
			f.OnTapped()
			return true
		}
		return false
	case *widget.SelectEntry:
		return false
	}
	pop, ok := c.Overlays().Top().(*widget.PopUp)
	if !ok {
		return false
	}
	buttons := buttonsIn(pop.Content)
	if len(buttons) == 1 && !hasInput(pop.Content) {
		buttons[0].OnTapped() // 确定 of a message
		return true
	}
	if !hasInput(pop.Content) {
		return false // a confirmation: Enter does not say yes
	}
	var primary *widget.Button
	for _, b := range buttons {
		if b.Importance == widget.HighImportance && b.Visible() {
			if primary != nil {
				return false // two primary buttons: which one is not clear
			}
			primary = b
		}
	}
	if primary == nil || primary.Disabled() || primary.OnTapped == nil {
		return false
	}
	primary.OnTapped()
	return true
}

// registeredKeys finds the app's dialog box under o.
func registeredKeys(o fyne.CanvasObject) *keyAction {
	var found *keyAction
	walkObjects(o, func(x fyne.CanvasObject) bool {
		if k, ok := dialogKeys[x]; ok {
			found = k
			return false
		}
		return true
	})
	return found
}

// buttonsIn lists the visible buttons under o, in order.
func buttonsIn(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	walkObjects(o, func(x fyne.CanvasObject) bool {
		if b, ok := x.(*widget.Button); ok && b.Visible() {
			out = append(out, b)
		}
		return true
	})
	return out
}

// hasInput reports whether o holds a field to fill in (a form dialog).
func hasInput(o fyne.CanvasObject) bool {
	found := false
	walkObjects(o, func(x fyne.CanvasObject) bool {
		switch x.(type) {
		case *widget.Entry, *widget.SelectEntry, *widget.Select, *widget.Form, *widget.Check, *widget.RadioGroup:
			found = true
		}
		return !found
	})
	return found
}

// walkObjects visits o and what containers, scrolls, forms and split
// containers hold (widgets' insides stay hidden); visit returns false to stop.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return true
	}
	if !visit(o) {
		return false
	}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case *container.Scroll:
		kids = []fyne.CanvasObject{x.Content}
	case *container.Split:
		kids = []fyne.CanvasObject{x.Leading, x.Trailing}
	case *widget.Form:
		for _, it := range x.Items {
			kids = append(kids, it.Widget)
		}
	case *container.AppTabs:
		if s := x.Selected(); s != nil {
			kids = []fyne.CanvasObject{s.Content}
		}
	case *formScroller:
		kids = []fyne.CanvasObject{x.scroll}
	}
	for _, k := range kids {
		if !walkObjects(k, visit) {
			return false
		}
	}
	return true
}

// refresh is F5: the page on show reloads, or the main screen's tree and
// the selected organization do.
func (u *UI) refresh() {
	if p := u.topPage(); p != nil {
		if p.refresh != nil {
			p.refresh()
		}
		return
	}
	if u.main != nil {
		u.main.membersMoved()
	}
}

// closeTop is Ctrl+W: the top dialog, else the page on show.
func (u *UI) closeTop() {
	c := u.Win.Canvas()
	if c.Overlays().Top() != nil {
		u.escape(c)
		return
	}
	if p := u.topPage(); p != nil {
		p.Close()
	}
}

// quit is Ctrl+Q, 文件 → 退出 and the window's close button: it asks
// first when a dialog with fields is open (something may be half filled).
func (u *UI) quit() {
	if top, ok := u.Win.Canvas().Overlays().Top().(*widget.PopUp); ok && hasInput(top.Content) {
		d := dialog.NewConfirm("退出团务台", "还有正在填写、尚未保存的内容。退出将不保存这些内容，确定退出吗？", func(ok bool) {
			if ok {
				u.App.Quit()
			}
		}, u.Win)
		d.SetConfirmText("退出")
		d.SetDismissText("继续填写")
		d.Show()
		return
	}
	u.App.Quit()
}

// Shortcuts shown in the menus (Cmd on macOS).
var (
	shortcutQuit   = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutClose  = &desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSearch = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	// F5 is handled by HandleKey; the menu only shows it.
	shortcutRefresh = &desktop.CustomShortcut{KeyName: fyne.KeyF5}
)
