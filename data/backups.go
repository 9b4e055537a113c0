package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"tuanwu/app"
	"tuanwu/data/files"
)

var _ app.BackupShelf = (*Store)(nil)

// BackupFolder is the name of the folder beside a store that holds its
// automatic and pre-upgrade backups.
const BackupFolder = "备份"

// BackupDir returns the folder of the store's automatic backups.
func BackupDir(storePath string) string {
	return filepath.Join(filepath.Dir(storePath), BackupFolder)
}

// stem is the store's file name without its extension.
func stem(storePath string) string {
	base := filepath.Base(storePath)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

const stampLayout = "20060102-150405"

// backupName is a backup's file name: 团务台-自动-20261130-150405.db or
// 团务台-升级前-v3-20261130-150405.db.
func backupName(storePath, kind string, version int, at time.Time) string {
	tag := kind
	if kind == app.BackupPreMigration {
		tag = fmt.Sprintf("%s-v%d", kind, version)
	}
	return fmt.Sprintf("%s-%s-%s.db", stem(storePath), tag, at.In(app.Shanghai).Format(stampLayout))
}

var backupNameRE = regexp.MustCompile(`^(.*)-(自动|升级前|操作前)(?:-v\d+)?-(\d{8}-\d{6})\.db$`)

// listBackups returns the backups of the store at storePath in its folder.
func listBackups(storePath string) ([]app.BackupFile, error) {
	dir := BackupDir(storePath)
	es, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, app.Wrap(app.EStore, err, "无法读取备份文件夹“%s”，请检查权限。", dir)
	}
	var out []app.BackupFile
	for _, e := range es {
		m := backupNameRE.FindStringSubmatch(e.Name())
		if m == nil || m[1] != stem(storePath) || !e.Type().IsRegular() {
			continue
		}
		at, err := time.ParseInLocation(stampLayout, m[3], app.Shanghai)
		if err != nil {
			continue
		}
		b := app.BackupFile{Path: filepath.Join(dir, e.Name()), Kind: m[2], At: at}
		if fi, err := e.Info(); err == nil {
			b.Size = fi.Size()
		}
		out = append(out, b)
	}
	return out, nil
}

// Backups returns the store's automatic and pre-upgrade backups.
// A server store has none: its backups are the server's (pg_dump, PITR).
func (s *Store) Backups() ([]app.BackupFile, error) {
	if s.pg {
		return nil, nil
	}
	return listBackups(s.path)
}

// TakeBackup writes a verified backup of the given kind into the backup folder.
func (s *Store) TakeBackup(ctx context.Context, kind string, at time.Time) (app.BackupFile, error) {
	if s.pg {
		return app.BackupFile{}, app.Errorf(app.EInvalid, "学校服务器上的数据由信息中心备份（pg_dump 或时间点恢复），本机不另存自动备份；要留一份文件，请用 backup --out 文件.db。")
	}
	return s.takeBackup(ctx, kind, s.version, at)
}

func (s *Store) takeBackup(ctx context.Context, kind string, version int, at time.Time) (app.BackupFile, error) {
	dir := BackupDir(s.path)
	if err := files.MkdirPrivate(dir); err != nil {
		return app.BackupFile{}, app.Wrap(app.EStore, err, "无法建立备份文件夹“%s”，请检查权限。", dir)
	}
	b := app.BackupFile{Path: filepath.Join(dir, backupName(s.path, kind, version, at)), Kind: kind, At: at}
	if _, err := os.Lstat(b.Path); err == nil {
		return b, nil // taken this very second
	}
	if err := s.backupTo(ctx, b.Path); err != nil {
		return b, err
	}
	if fi, err := os.Stat(b.Path); err == nil {
		b.Size = fi.Size()
	}
	return b, nil
}

