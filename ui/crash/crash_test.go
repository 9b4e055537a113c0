package crash

import (
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type shown struct{ title, msg string }

func guard(t *testing.T) (*Guard, *[]shown) {
	var got []shown
	return &Guard{
		Version: "v9.8.7-test",
		Dir:     filepath.Join(t.TempDir(), "崩溃记录"),
		Notify:  func(title, msg string) { got = append(got, shown{title, msg}) },
		Stderr:  io.Discard,
		Now:     func() time.Time { return time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC) },
	}, &got
}

// TestDisplayPanic: GLFW could not start and Fyne panics in NewWindow: the
// user gets the Chinese display message, exit 1, and nothing panics on.
func TestDisplayPanic(t *testing.T) {
	g, got := guard(t)
	code := g.Window(func() {
		log.Println("Fyne error:  failed to initialise GLFW")
		log.Println("  Cause: PlatformError: X11: Failed to open display :987")
		panic(errors.New("NotInitialized: The GLFW library is not initialized"))
	})
	if code != 1 || len(*got) != 1 || !strings.Contains((*got)[0].msg, "没有可用的图形显示") || (*got)[0].title != "团务台" {
		t.Fatalf("code %d, shown %q", code, *got)
	}
	if strings.Contains((*got)[0].msg, "panic") || strings.Contains((*got)[0].msg, "goroutine") {
		t.Fatalf("message carries a trace: %q", (*got)[0].msg)
	}
	if entries, _ := os.ReadDir(g.Dir); len(entries) != 0 {
		t.Fatalf("a display failure is not a crash: %v", entries)
	}
}

// TestDisplayLogOnly: OpenGL could not start, Fyne only logs it and
// returns from ShowAndRun without a window: still the message and exit 1.
func TestDisplayLogOnly(t *testing.T) {
	g, got := guard(t)
	code := g.Window(func() {
		log.Println("Fyne error:  window creation error")
		// Fyne calls os.Exit(1) here when its loop already runs: the
		// message must have been shown by now.
		if len(*got) != 1 {
			t.Error("the message waits for open to return")
		}
		log.Println("  Cause: VersionUnavailable: WGL: OpenGL version 2.1 not supported")
	})
	if code != 1 || len(*got) != 1 || !strings.Contains((*got)[0].msg, "OpenGL 2.1") {
		t.Fatalf("code %d, shown %q", code, *got)
	}
}

// TestNormalClose: a window closed normally exits 0 and shows nothing.
func TestNormalClose(t *testing.T) {
	g, got := guard(t)
	if code := g.Window(func() { log.Println("Fyne error:  something harmless") }); code != 0 || len(*got) != 0 {
		t.Fatalf("code %d, shown %q", code, *got)
	}
}

func panicInHandler() { var m map[string]int; m["x"] = 1 }

// TestPanicLog: a panic in the window is caught, written to a log with the
// version and the stack, and the message names the log file.
func TestPanicLog(t *testing.T) {
	g, got := guard(t)
	code := g.Window(func() {
		log.Println("Fyne error:  some earlier warning")
		panicInHandler()
	})
	if code != 1 || len(*got) != 1 {
		t.Fatalf("code %d, shown %q", code, *got)
	}
	entries, err := os.ReadDir(g.Dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("log folder: %v %v", entries, err)
	}
	path := filepath.Join(g.Dir, entries[0].Name())
	if entries[0].Name() != "崩溃-20261201-093000.log" {
		t.Fatalf("log name %q", entries[0].Name())
	}
	msg := (*got)[0].msg
	if !strings.Contains(msg, path) || !strings.Contains(msg, "意外错误") {
		t.Fatalf("message does not name the log: %q", msg)
	}
	b, _ := os.ReadFile(path)
	log := string(b)
	for _, want := range []string{"版本：v9.8.7-test", "assignment to entry in nil map", "panicInHandler", "crash_test.go", "some earlier warning"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	// A second crash in the same second gets its own file.
	g.Window(func() { panic("again") })
	if entries, _ := os.ReadDir(g.Dir); len(entries) != 2 {
		t.Fatalf("second log: %v", entries)
	}
}

// TestLogUnwritable: when the log cannot be written the message still
// says what happened.
func TestLogUnwritable(t *testing.T) {
	g, got := guard(t)
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o600)
	g.Dir = filepath.Join(f, "sub") // under a file: MkdirAll fails
	if code := g.Window(func() { panic("boom") }); code != 1 || len(*got) != 1 || !strings.Contains((*got)[0].msg, "boom") || !strings.Contains((*got)[0].msg, "未能保存") {
		t.Fatalf("code %d, shown %q", code, *got)
	}
}

// The message fits the system: no DISPLAY advice or console commands on Windows.
func TestNoDisplayMessagePerSystem(t *testing.T) {
	w, l := noDisplayMessage("windows"), noDisplayMessage("linux")
	if strings.Contains(w, "DISPLAY") || strings.Contains(w, "--help") || !strings.Contains(w, "OpenGL 2.1") {
		t.Errorf("windows: %s", w)
	}
	if !strings.Contains(l, "WAYLAND_DISPLAY") || !strings.Contains(l, "tuanwu --help") {
		t.Errorf("linux: %s", l)
	}
}
