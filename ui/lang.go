package ui

import (
	_ "embed"
	"log"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// zhTranslations are Fyne's own strings (dialog buttons, file dialog, entry
// menu) in the words a Chinese office clerk uses.
//
//go:embed translations/zh.json
var zhTranslations []byte

var chineseOnce sync.Once

// useChinese makes Fyne's own strings Chinese whatever the system's locale:
// the app is Chinese only, and a clerk's machine set to English (or a
// C.UTF-8 locale) must not get “Yes/No/Cancel” in the middle of it. The
// Chinese table is registered for English (Fyne's fallback) and Chinese.
//
// Fyne 2.7 draws a few strings without translating them at all: the file
// dialog's “Home”, “Computer” and its “Overwrite?” confirmation; those
// remain until native file dialogs replace Fyne's.
func useChinese() {
	chineseOnce.Do(func() {
		for _, l := range []fyne.Locale{"en", "zh-Hans", "zh"} {
			if err := lang.AddTranslationsForLocale(zhTranslations, l); err != nil {
				log.Printf("界面翻译未能载入：%v", err)
			}
		}
	})
}
