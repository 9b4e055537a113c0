package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
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
