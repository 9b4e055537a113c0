package main

import (
	"os"
	"runtime"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/ui"
	"tuanwu/ui/cli"
	"tuanwu/ui/crash"
)

// hasDisplay reports whether a window can be opened: on Linux and the BSDs
// an X11 or Wayland display must be set.
func hasDisplay() bool {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

func runWindow(args []string) int {
	path := cli.StorePath(args)
	g := &crash.Guard{Version: version}
	if !hasDisplay() {
		return g.NoDisplay()
	}
	// Every failure of the window (no display, GLFW or OpenGL that cannot
	// start, a panic in any handler) ends in a Chinese message and exit 1.
	// No store named (--db, TUANWU_DB): the window may offer the school
	// server it used last (ui/server.go).
	offer := path == cli.DefaultDB() && os.Getenv("TUANWU_DB") == ""
	return g.Window(func() { openWindow(path, offer) })
}

func openWindow(path string, offerServer bool) {
	a := fyneapp.NewWithID("cn.tuanwu.desktop")
	// Esc, Enter and F5 reach the window's handler even when a field has
	// the focus (ui/keys.go): hooked once the window is on screen.
	var hooks []func()
	ui.KeyHook = func(w fyne.Window, handle func(*fyne.KeyEvent) bool) {
		hooks = append(hooks, func() { hookKeys(w, handle) })
	}
	a.Lifecycle().SetOnStarted(func() {
		for _, h := range hooks {
			h()
		}
		hooks = nil
	})
	w := a.NewWindow("团务台") // ui.New sizes it to fit (and remembers the last size)
	u := ui.New(a, w, func(p string) (*app.Service, error) {
		st, err := data.Open(p)
		if err != nil {
			return nil, err
		}
		return app.NewService(st), nil
	}, path)
	u.Codecs = codecs
	u.OpenServer = func(loc, password string) (*app.Service, error) {
		st, err := data.OpenWithPassword(loc, password)
		if err != nil {
			return nil, err
		}
		return app.NewService(st), nil
	}
	u.OfferServer = offerServer
	u.Restore = data.Restore
	u.UseSystemDialogs() // the system's file dialogs and viewer
	u.OneWindow = true   // a second window on the same store brings the first forward
	u.Start()
	w.SetMaster()
	if os.Getenv("TUANWU_TEST_PANIC") == "1" {
		// For the crash-log test of the built program (main_test.go).
		a.Lifecycle().SetOnStarted(func() { fyne.Do(func() { panic("TUANWU_TEST_PANIC: a deliberate panic in the window") }) })
	}
	w.ShowAndRun()
}
