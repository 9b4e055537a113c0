package data

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tuanwu/app"
	"tuanwu/data/pgtest"
)

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func setting(t *testing.T, s *Store, key string) string {
	t.Helper()
	var v string
	read(t, s, func(tx app.Tx) (err error) { v, err = tx.Setting(key); return err })
	return v
}

// Issue 10, item 9: a store left by a crash with a -wal full of changes is
// restored from a backup: the restored store opens whole with the backup's
// data (the stale -wal is not applied to it), and the replaced store is
// kept under a dated name with its -wal, its changes intact.
func TestRestoreOverStaleWAL(t *testing.T) {
	pgtest.SQLiteOnly(t, "restore replaces a store file")
	ctx := context.Background()
	s, _ := openTest(t)
	populate(t, s)
	backup := filepath.Join(t.TempDir(), "备份.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	// Changes after the backup, still only in the -wal: then "the power
	// goes": the files are copied as a crash leaves them.
	write(t, s, func(tx app.Tx) error { return tx.SetSetting("after_backup", "yes") })
	for i := 0; i < 50; i++ {
		write(t, s, func(tx app.Tx) error { return tx.SetSetting(fmt.Sprint("k", i), strings.Repeat("x", 2000)) })
	}
	dir := t.TempDir()
	store := filepath.Join(dir, "tuanwu.db")
	copyFile(t, s.path, store)
	copyFile(t, s.path+"-wal", store+"-wal")
	if fi, err := os.Stat(store + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("the crash image needs a non-empty -wal: %v", err)
	}

	at := time.Date(2026, 11, 30, 15, 4, 5, 0, app.Shanghai)
	kept, err := Restore(ctx, store, backup, at)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if want := filepath.Join(dir, "tuanwu.恢复前-20261130-150405.db"); kept != want {
		t.Errorf("kept as %q, want %q", kept, want)
	}
	if _, err := os.Stat(store + "-wal"); err == nil {
		t.Error("a -wal is left beside the restored store")
	}
	r, err := Open(store)
	if err != nil {
		t.Fatalf("the restored store does not open: %v", err)
	}
	noProblems(t, r)
	if v := setting(t, r, "after_backup"); v != "" {
		t.Errorf("the restored store has a change made after the backup: %q", v)
	}
	var n int
	read(t, r, func(tx app.Tx) (err error) { n, err = tx.CountMembers(app.MemberQuery{}); return err })
	if n != 3 {
		t.Errorf("restored store has %d members, want the backup's 3", n)
	}
	r.Close()
	k, err := Open(kept)
	if err != nil {
		t.Fatalf("the kept store does not open: %v", err)
	}
	defer k.Close()
	if v := setting(t, k, "after_backup"); v != "yes" {
		t.Errorf("the kept store lost the changes in its -wal: after_backup = %q", v)
	}
}

// Issue 10, item 9: what cannot be restored is refused and the store left
// byte for byte as it was.
func TestRestoreRefuses(t *testing.T) {
	pgtest.SQLiteOnly(t, "restore replaces a store file")
	ctx := context.Background()
	s, _ := openTest(t)
	populate(t, s)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := s.Backup(ctx, good); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	copyFile(t, good, newer)
	db, _ := sql.Open("sqlite3", newer)
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", LatestVersion()+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	other := filepath.Join(dir, "other.db")
	db, _ = sql.Open("sqlite3", other)
	db.Exec("CREATE TABLE notes(x)")
	db.Close()
	text := filepath.Join(dir, "text.db")
	os.WriteFile(text, []byte("不是备份"), 0o600)
	damaged := filepath.Join(dir, "damaged.db")
	copyFile(t, good, damaged)
	if err := os.Truncate(damaged, 8192); err != nil {
		t.Fatal(err)
	}

	store := filepath.Join(t.TempDir(), "tuanwu.db")
	copyFile(t, good, store)
	before, _ := os.ReadFile(store)
	for _, tc := range []struct{ from, want string }{
		{newer, "更新版本"},
		{other, "不是团务台数据文件"},
		{text, "不是团务台数据文件"},
		{damaged, "损坏"},
		{dir, "是一个文件夹"},
		{filepath.Join(dir, "missing.db"), "不存在"},
		{store, "当前的存储文件本身"},
	} {
		_, err := Restore(ctx, store, tc.from, time.Now())
		if err == nil || !strings.Contains(app.ErrorMessage(err), tc.want) {
			t.Errorf("Restore from %s: %v, want a message with %q", filepath.Base(tc.from), err, tc.want)
		}
	}
	if after, _ := os.ReadFile(store); string(before) != string(after) {
		t.Error("a refused restore changed the store")
	}
	// A store open in another window or command is not replaced.
	busy, err := Open(store)
	if err != nil {
		t.Fatal(err)
	}
	write(t, busy, func(tx app.Tx) error { return tx.SetSetting("still", "here") })
	_, err = Restore(ctx, store, good, time.Now())
	if err == nil || !strings.Contains(app.ErrorMessage(err), "正被另一个团务台窗口或命令使用") {
		t.Errorf("Restore over an open store: %v", err)
	}
	if v := setting(t, busy, "still"); v != "here" {
		t.Errorf("the open store lost its change: %q", v)
	}
	busy.Close()
	var left []string
	es, _ := os.ReadDir(filepath.Dir(store))
	for _, e := range es {
		if e.Name() != "tuanwu.db" {
			left = append(left, e.Name())
		}
	}
	if len(left) > 0 {
		t.Errorf("refused restores left files beside the store: %v", left)
	}
}

// oldStore makes a store at path with the schema before the latest.
func oldStore(t *testing.T, path string) {
	t.Helper()
	names, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, n := range names[:len(names)-1] {
		body, _ := migrationFS.ReadFile(n)
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(names)-1)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO settings(key, value) VALUES ('before_upgrade', 'yes')"); err != nil {
		t.Fatal(err)
	}
}

