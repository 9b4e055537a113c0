package ui

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestWindowSizeFitsAndIsRemembered: the first start opens at a size that
// fits a 1024×700 screen; the size at closing is used at the next start.
func TestWindowSizeFitsAndIsRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("团务台")
	w.Resize(fyne.NewSize(1200, 780)) // what main did before
	u := New(a, w, opener(t), filepath.Join(t.TempDir(), "t.db"))
	if s := w.Canvas().Size(); s.Width > 1024 || s.Height > 700-40 {
		t.Fatalf("first start at %v: larger than a 1024×700 screen with a title bar", s)
	}
	w.Resize(fyne.NewSize(1300, 820))
	u.saveWindowSize()
	w2 := a.NewWindow("团务台")
	New(a, w2, opener(t), filepath.Join(t.TempDir(), "t.db"))
	if s := w2.Canvas().Size(); s != fyne.NewSize(1300, 820) {
		t.Fatalf("second start at %v, want the remembered 1300×820", s)
	}
	u2 := New(a, w2, opener(t), filepath.Join(t.TempDir(), "t.db"))
	w2.Resize(fyne.NewSize(100, 80)) // shrunk by mistake: not remembered
	u2.saveWindowSize()
	if s := initialWindowSize(a.Preferences()); s != fyne.NewSize(1300, 820) {
		t.Fatalf("a tiny window was remembered: %v", s)
	}
}
