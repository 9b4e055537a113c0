//go:build unix

package data

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// mode returns path's permission bits.
func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// Issue 10, item 4: the store holds full 身份证号 and phone numbers: its
// new folder is 0700, the store, its -wal and -shm files and its backups
// 0600, even under the usual umask 022; an older store made 0644 becomes 0600.
func TestPrivateFiles(t *testing.T) {
	pgtest.SQLiteOnly(t, "file modes")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "tuanwu")
	path := filepath.Join(dir, "tuanwu.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	populate(t, s)
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("data folder mode %v, want 0700", m)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(p), m)
		}
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, backup); m != 0o600 {
		t.Errorf("backup mode %v, want 0600", m)
	}

	// A store an older version left readable by others is made private.
	os.Chmod(backup, 0o644)
	b, err := Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	read(t, b, func(tx app.Tx) (err error) { n, err = tx.CountOrgs(); return err })
	b.Close()
	if n == 0 {
		t.Error("the opened backup has no organizations")
	}
	if m := mode(t, backup); m != 0o600 {
		t.Errorf("an opened 0644 store stays %v, want 0600", m)
	}
}
