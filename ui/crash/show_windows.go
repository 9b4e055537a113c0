//go:build windows

package crash

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

const (
	mbOK        = 0x00000000
	mbIconError = 0x00000010
	mbTopMost   = 0x00040000
)

// Show tells the user msg in a native message box: the GUI-subsystem .exe
// has no console, so stderr alone would be lost. It is written to stderr
// as well, for a run from a console with redirected output.
func Show(title, msg string) {
	fmt.Fprintln(os.Stderr, title+"："+msg)
	t, err1 := windows.UTF16PtrFromString(title)
	m, err2 := windows.UTF16PtrFromString(msg)
	if err1 != nil || err2 != nil {
		return
	}
	windows.MessageBox(0, m, t, mbOK|mbIconError|mbTopMost)
}
