//go:build !windows

package native

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// viewerWait is how long launch waits for the launcher to exit before
// taking it that the viewer is running (some launchers run the viewer in
// the foreground and exit only when it closes).
var viewerWait = 4 * time.Second

// launch runs the launcher cmd with path and tells whether the file was
// opened. The launcher is waited for in any case: if it is still running
// after viewerWait, a goroutine keeps waiting so that no zombie is left.
func launch(cmd []string, path string) error {
	c := exec.Command(cmd[0], append(cmd[1:], path)...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	if err := c.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("%s: %w", cmd[0], ErrNoViewer)
		}
		return fmt.Errorf("start %s: %w", cmd[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			return nil
		}
		msg := strings.TrimSpace(stderr.String())
		var exit *exec.ExitError
		if errors.As(err, &exit) && noViewer(cmd[0], exit.ExitCode()) {
			return fmt.Errorf("%s %s: %s: %w", cmd[0], path, msg, ErrNoViewer)
		}
		return fmt.Errorf("%s %s: %s: %w", cmd[0], path, msg, err)
	case <-time.After(viewerWait):
		return nil // still running: the viewer is open; the goroutine reaps it
	}
}

// noViewer reports whether the launcher's exit code means that no program
// opens the file: xdg-open 3 (no tool found) or 4 (the action failed, as
// when no application is associated); gio 2; open 1.
func noViewer(launcher string, code int) bool {
	switch launcher {
	case "xdg-open":
		return code == 3 || code == 4
	case "gio":
		return code != 0
	case "open":
		return code == 1
	}
	return false
}
