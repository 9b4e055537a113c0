//go:build !windows && !darwin

package native

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// dialogTools are the dialog programs tried, in order; on KDE kdialog comes first.
var dialogTools = []string{"zenity", "qarma", "matedialog", "kdialog"}

// tool returns the dialog program to use and its path, "" when none.
func tool() (name, path string) {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return "", ""
	}
	order := dialogTools
	if strings.Contains(strings.ToUpper(os.Getenv("XDG_CURRENT_DESKTOP")), "KDE") {
		order = append([]string{"kdialog"}, dialogTools...)
	}
	for _, n := range order {
		if p, err := exec.LookPath(n); err == nil {
			return n, p
		}
	}
	return "", ""
}

func available() bool {
	name, _ := tool()
	return name != ""
}

func choose(req Request) (string, error) {
	name, path := tool()
	if name == "" {
		return "", ErrUnavailable
	}
	var args []string
	if name == "kdialog" {
		args = kdialogArgs(req)
	} else {
		args = zenityArgs(req, name == "zenity" && zenityMajor(path) >= 4)
	}
	c := exec.Command(path, args...)
	var out, stderr bytes.Buffer
	c.Stdout, c.Stderr = &out, &stderr
	err := c.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return strings.TrimRight(out.String(), "\r\n"), nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return "", ErrCancelled // both programs exit 1 on 取消 and on closing the window
	}
	return "", fmt.Errorf("%s: %s: %w", name, strings.TrimSpace(stderr.String()), err)
}

// start is where a dialog opens: the folder, and for a save dialog the name in it.
func start(req Request) string {
	dir := req.Dir
	if dir == "" {
		dir, _ = os.UserHomeDir()
	}
	if req.Save {
		return filepath.Join(dir, req.Name)
	}
	return dir + string(filepath.Separator)
}

// zenityArgs are the arguments of zenity (and of qarma and matedialog,
// which copy it). Zenity 4 always confirms overwriting and no longer knows
// --confirm-overwrite.
func zenityArgs(req Request, v4 bool) []string {
	args := []string{"--file-selection", "--title=" + req.Title, "--filename=" + start(req)}
	if req.Save {
		args = append(args, "--save")
		if !v4 {
			args = append(args, "--confirm-overwrite")
		}
	}
	if req.Ext != "" {
		args = append(args, "--file-filter="+req.Filter+"（"+req.pattern()+"） | "+req.pattern())
	}
	return append(args, "--file-filter=所有文件 | *")
}

// kdialogArgs are the arguments of KDE's kdialog.
func kdialogArgs(req Request) []string {
	filter := "*|所有文件"
	if req.Ext != "" {
		filter = req.pattern() + "|" + req.Filter + "\n" + filter
	}
	verb := "--getopenfilename"
	if req.Save {
		verb = "--getsavefilename"
	}
	return []string{"--title", req.Title, verb, start(req), filter}
}

var zenityVersions sync.Map // path → major version

// zenityMajor is the major version of the zenity at path (0 when unknown).
func zenityMajor(path string) int {
	if v, ok := zenityVersions.Load(path); ok {
		return v.(int)
	}
	major := 0
	if out, err := exec.Command(path, "--version").Output(); err == nil {
		s := strings.TrimSpace(string(out))
		if i := strings.IndexByte(s, '.'); i > 0 {
			major, _ = strconv.Atoi(s[:i])
		}
	}
	zenityVersions.Store(path, major)
	return major
}

// open runs xdg-open (or gio open where xdg-open is missing).
func open(path string) error {
	if _, err := exec.LookPath("xdg-open"); err == nil {
		return launch([]string{"xdg-open"}, path)
	}
	if _, err := exec.LookPath("gio"); err == nil {
		return launch([]string{"gio", "open"}, path)
	}
	return fmt.Errorf("xdg-open: %w", ErrNoViewer)
}
