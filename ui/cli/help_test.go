package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tuanwu/app"
	"tuanwu/ui/cli"
)

// --help, -h, help and COMMAND --help print the usage in Chinese on stdout
// and exit 0, touching no store.
func TestHelp(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--db", h.db, "--help"}} {
		if !cli.IsCommand(args) {
			t.Errorf("IsCommand(%q) = false: the window would open", args)
		}
		r := mustOK(t, h.raw(args...))
		for _, want := range []string{"用法", "全局参数", "--db", "退出状态", "transfer", "组织关系转接", "version"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%q lacks %q:\n%s", args, want, r.stdout)
			}
		}
	}
	for _, args := range [][]string{{"transfer", "--help"}, {"help", "transfer"}, {"transfer", "start", "--help"}, {"--json", "transfer", "-h"}} {
		r := mustOK(t, h.raw(args...))
		if !strings.Contains(r.stdout, "transfer start") || !strings.Contains(r.stdout, "升学") || strings.Contains(r.stdout, "member add") {
			t.Errorf("%q:\n%s", args, r.stdout)
		}
	}
	mustUsage(t, h.raw("help", "nosuch"))
	if _, err := os.Stat(h.db); err == nil {
		t.Error("help created the store")
	}
	// Every command has its help.
	for _, c := range cli.Commands {
		if r := mustOK(t, h.raw(c, "--help")); !strings.HasPrefix(r.stdout, c+"：") {
			t.Errorf("%s --help:\n%s", c, r.stdout)
		}
	}
}

// version on a --db that does not exist creates nothing.
func TestVersionCreatesNothing(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "没有的.db")
	r := mustOK(t, h.raw("--db", db, "version"))
	if !strings.Contains(r.stdout, "不存在") || !strings.Contains(r.stdout, app.Version) {
		t.Errorf("version: %s", r.stdout)
	}
	mustOK(t, h.raw("--db", db, "version", "--json"))
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("version created %v", entries)
	}
}
