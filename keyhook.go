package main

import (
	"log"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// glfwKeys maps the GLFW keys that ui.HandleKey acts on whatever has the
// focus (Esc, Enter, F5; see ui/keys.go) to Fyne's names.
var glfwKeys = map[glfw.Key]fyne.KeyName{
	glfw.KeyEscape:  fyne.KeyEscape,
	glfw.KeyEnter:   fyne.KeyReturn,
	glfw.KeyKPEnter: fyne.KeyEnter,
	glfw.KeyF5:      fyne.KeyF5,
}

// hookKeys chains win's GLFW key callback so that handle sees a press of
// Esc, Enter or F5 (without Ctrl, Alt or Super) before Fyne gives it to
// the focused widget, which would swallow it; what handle leaves goes on
// to Fyne as before. Call it on the UI goroutine once win is shown.
//
// Fyne has no public way to reach a window's GLFW handle; its desktop
// windows have RunWithContext, which makes the window's GL context current,
// and GLFW names the window whose context is current. When either is
// missing (another Fyne version, another driver) the keys stay as Fyne
// handles them: they then work whenever no text field has the focus.
func hookKeys(win fyne.Window, handle func(*fyne.KeyEvent) bool) {
	rc, ok := win.(interface{ RunWithContext(func()) })
	if !ok {
		log.Printf("keys: this window cannot be hooked; Esc, Enter and F5 work when no field has the focus")
		return
	}
	defer func() {
		if r := recover(); r != nil {
			log.Printf("keys: hooking the window failed: %v", r)
		}
	}()
	rc.RunWithContext(func() {
		gw := glfw.GetCurrentContext()
		if gw == nil {
			log.Printf("keys: no GLFW window; Esc, Enter and F5 work when no field has the focus")
			return
		}
		var prev glfw.KeyCallback
		prev = gw.SetKeyCallback(func(w *glfw.Window, key glfw.Key, scancode int, action glfw.Action, mods glfw.ModifierKey) {
			if name, ok := glfwKeys[key]; ok && action == glfw.Press && mods&(glfw.ModControl|glfw.ModAlt|glfw.ModSuper) == 0 {
				if handle(&fyne.KeyEvent{Name: name}) {
					return
				}
			}
			if prev != nil {
				prev(w, key, scancode, action, mods)
			}
		})
	})
}
