package data

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

// names lists the entries of dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// Issue 10, item 8: a backup that fails after the copy was written leaves
// nothing in the target folder, neither the name nor a temporary file.
func TestBackupFailedLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	populate(t, s)
	dir := t.TempDir()
	path := filepath.Join(dir, "备份.db")
	backupTestHook = func(tmp string) error {
		// The copy is damaged on its way (a full disk, a bad sector).
		return os.Truncate(tmp, 1000)
	}
	err := s.Backup(ctx, path)
	backupTestHook = nil
	if err == nil {
		t.Fatal("a backup whose copy is damaged must fail its verification")
	}
	if !strings.Contains(app.ErrorMessage(err), "校验未通过") {
		t.Errorf("message %q", app.ErrorMessage(err))
	}
	if left := names(t, dir); len(left) != 0 {
		t.Errorf("a failed backup left %v", left)
	}
	// The name is free for the next backup, which works.
	if err := s.Backup(ctx, path); err != nil {
		t.Fatalf("Backup after a failed one: %v", err)
	}
}

// Issue 10, item 8: a backup killed (kill -9) before it finished leaves no
// file under the backup's name, and the next backup to that name works and
// removes what the killed one left.
func TestBackupKilled(t *testing.T) {
	pgtest.SQLiteOnly(t, "kills a file backup midway (the server backup: TestPGBackupToFile)")
	if runtime.GOOS == "windows" {
		t.Skip("kill -9 is a Unix test")
	}
	ctx := context.Background()
	dir := t.TempDir()
	store := filepath.Join(dir, "store.db")
	s, err := Open(store)
	if err != nil {
		t.Fatal(err)
	}
	populate(t, s)
	s.Close()
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o700)
	path := filepath.Join(out, "backup.db")

	cmd := exec.Command(os.Args[0], "-test.run=^TestBackupKilledChild$")
	cmd.Env = append(os.Environ(), "TUANWU_BACKUP_CHILD="+store+"|"+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "READY" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("the child backup ended without reaching the kill point")
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child backup did not reach the kill point in 30 s")
	}
	cmd.Process.Kill() // SIGKILL
	cmd.Wait()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a killed backup left a file under the backup's name: %v", err)
	}
	for _, n := range names(t, out) {
		if !strings.HasPrefix(n, ".") || !strings.Contains(n, "未完成") {
			t.Errorf("a killed backup left %q, which looks like a backup", n)
		}
	}
	s, err = Open(store)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Backup(ctx, path); err != nil {
		t.Fatalf("Backup after a killed one: %v", err)
	}
	if left := names(t, out); len(left) != 1 || left[0] != "backup.db" {
		t.Errorf("after the next backup the folder holds %v, want only backup.db", left)
	}
}

// TestBackupKilledChild is the process TestBackupKilled kills: it backs up
// and stops, waiting, once the copy is written.
func TestBackupKilledChild(t *testing.T) {
	pgtest.SQLiteOnly(t, "helper of TestBackupKilled")
	arg := os.Getenv("TUANWU_BACKUP_CHILD")
	if arg == "" {
		t.Skip("run by TestBackupKilled")
	}
	store, path, _ := strings.Cut(arg, "|")
	s, err := Open(store)
	if err != nil {
		t.Fatal(err)
	}
	backupTestHook = func(string) error {
		os.Stdout.WriteString("READY\n")
		time.Sleep(time.Minute)
		return nil
	}
	s.Backup(context.Background(), path)
}

// Issue 10, item 14: a folder given as the backup's name says so.
func TestBackupIntoFolder(t *testing.T) {
	s, _ := openTest(t)
	dir := t.TempDir()
	err := s.Backup(context.Background(), dir)
	if err == nil || !strings.Contains(app.ErrorMessage(err), "是一个文件夹") {
		t.Fatalf("Backup to a folder: %v", err)
	}
}
