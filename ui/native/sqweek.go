//go:build windows || darwin

package native

import (
	"errors"
	"strings"

	"github.com/sqweek/dialog"
)

// sqweek shows the system's open or save dialog through sqweek/dialog
// (Win32 on Windows, NSOpenPanel/NSSavePanel on macOS), filtered by req's
// type under the label filter, and with 所有文件 too when allFiles.
func sqweek(req Request, filter string, allFiles bool) (string, error) {
	b := dialog.File().Title(req.Title)
	if req.Ext != "" {
		b = b.Filter(filter, strings.TrimPrefix(req.Ext, "."))
	}
	if allFiles {
		b = b.Filter("所有文件（*.*）", "*")
	}
	if req.Dir != "" {
		b = b.SetStartDir(req.Dir)
	}
	if req.Name != "" {
		b = b.SetStartFile(req.Name)
	}
	var path string
	var err error
	if req.Save {
		path, err = b.Save()
	} else {
		path, err = b.Load()
	}
	if errors.Is(err, dialog.ErrCancelled) {
		return "", ErrCancelled
	}
	return path, err
}