// RemoveBackup deletes one of the store's backups (only a file in its backup folder).
func (s *Store) RemoveBackup(b app.BackupFile) error {
	if filepath.Dir(b.Path) != BackupDir(s.path) || backupNameRE.FindString(filepath.Base(b.Path)) == "" {
		return fmt.Errorf("remove backup %s: not in %s", b.Path, BackupDir(s.path))
	}
	if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove backup: %w", err)
	}
	return nil
}

// backupBeforeMigration keeps the store as it was before upgrading it from
// schema version from, and rotates the earlier such backups.
func (s *Store) backupBeforeMigration(from int) error {
	if _, err := s.takeBackup(context.Background(), app.BackupPreMigration, from, time.Now()); err != nil {
		return app.Wrap(app.EStore, err, "升级存储结构之前的备份没有成功，存储没有改动。请检查“%s”所在磁盘的空间和权限后重试。", s.path)
	}
	list, err := listBackups(s.path)
	if err != nil {
		return nil // the backup is taken; rotation waits for the next time
	}
	for _, b := range app.BackupsToRemove(list) {
		if b.Kind == app.BackupPreMigration {
			s.RemoveBackup(b)
		}
	}
	return nil
}

// VerifyBackup checks that the file at path is a whole 团务台 store this
// program can use: SQLite, integrity check passed, the 团务台 tables, a
// schema not newer than this program's. It never changes the file.
func VerifyBackup(ctx context.Context, path string) (StoreInfo, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return StoreInfo{}, app.Errorf(app.ENotFound, "备份文件“%s”不存在，请核对文件名。", path)
	case err != nil:
		return StoreInfo{}, app.Wrap(app.EIO, err, "无法读取备份文件“%s”，请检查文件权限。", path)
	case fi.IsDir():
		return StoreInfo{}, app.Errorf(app.EInvalid, "“%s”是一个文件夹，不是备份文件。请指定备份文件，例如 %s。", path, filepath.Join(path, "团务台备份.db"))
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return StoreInfo{}, app.Errorf(app.EInvalid, "“%s”旁边有它未写完的 -wal 文件：它可能正被团务台使用，不是备份。请先关闭使用它的团务台，或用 backup 生成的备份恢复。", path)
	}
	return verifyStoreFile(ctx, path, 0)
}

// Backup writes a consistent copy of the store to path with VACUUM INTO.
// The copy is written under a temporary name beside path, verified
// (integrity check, this program's schema), flushed to disk and only then
// given its name, so a killed or failed backup leaves nothing that looks like
// a backup; the file is private (0600).
func (s *Store) Backup(ctx context.Context, path string) error {
	if files.IsDir(path) {
		return app.Errorf(app.EInvalid, "“%s”是一个文件夹。请写出备份文件的名字，例如 %s。", path, filepath.Join(path, "团务台备份.db"))
	}
	if _, err := os.Lstat(path); err == nil {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个备份文件名，以免覆盖。", path)
	}
	return s.backupTo(ctx, path)
}

// backupTestHook, when set by a test, runs after the copy is written and
// before it is verified; an error makes the backup fail there.
var backupTestHook func(tmp string) error

