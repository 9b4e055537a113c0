//go:build darwin

package native

import (
	"errors"
	"strings"

	"github.com/sqweek/dialog"
)

func available() bool { return true }

// choose shows NSSavePanel or NSOpenPanel; sqweek/dialog runs it on the
// main thread and waits.
func choose(req Request) (string, error) {
	b := dialog.File().Title(req.Title)
	if req.Ext != "" {
		b = b.Filter(req.Filter, strings.TrimPrefix(req.Ext, "."))
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

// open runs /usr/bin/open, which exits non-zero when no application opens the file.
func open(path string) error { return launch([]string{"open"}, path) }
