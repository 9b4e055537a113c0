// Package native shows the system's own file dialogs and opens files in the
// system's viewer: the Win32 and macOS dialogs through sqweek/dialog, and on
// Linux and the BSDs the desktop's dialog program (zenity, qarma,
// matedialog or kdialog) and xdg-open. It imports no Fyne: the window calls
// it off its UI goroutine, since every call blocks until the user answers.
package native

import (
	"errors"
	"path/filepath"
	"strings"
)

var (
	// ErrCancelled is returned when the user closes the dialog without choosing.
	ErrCancelled = errors.New("file dialog cancelled")
	// ErrUnavailable is returned when the system has no file dialog the
	// program can use (Linux without zenity or kdialog, no display): the
	// caller shows its own.
	ErrUnavailable = errors.New("no system file dialog")
	// ErrNoViewer is returned by Open when the system has no program that
	// opens the file (no launcher, or no application for its type).
	ErrNoViewer = errors.New("no program to open the file")
)

// Request says what a file dialog asks for.
type Request struct {
	Title  string // the dialog's title
	Save   bool   // a save dialog (else open)
	Dir    string // the folder it starts in; "" for the system's choice
	Name   string // the file name proposed (save dialogs)
	Filter string // the description of the file type, e.g. "Excel 工作簿"
	Ext    string // the file type's extension with its dot, e.g. ".xlsx"; "" for any file
}

// pattern is the glob of the request's file type.
func (r Request) pattern() string { return "*" + r.Ext }

// Available reports whether Choose can show a system dialog here.
func Available() bool { return available() }

// Choose shows the system's file dialog for req and returns the chosen
// path; ErrCancelled when the user cancels, ErrUnavailable when there is
// no system dialog. It blocks until the dialog closes: call it off the UI
// goroutine. A save dialog's path always ends in req.Ext.
func Choose(req Request) (string, error) {
	path, err := choose(req)
	if err != nil {
		return "", err
	}
	path = strings.TrimRight(path, "\r\n")
	if path == "" {
		return "", ErrCancelled
	}
	if req.Save {
		path = WithExt(path, req.Ext)
	}
	return path, nil
}

// WithExt returns path ending in ext (case-insensitively), adding it when missing.
func WithExt(path, ext string) string {
	if ext == "" || strings.EqualFold(filepath.Ext(path), ext) {
		return path
	}
	return path + ext
}

// Open opens path in the program the system uses for its type (the PDF
// viewer, Excel or WPS). It returns ErrNoViewer (wrapped) when there is
// none, another error when the launcher failed, and nil once the viewer
// has started. The launcher is always waited for, so it leaves no zombie.
func Open(path string) error { return open(path) }
