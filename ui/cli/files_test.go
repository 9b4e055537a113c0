package cli_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"tuanwu/data/pgtest"
)

// Issue 10, items 8 and 14: a folder given as --db, or as --out, says so
// (not 意外错误, not 已存在) and nothing is created in it.
func TestFolderAsFileSaysSo(t *testing.T) {
	h := initStore(t)
	dir := t.TempDir()
	msg := mustRefuse(t, h.raw("org", "list", "--db", dir, "--as", adminID))
	if !strings.Contains(msg, "是一个文件夹") || strings.Contains(msg, "意外") {
		t.Errorf("--db folder: %q", msg)
	}
	for _, args := range [][]string{
		{"member", "export", "--org", rootName, "--out", dir},
		{"backup", "--out", dir},
		{"report", "errors", "--out", dir},
	} {
		msg := mustRefuse(t, h.as(adminID, args...))
		if !strings.Contains(msg, "是一个文件夹") || strings.Contains(msg, "已存在") || strings.Contains(msg, "意外") {
			t.Errorf("%v: %q", args, msg)
		}
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("refused commands left %d entries in the folder", len(es))
	}
}

// Issue 10, item 8: an empty file or one with a zero header given as the
// store is refused as not a 团务台 data file and never initialised, whatever
// the command.
func TestEmptyFileIsNotAStore(t *testing.T) {
	pgtest.SQLiteOnly(t, "about files that are not stores")
	h := newHarness(t)
	for _, content := range [][]byte{nil, make([]byte, 4096)} {
		if err := os.WriteFile(h.db, content, 0o600); err != nil {
			t.Fatal(err)
		}
		h.env["TUANWU_PASSWORD"] = "whatever1"
		for _, args := range [][]string{
			{"org", "list", "--as", adminID},
			{"init", "--org", rootName, "--province", "浙江", "--admin-name", adminName, "--admin-id", adminID},
			{"demo", "--members", "10"},
		} {
			msg := mustRefuse(t, h.run(args...))
			if !strings.Contains(msg, "不是团务台数据文件") {
				t.Errorf("%v on a %d-byte file: %q", args[0], len(content), msg)
			}
			if b, err := os.ReadFile(h.db); err != nil || len(b) != len(content) || strings.Trim(string(b), "\x00") != "" {
				t.Fatalf("%v changed the refused file (%d bytes, %v)", args[0], len(b), err)
			}
			if _, err := os.Stat(h.db + "-wal"); err == nil {
				t.Errorf("%v left a -wal beside the refused file", args[0])
			}
		}
	}
}

// Issue 10, item 4: exports and backups written by commands are private (0600).
func TestExportsArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix modes")
	}
	h := initStore(t)
	dir := t.TempDir()
	roster := filepath.Join(dir, "名册.xlsx")
	backup := filepath.Join(dir, "备份.db")
	mustOK(t, h.as(adminID, "member", "export", "--org", rootName, "--out", roster))
	mustOK(t, h.as(adminID, "backup", "--out", backup))
	files := []string{roster, backup}
	if !pgtest.OnPG() {
		files = append(files, h.db) // the store itself, when it is a file
	}
	for _, p := range files {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(p), m)
		}
	}
}
