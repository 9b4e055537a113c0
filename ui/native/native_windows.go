//go:build windows

package native

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/windows"
)

func available() bool { return true }

func choose(req Request) (string, error) {
	// The common dialogs want one OS thread from start to end.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return sqweek(req, req.Filter+"（"+req.pattern()+"）", true)
}

// seNoAssoc is ShellExecute's SE_ERR_NOASSOC: no application for the type.
const seNoAssoc = windows.Errno(31)

func open(path string) error {
	verb, err := windows.UTF16PtrFromString("open")
	if err != nil {
		return err
	}
	file, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return err
	}
	dir, err := windows.UTF16PtrFromString(filepath.Dir(path))
	if err != nil {
		return err
	}
	err = windows.ShellExecute(0, verb, file, nil, dir, windows.SW_SHOWNORMAL)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, seNoAssoc), errors.Is(err, windows.ERROR_NO_ASSOCIATION):
		return fmt.Errorf("open %s: %w", path, ErrNoViewer)
	}
	return fmt.Errorf("open %s: %w", path, err)
}
