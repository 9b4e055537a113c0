// Package crash keeps the window from dying silently: a window that cannot
// be opened (no display, GLFW or OpenGL cannot start) and a panic anywhere
// in the window both end in a Chinese message and exit status 1, never in
// a stack trace that a clerk does not see or cannot read. A panic's details
// (version, time, stack, Fyne's last log lines) go to a log file in the
// user's config folder, which the message names.
//
// The package imports nothing from Fyne, so it is tested without a display.
package crash

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Title is the caption of every message box.
const Title = "团务台"

// NoDisplayMessage is what the user reads when the window cannot be opened
// on this system.
var NoDisplayMessage = noDisplayMessage(runtime.GOOS)

func noDisplayMessage(goos string) string {
	m := "没有可用的图形显示，无法打开团务台窗口。\n\n" +
		"可能的原因与处理办法：\n" +
		"1. 在远程桌面、虚拟机或没有桌面的服务器上启动：请在电脑本机的桌面上双击启动团务台；虚拟机请开启“3D 加速”。\n" +
		"2. 显卡驱动太旧，不支持 OpenGL 2.1：请到电脑或显卡厂商的网站更新显卡驱动后再试。\n"
	if goos != "windows" && goos != "darwin" {
		m += "3. Linux：请在图形桌面中启动（需要设置 DISPLAY 或 WAYLAND_DISPLAY）。\n"
	}
	m += "\n数据没有受到任何影响。"
	if goos != "windows" { // the Windows .exe has no console for commands
		m += "不需要窗口的工作可以用命令行完成，例如：tuanwu --db 文件 version（详见 tuanwu --help）。"
	}
	return m
}

// LogDir is where crash logs are written: <user config dir>/tuanwu/崩溃记录.
func LogDir() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "tuanwu", "崩溃记录")
}

// Guard runs the window.
type Guard struct {
	Version string
	// Dir is the folder for crash logs; "" means LogDir().
	Dir string
	// Notify shows a message to the user; nil means Show (stderr, and a
	// native message box on Windows).
	Notify func(title, msg string)
	// Stderr receives Fyne's own log lines as well; nil means os.Stderr.
	Stderr io.Writer
	// Now gives the time of a crash; nil means time.Now.
	Now func() time.Time

	noDisplay sync.Once
}

func (g *Guard) notify(msg string) {
	if g.Notify != nil {
		g.Notify(Title, msg)
		return
	}
	Show(Title, msg)
}

// NoDisplay tells the user that no window can be opened and returns the
// exit status 1.
// It says so once, however many times the failure is seen.
func (g *Guard) NoDisplay() int {
	g.noDisplay.Do(func() { g.notify(NoDisplayMessage) })
	return 1
}

// Window runs open, which creates the window and runs its event loop, and
// returns the exit status: 0 when the window was closed normally, 1 after
// a display failure or a panic, each told to the user in Chinese.
//
// Fyne reports a failed GLFW or OpenGL start only in its log, and then
// panics in NewWindow, returns from ShowAndRun without a window, or, once
// its loop runs, calls os.Exit(1) at once: the log is watched for the time
// of open, and the message is shown as soon as such a line is written,
// before Fyne can exit.
func (g *Guard) Window(open func()) (code int) {
	fl := &tail{max: 16 << 10, onDisplayFailure: func() { g.NoDisplay() }}
	stderr := g.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	prev := log.Writer()
	log.SetOutput(io.MultiWriter(fl, stderr))
	defer log.SetOutput(prev)
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		stack := debug.Stack()
		if DisplayFailure(fmt.Sprint(r), fl.String()) {
			code = g.NoDisplay()
			return
		}
		code = g.crashed(r, stack, fl.String())
	}()
	open()
	if DisplayFailure("", fl.String()) {
		return g.NoDisplay()
	}
	return 0
}

// DisplayFailure reports whether a panic value or Fyne's log show that the
// window could not be opened (as opposed to a fault of the program).
func DisplayFailure(panicValue, fyneLog string) bool {
	for _, s := range []string{"window creation error", "failed to initialise GLFW", "failed to initialise OpenGL"} {
		if strings.Contains(fyneLog, s) {
			return true
		}
	}
	p := strings.ToLower(panicValue)
	for _, s := range []string{"glfw library is not initialized", "notinitialized", "apiunavailable", "versionunavailable", "platformerror", "failed to initialise glfw", "opengl"} {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

// crashed writes the crash log and tells the user where it is.
func (g *Guard) crashed(r any, stack []byte, fyneLog string) int {
	path, err := g.WriteLog(r, stack, fyneLog)
	var msg string
	if err != nil {
		msg = "团务台遇到意外错误，需要关闭。\n\n错误记录未能保存（" + err.Error() + "）。错误是：" + fmt.Sprint(r) +
			"\n\n已经完成的修改都已保存；出错时没有完成的那一步操作不会写入数据（数据库事务已撤销）。重新打开团务台即可继续工作。"
	} else {
		msg = "团务台遇到意外错误，需要关闭。\n\n错误记录已保存到：\n" + path +
			"\n\n请把这个文件发给技术支持人员。已经完成的修改都已保存；出错时没有完成的那一步操作不会写入数据（数据库事务已撤销）。重新打开团务台即可继续工作。"
	}
	g.notify(msg)
	return 1
}

// WriteLog writes a crash log (version, time, system, the panic, its stack
// and Fyne's last log lines) into the log folder and returns its path.
func (g *Guard) WriteLog(r any, stack []byte, fyneLog string) (string, error) {
	dir := g.Dir
	if dir == "" {
		dir = LogDir()
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	t := now()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "团务台崩溃记录\n版本：%s\n时间：%s\n系统：%s/%s，%s\n\n错误：%v\n\n调用栈：\n%s\n",
		g.Version, t.Format("2006-01-02 15:04:05 -0700"), runtime.GOOS, runtime.GOARCH, runtime.Version(), r, stack)
	if fyneLog != "" {
		fmt.Fprintf(&b, "\n界面库日志（最后部分）：\n%s\n", fyneLog)
	}
	base := "崩溃-" + t.Format("20060102-150405")
	for i := 0; ; i++ {
		name := base + ".log"
		if i > 0 {
			name = fmt.Sprintf("%s-%d.log", base, i)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) && i < 100 {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(b.Bytes())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return path, err
	}
}

// tail keeps the last max bytes written to it, and calls onDisplayFailure
// when a write shows that the window cannot be opened.
type tail struct {
	mu               sync.Mutex
	max              int
	buf              []byte
	onDisplayFailure func()
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	t.mu.Unlock()
	if t.onDisplayFailure != nil && DisplayFailure("", string(p)) {
		t.onDisplayFailure()
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
