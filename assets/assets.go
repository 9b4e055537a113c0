// Package assets holds the embedded font, icon and licence texts.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed wqy-microhei.ttf
var fontTTF []byte

//go:embed wqy-microhei.COPYRIGHT
var FontLicence string

//go:embed icon.png
var iconPNG []byte

// Font is WenQuanYi Micro Hei (Apache-2.0), which has every GB2312 hanzi:
// Fyne's own font has no CJK glyphs.
var Font = fyne.NewStaticResource("wqy-microhei.ttf", fontTTF)

// FontTTF returns the raw TrueType font, for PDF rendering.
func FontTTF() []byte { return fontTTF }

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
