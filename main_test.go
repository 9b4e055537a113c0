package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNoDisplay: started with no display, the window says so in Chinese on
// stderr and exits 1, without a panic.
func TestNoDisplay(t *testing.T) {
	if os.Getenv("TUANWU_TEST_NODISPLAY") == "1" {
		os.Args = []string{"tuanwu", "--db", os.Getenv("TUANWU_TEST_DB")}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoDisplay$")
	cmd.Env = []string{"TUANWU_TEST_NODISPLAY=1", "TUANWU_TEST_DB=" + t.TempDir() + "/t.db", "HOME=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, stderr %q", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "没有可用的图形显示") || strings.Contains(stderr.String(), "panic") {
		t.Fatalf("stderr = %q", stderr.String())
	}
}

// TestHeadlessNeedsNoDisplay: a headless command runs with no display.
func TestHeadlessNeedsNoDisplay(t *testing.T) {
	if os.Getenv("TUANWU_TEST_HEADLESS") == "1" {
		os.Args = []string{"tuanwu", "version", "--json"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHeadlessNeedsNoDisplay$")
	cmd.Env = []string{"TUANWU_TEST_HEADLESS=1", "HOME=" + t.TempDir()}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("version: %v", err)
	}
	if !strings.Contains(string(out), `"schema":`) {
		t.Fatalf("version output %q", out)
	}
}

// runMain runs main() in a child test process with env and returns its
// exit code and stderr.
func runMain(t *testing.T, name string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$")
	cmd.Env = append([]string{"TUANWU_TEST_CHILD=1", "TUANWU_TEST_ARGS=" + strings.Join(args, "\x1f"), "LANG=C.UTF-8"}, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return 0, stderr.String()
	}
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Fatalf("run: %v", err)
	}
	return ee.ExitCode(), stderr.String()
}

// TestMain runs main() itself, on the main goroutine as Fyne requires,
// in a child process started by runMain.
func TestMain(m *testing.M) {
	if os.Getenv("TUANWU_TEST_CHILD") == "1" {
		os.Args = append([]string{"tuanwu"}, strings.Split(os.Getenv("TUANWU_TEST_ARGS"), "\x1f")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestDisplayCannotOpen: DISPLAY names an X server that is not there, so
// GLFW cannot start inside Fyne: the Chinese message, exit 1, no panic.
func TestDisplayCannotOpen(t *testing.T) {
	home := t.TempDir()
	code, stderr := runMain(t, "TestDisplayCannotOpen", []string{"DISPLAY=:987", "HOME=" + home, "XDG_CONFIG_HOME=" + home}, "--db", home+"/t.db")
	if code != 1 || !strings.Contains(stderr, "没有可用的图形显示") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// TestWindowPanicLog: a panic in the running window (under Xvfb) is
// written to <config>/tuanwu/崩溃记录 with the version and stack, and the
// message names that file; exit 1, no trace on stderr.
func TestWindowPanicLog(t *testing.T) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		t.Skip("no Xvfb")
	}
	disp := ":" + strconv.Itoa(150+os.Getpid()%500)
	x := exec.Command(xvfb, disp, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Skip("Xvfb:", err)
	}
	defer func() { x.Process.Kill(); x.Wait() }()
	time.Sleep(time.Second)
	home := t.TempDir()
	code, stderr := runMain(t, "TestWindowPanicLog", []string{"DISPLAY=" + disp, "HOME=" + home, "XDG_CONFIG_HOME=" + home, "TUANWU_TEST_PANIC=1"}, "--db", home+"/t.db")
	if code != 1 || !strings.Contains(stderr, "意外错误") || strings.Contains(stderr, "goroutine ") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	logs, _ := filepath.Glob(filepath.Join(home, "tuanwu", "崩溃记录", "*.log"))
	if len(logs) != 1 || !strings.Contains(stderr, logs[0]) {
		t.Fatalf("logs %v, stderr %q", logs, stderr)
	}
	b, _ := os.ReadFile(logs[0])
	for _, want := range []string{"版本：" + version, "TUANWU_TEST_PANIC", "goroutine", "openWindow"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("log lacks %q:\n%s", want, b)
		}
	}
}