// Issue 10, item 10: opening a store of an older schema keeps a verified
// backup of it, as it was, in the 备份 folder before upgrading it.
func TestBackupBeforeMigration(t *testing.T) {
	pgtest.SQLiteOnly(t, "a file store upgraded in place")
	dir := t.TempDir()
	path := filepath.Join(dir, "tuanwu.db")
	oldStore(t, path)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Backups()
	if err != nil || len(list) != 1 || list[0].Kind != app.BackupPreMigration {
		t.Fatalf("backups after an upgrade: %+v, %v", list, err)
	}
	if !strings.Contains(filepath.Base(list[0].Path), fmt.Sprintf("升级前-v%d", LatestVersion()-1)) {
		t.Errorf("pre-upgrade backup named %s", list[0].Path)
	}
	info, err := VerifyBackup(context.Background(), list[0].Path)
	if err != nil || info.Schema != LatestVersion()-1 {
		t.Errorf("the pre-upgrade backup: schema %d, %v; want %d", info.Schema, err, LatestVersion()-1)
	}
	// A store already up to date takes none.
	s2, _ := openTest(t)
	if l, _ := s2.Backups(); len(l) != 0 {
		t.Errorf("an up-to-date store took %d backups", len(l))
	}
}

// Issue 10, item 10: the automatic backup is taken once a day into 备份/,
// verified and private, and old ones are rotated away.
func TestAutoBackup(t *testing.T) {
	pgtest.SQLiteOnly(t, "automatic backups beside a store file")
	ctx := context.Background()
	s, path := openTest(t)
	populate(t, s)
	write(t, s, func(tx app.Tx) error { return tx.SetSetting("root_org", "1") })
	svc := app.NewService(s)
	taken, err := svc.AutoBackup(ctx)
	if err != nil || !taken {
		t.Fatalf("first AutoBackup: %v, %v", taken, err)
	}
	if taken, err := svc.AutoBackup(ctx); err != nil || taken {
		t.Errorf("second AutoBackup the same day: %v, %v", taken, err)
	}
	list, _ := s.Backups()
	if len(list) != 1 || filepath.Dir(list[0].Path) != filepath.Join(filepath.Dir(path), "备份") {
		t.Fatalf("backups: %+v", list)
	}
	if _, err := VerifyBackup(ctx, list[0].Path); err != nil {
		t.Errorf("the automatic backup does not verify: %v", err)
	}
	// Forty old dailies: the rotation keeps at most 7 + 4 + 6 (with today's).
	for i := 1; i <= 40; i++ {
		at := time.Now().AddDate(0, 0, -i)
		copyFile(t, list[0].Path, filepath.Join(BackupDir(path), backupName(path, app.BackupAuto, 0, at)))
	}
	// Another store's backups in the same folder are not touched.
	foreign := filepath.Join(BackupDir(path), "其他-自动-20200101-000000.db")
	copyFile(t, list[0].Path, foreign)
	if _, err := svc.AutoBackup(ctx); err != nil {
		t.Fatal(err)
	}
	list, _ = s.Backups()
	if len(list) > app.KeepDaily+app.KeepWeekly+app.KeepMonthly || len(list) < app.KeepDaily {
		t.Errorf("after rotation %d backups are kept", len(list))
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("another store's backup was removed: %v", err)
	}
}

// Issue 10, item 9: the backup's audit chain is verified too; a backup
// whose trail holds a forged entry is not restored and the store is left
// as it was.
func TestRestoreRefusesTamperedTrail(t *testing.T) {
	pgtest.SQLiteOnly(t, "restore replaces a store file")
	ctx := context.Background()
	s, _ := openTest(t)
	populate(t, s)
	backup := filepath.Join(t.TempDir(), "备份.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO audit (at, actor, action) VALUES ('2026-01-01T00:00:00+08:00', '系统', '伪造')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dir := t.TempDir()
	store := filepath.Join(dir, "tuanwu.db")
	copyFile(t, s.path, store)
	_, err = Restore(ctx, store, backup, time.Now())
	if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), "操作日志") || err == nil {
		t.Fatalf("Restore of a tampered backup: %v", err)
	}
	if !IsStoreFile(store) {
		t.Error("the refused restore damaged the store")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*恢复*")); len(m) != 0 {
		t.Errorf("the refused restore left %v", m)
	}
}
