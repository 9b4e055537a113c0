//go:build linux

package xlsx_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// peakRSS runs ReadMembers on the file at path in a child process (this
// test binary, started again) and returns the child's peak resident set in
// bytes (VmHWM, as the child reads it at its end: the rusage of a child
// started by vfork also counts its parent's pages) and what ReadMembers
// answered: "ok N" (rows read) or "err MESSAGE".
func peakRSS(t *testing.T, path string) (uint64, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestReadMembersChild$", "-test.v")
	cmd.Env = append(os.Environ(), "TUANWU_CHILD_READ="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child reading %s: %v\n%s", path, err, out)
	}
	answer, rss := "", uint64(0)
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if s, ok := strings.CutPrefix(line, "answer: "); ok {
			answer = s
		}
		if s, ok := strings.CutPrefix(line, "peak: "); ok {
			kb, _ := strconv.ParseUint(s, 10, 64)
			rss = kb << 10
		}
	}
	if rss == 0 {
		t.Fatalf("child reading %s said no peak:\n%s", path, out)
	}
	return rss, answer
}

// printPeak prints the process's peak resident set (VmHWM) in kilobytes.
func printPeak() {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			os.Stdout.WriteString("peak: " + f[1] + "\n")
		}
	}
}
