//go:build !windows && !darwin

package native

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeTools puts shell scripts named after programs on a PATH of their own.
func fakeTools(t *testing.T, scripts map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	t.Setenv("DISPLAY", ":99")
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_CURRENT_DESKTOP", "")
	return dir
}

// Issue 11, native file dialogs: zenity is asked for a save dialog with the
// proposed name in the last folder, an .xlsx filter and (before zenity 4)
// overwrite confirmation.
func TestZenityArgs(t *testing.T) {
	req := Request{Title: "导出附件4", Save: true, Dir: "/home/a/文档", Name: "附件4-未标记团支部-2026-12-01.xlsx", Filter: "Excel 工作簿", Ext: ".xlsx"}
	cases := []struct {
		name string
		req  Request
		v4   bool
		want []string
	}{
		{"save, zenity 3", req, false, []string{"--file-selection", "--title=导出附件4", "--filename=/home/a/文档/附件4-未标记团支部-2026-12-01.xlsx",
			"--save", "--confirm-overwrite", "--file-filter=Excel 工作簿（*.xlsx） | *.xlsx", "--file-filter=所有文件 | *"}},
		{"save, zenity 4 confirms by itself", req, true, []string{"--file-selection", "--title=导出附件4", "--filename=/home/a/文档/附件4-未标记团支部-2026-12-01.xlsx",
			"--save", "--file-filter=Excel 工作簿（*.xlsx） | *.xlsx", "--file-filter=所有文件 | *"}},
		{"open a data file", Request{Title: "打开数据文件", Dir: "/d", Filter: "团务台数据文件", Ext: ".db"}, true,
			[]string{"--file-selection", "--title=打开数据文件", "--filename=/d/", "--file-filter=团务台数据文件（*.db） | *.db", "--file-filter=所有文件 | *"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := zenityArgs(c.req, c.v4); !slices.Equal(got, c.want) {
				t.Errorf("zenityArgs:\n got %q\nwant %q", got, c.want)
			}
		})
	}
	got := kdialogArgs(req)
	want := []string{"--title", "导出附件4", "--getsavefilename", "/home/a/文档/附件4-未标记团支部-2026-12-01.xlsx", "*.xlsx|Excel 工作簿\n*|所有文件"}
	if !slices.Equal(got, want) {
		t.Errorf("kdialogArgs:\n got %q\nwant %q", got, want)
	}
}

// Issue 11, native file dialogs: the chosen path comes back (with the
// extension added when the user typed none), 取消 is ErrCancelled, a failing
// program is an error, and no program at all is ErrUnavailable (the window
// then shows its own dialog).
func TestChooseWithDialogProgram(t *testing.T) {
	req := Request{Title: "导出", Save: true, Dir: "/tmp", Name: "名册.xlsx", Filter: "Excel 工作簿", Ext: ".xlsx"}
	cases := []struct {
		name    string
		scripts map[string]string
		want    string
		err     error
	}{
		{"chosen, extension added", map[string]string{"zenity": `[ "$1" = --version ] && { echo 4.0.1; exit 0; }; echo /tmp/团员名册`}, "/tmp/团员名册.xlsx", nil},
		{"chosen with its extension", map[string]string{"zenity": `[ "$1" = --version ] && { echo 3.44.0; exit 0; }; echo /tmp/a.XLSX`}, "/tmp/a.XLSX", nil},
		{"cancelled", map[string]string{"zenity": `[ "$1" = --version ] && { echo 4.0.1; exit 0; }; exit 1`}, "", ErrCancelled},
		{"kdialog when zenity is missing", map[string]string{"kdialog": `echo /tmp/k.xlsx`}, "/tmp/k.xlsx", nil},
		{"no dialog program", map[string]string{}, "", ErrUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fakeTools(t, c.scripts)
			got, err := Choose(req)
			if !errors.Is(err, c.err) || got != c.want {
				t.Fatalf("Choose = %q, %v; want %q, %v", got, err, c.want, c.err)
			}
		})
	}
	t.Run("program fails", func(t *testing.T) {
		fakeTools(t, map[string]string{"zenity": `[ "$1" = --version ] && exit 0; echo "cannot open display" >&2; exit 255`})
		_, err := Choose(req)
		if err == nil || errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "cannot open display") {
			t.Fatalf("Choose = %v, want the program's failure", err)
		}
	})
	t.Run("no display", func(t *testing.T) {
		fakeTools(t, map[string]string{"zenity": `echo /tmp/x.xlsx`})
		t.Setenv("DISPLAY", "")
		if _, err := Choose(req); !errors.Is(err, ErrUnavailable) || Available() {
			t.Fatalf("Choose without a display = %v (Available %v), want ErrUnavailable", err, Available())
		}
	})
}

// Issue 11, opening the saved file honestly: xdg-open's answer is reported
// (no program for the type, failure), a launcher that keeps running counts
// as opened, and every launcher is waited for (no zombie is left).
func TestOpenReportsTheLauncher(t *testing.T) {
	defer func(d time.Duration) { viewerWait = d }(viewerWait)
	viewerWait = 300 * time.Millisecond
	cases := []struct {
		name    string
		scripts map[string]string
		noView  bool
		fails   bool
	}{
		{"opened", map[string]string{"xdg-open": "exit 0"}, false, false},
		{"no tool found (3)", map[string]string{"xdg-open": "echo 'xdg-open: no method available' >&2; exit 3"}, true, true},
		{"action failed (4)", map[string]string{"xdg-open": "exit 4"}, true, true},
		{"syntax error (1)", map[string]string{"xdg-open": "exit 1"}, false, true},
		{"viewer runs in the foreground", map[string]string{"xdg-open": "/bin/sleep 1"}, false, false},
		{"gio when xdg-open is missing", map[string]string{"gio": `[ "$1" = open ] || exit 9; exit 0`}, false, false},
		{"no launcher at all", map[string]string{}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fakeTools(t, c.scripts)
			err := Open("/tmp/介绍信.pdf")
			if (err != nil) != c.fails || errors.Is(err, ErrNoViewer) != c.noView {
				t.Fatalf("Open = %v; want failure %v, no viewer %v", err, c.fails, c.noView)
			}
		})
	}
	// The foreground launcher has ended by now: it must have been reaped.
	deadline := time.Now().Add(3 * time.Second)
	for zombies(t) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d zombie children left by Open", zombies(t))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// zombies counts this process's children that have exited but were not waited for.
func zombies(t *testing.T) int {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	if stats == nil {
		t.Skip("no /proc")
	}
	me := os.Getpid()
	n := 0
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 2 && f[0] == "Z" && f[1] == strconv.Itoa(me) {
			n++
		}
	}
	return n
}
