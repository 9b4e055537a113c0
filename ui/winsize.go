package ui

import "fyne.io/fyne/v2"

// The main window opens at the size it had when the program last closed;
// the first time at a size that fits the smallest common screens (1024×768,
// 1366×768 with a taskbar, 1920×1080 at 150 % = 1280×720 logical, and a
// 1024×700 virtual screen with a title bar). Fyne gives no screen size nor
// window position, so the position is the window manager's.
const (
	prefWinW = "window.width"
	prefWinH = "window.height"
)

// defaultWindowSize fits every common screen with room for a title bar
// and a taskbar.
var defaultWindowSize = fyne.NewSize(1000, 640)

// minWindowSize is the smallest size worth restoring: a remembered size
// below it (a window shrunk by mistake) is not used.
var minWindowSize = fyne.NewSize(640, 480)

// initialWindowSize is the remembered size, or the default.
func initialWindowSize(p fyne.Preferences) fyne.Size {
	w, h := float32(p.Float(prefWinW)), float32(p.Float(prefWinH))
	if w < minWindowSize.Width || h < minWindowSize.Height || w > 8000 || h > 8000 {
		return defaultWindowSize
	}
	return fyne.NewSize(w, h)
}

// saveWindowSize remembers the main window's size for the next start.
func (u *UI) saveWindowSize() {
	s := u.Win.Canvas().Size()
	if s.Width < minWindowSize.Width || s.Height < minWindowSize.Height {
		return
	}
	p := u.App.Preferences()
	p.SetFloat(prefWinW, float64(s.Width))
	p.SetFloat(prefWinH, float64(s.Height))
}
