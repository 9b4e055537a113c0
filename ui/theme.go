package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"tuanwu/assets"
)

// cjkTheme is Fyne's default theme with the bundled Chinese font for every
// text style, so that Chinese renders on machines with no CJK font.
type cjkTheme struct{ fyne.Theme }

// NewTheme returns the application theme.
func NewTheme() fyne.Theme { return cjkTheme{theme.DefaultTheme()} }

func (t cjkTheme) Font(fyne.TextStyle) fyne.Resource { return assets.Font }

func (t cjkTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		return color.NRGBA{R: 0xC8, G: 0x10, B: 0x2E, A: 0xFF} // League red
	}
	return t.Theme.Color(n, v)
}