// backupTo writes the verified copy; path must not exist.
func (s *Store) backupTo(ctx context.Context, path string) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if fi, serr := os.Stat(dir); serr != nil || !fi.IsDir() {
		return app.Errorf(app.EStore, "备份位置的文件夹“%s”不存在，请先建立它，或换一个位置。", dir)
	}
	// Leftovers of a killed backup to the same name are ours to remove.
	if old, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".未完成-*")); len(old) > 0 {
		for _, o := range old {
			os.Remove(o)
		}
	}
	f, err := os.CreateTemp(dir, "."+base+".未完成-*")
	if err != nil {
		return app.Wrap(app.EStore, err, "无法在“%s”写入备份，请检查该位置是否可写。", dir)
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := os.Chmod(tmp, files.FileMode); err != nil {
		return app.Wrap(app.EStore, err, "无法把备份文件设为仅本人可读写，请检查该位置的权限。")
	}
	if s.pg {
		// From the server: a SQLite store file that opens offline (pgcopy.go).
		if err := s.copyToFile(ctx, tmp); err != nil {
			return err
		}
	} else if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		var se sqlite3.Error
		if errors.As(err, &se) && se.Code == sqlite3.ErrFull {
			return app.Wrap(app.EStore, err, "磁盘空间不足，备份没有完成（没有留下不完整的备份文件）。请清理磁盘或换一个位置后重试。")
		}
		return app.Wrap(app.EStore, err, "备份到“%s”失败，请检查该位置是否可写、磁盘空间是否充足。", path)
	}
	if backupTestHook != nil {
		if err := backupTestHook(tmp); err != nil {
			return err
		}
	}
	if _, err := verifyStoreFile(ctx, tmp, s.version); err != nil {
		return app.Wrap(app.EStore, err, "备份文件校验未通过，备份没有完成，请重新备份。")
	}
	if err := files.SyncFile(tmp); err != nil {
		return app.Wrap(app.EStore, err, "备份文件无法写入磁盘，请检查磁盘空间后重试。")
	}
	if err := files.Publish(tmp, path); errors.Is(err, os.ErrExist) {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个备份文件名，以免覆盖。", path)
	} else if err != nil {
		return app.Wrap(app.EStore, err, "备份文件无法改名为“%s”，请检查该位置的权限。", path)
	}
	return nil
}

func globEscape(s string) string {
	r := strings.NewReplacer("*", "[*]", "?", "[?]", "[", "[[]", "\\", "[\\]")
	return r.Replace(s)
}

// StoreInfo is what verifying a store file found.
type StoreInfo struct {
	Schema int    // its schema version
	Root   string // its root organization's name; "" for a store not yet set up
}

// verifyStoreFile opens the SQLite file at path read-only and checks that it
// is a whole 团务台 store: the integrity check passes and its schema is one
// this program knows (want > 0: exactly that version). It never writes it.
func verifyStoreFile(ctx context.Context, path string, want int) (StoreInfo, error) {
	var info StoreInfo
	if !IsStoreFile(path) {
		return info, app.Errorf(app.EInvalid, "文件“%s”不是团务台数据文件。", path)
	}
	b, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro&immutable=1")
	if err != nil {
		return info, fmt.Errorf("open %s: %w", path, err)
	}
	defer b.Close()
	var res string
	if err := b.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		return info, app.Wrap(app.EInvalid, err, "文件“%s”已损坏（完整性检查未通过），不能使用。", path)
	}
	if err := b.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.Schema); err != nil {
		return info, fmt.Errorf("schema of %s: %w", path, err)
	}
	latest := LatestVersion()
	switch {
	case info.Schema > latest:
		return info, app.Errorf(app.EInvalid, "文件“%s”由更新版本的团务台创建（结构版本 %d，本程序只认识到版本 %d），请升级团务台后再使用它。", path, info.Schema, latest)
	case info.Schema == 0:
		return info, app.Errorf(app.EInvalid, "文件“%s”不是团务台数据文件（没有团务台的数据结构）。", path)
	case want > 0 && info.Schema != want:
		return info, app.Errorf(app.EInvalid, "文件“%s”的结构版本是 %d，应为 %d。", path, info.Schema, want)
	}
	var tables int
	if err := b.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('orgs', 'members', 'accounts', 'settings', 'audit')").Scan(&tables); err != nil || tables != 5 {
		return info, app.Wrap(app.EInvalid, err, "文件“%s”不是团务台数据文件（缺少团务台的数据表）。", path)
	}
	err = b.QueryRowContext(ctx, "SELECT o.name FROM settings s JOIN orgs o ON o.id = CAST(s.value AS INTEGER) WHERE s.key = 'root_org'").Scan(&info.Root)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return info, fmt.Errorf("root of %s: %w", path, err)
	}
	return info, nil
}
