package main

import (
	"fmt"
	"os"
	"runtime"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"tuanwu/app"
	"tuanwu/data"
	"tuanwu/data/xlsx"
	"tuanwu/ui"
	"tuanwu/ui/cli"
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
	path := cli.DefaultDB()
	for i := 0; i < len(args); i++ {
		if args[i] == "--db" && i+1 < len(args) {
			path = args[i+1]
			i++
		} else if len(args[i]) > 5 && args[i][:5] == "--db=" {
			path = args[i][5:]
		}
	}
	if !hasDisplay() {
		fmt.Fprintln(os.Stderr, "没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开团务台窗口。请在桌面环境中启动，或使用无界面命令（例如 tuanwu --db 文件 version）。")
		return 1
	}
	a := fyneapp.NewWithID("cn.tuanwu.desktop")
	w := a.NewWindow("团务台")
	w.Resize(fyne.NewSize(1200, 780))
	u := ui.New(a, w, func(p string) (*app.Service, error) {
		st, err := data.Open(p)
		if err != nil {
			return nil, err
		}
		return app.NewService(st), nil
	}, path)
	u.Codecs = ui.Codecs{ReadMembers: xlsx.ReadMembers, WriteTemplate: xlsx.WriteTemplate, WriteRoster: writeRoster,
		WriteErrorReport: xlsx.WriteErrorReport, WriteUnmarked: xlsx.WriteUnmarked, WriteAbroadRegister: xlsx.WriteAbroadRegister, WriteGraduates: xlsx.WriteGraduates,
		WriteLetters: writeLetters}
	u.Restore = data.Restore
	u.Start()
	w.SetMaster()
	w.ShowAndRun()
	return 0
}
