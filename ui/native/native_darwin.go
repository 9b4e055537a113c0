//go:build darwin

package native

func available() bool { return true }

// choose shows NSSavePanel or NSOpenPanel; sqweek/dialog runs it on the
// main thread and waits.
func choose(req Request) (string, error) { return sqweek(req, req.Filter, false) }

// open runs /usr/bin/open, which exits non-zero when no application opens the file.
func open(path string) error { return launch([]string{"open"}, path) }
