// Package earlyinit sets the language of Fyne's own texts (file dialogs,
// the Quit item) to Chinese before Fyne reads the locale.
//
// It is a separate module with a path that sorts before fyne.io, so that
// the Go runtime initialises it before fyne.io/fyne/v2/lang (Go initialises
// ready packages in import-path order). Without it, Fyne shows its dialogs
// in English, and under LANG=C.UTF-8 (usual on servers and in containers)
// it prints "Error parsing user locale C" on stderr at start-up, which would
// break the headless commands' promise of one Chinese sentence on stderr.
package earlyinit

import (
	"os"
	"strings"
)

func init() {
	// LANGUAGE only chooses message translations; character handling
	// (LC_CTYPE, input methods) is left as the system set it.
	if v := os.Getenv("LANGUAGE"); v == "" || !strings.HasPrefix(v, "zh") {
		os.Setenv("LANGUAGE", "zh_CN")
	}
}
