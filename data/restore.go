package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"tuanwu/app"
	"tuanwu/data/files"

	"github.com/mattn/go-sqlite3"
)

// storeBusy reports whether another connection (a window or a command) has
// the store at path open. Leaving WAL mode needs the only connection, so it
// fails (or leaves the mode unchanged) while another one is open; when it
// succeeds the -wal has been folded into the file and removed.
func storeBusy(path string) (bool, error) {
	db, err := sql.Open("sqlite3", path+"?_busy_timeout=0")
	if err != nil {
		return false, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var mode string
	err = db.QueryRow("PRAGMA journal_mode=DELETE").Scan(&mode)
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked) {
		return true, nil
	}
	if err == nil && mode == "wal" {
		return true, nil
	}
	return false, nil // a damaged store is replaced all the same
}

// Restore replaces the store file at storePath, which no one may have open,
// with a verified copy of the backup from. The replaced store is kept beside
// it under a dated name (returned; "" when there was none), with its -wal
// when it had one; stale -wal and -shm files are removed before the copy
// takes the store's name in one rename, so the restored store never meets
// another store's log.
func Restore(ctx context.Context, storePath, from string, at time.Time) (kept string, err error) {
	if IsServerURL(storePath) {
		return "", app.Errorf(app.EInvalid, "学校服务器上的存储不能用 restore 替换：请由信息中心用 pg_restore 或时间点恢复来恢复。要把备份文件搬上服务器，请在空数据库上用 migrate --to。")
	}
	if abs1, e1 := filepath.Abs(storePath); e1 == nil {
		if abs2, e2 := filepath.Abs(from); e2 == nil && abs1 == abs2 {
			return "", app.Errorf(app.EInvalid, "备份文件就是当前的存储文件本身，请选择另一个备份文件。")
		}
	}
	if _, err := VerifyBackup(ctx, from); err != nil {
		return "", err
	}
	dir := filepath.Dir(storePath)
	if err := files.MkdirPrivate(dir); err != nil {
		return "", app.Wrap(app.EStore, err, "无法建立存储文件所在的文件夹“%s”，请检查权限。", dir)
	}
	fi, statErr := os.Stat(storePath)
	exists := statErr == nil
	if exists && fi.IsDir() {
		return "", app.Errorf(app.EInvalid, "“%s”是一个文件夹，不是存储文件。", storePath)
	}
	if exists && fi.Size() > 0 && IsStoreFile(storePath) {
		busy, err := storeBusy(storePath)
		if err != nil {
			return "", err
		}
		if busy {
			return "", app.Errorf(app.EConflict, "存储文件“%s”正被另一个团务台窗口或命令使用，不能替换。请先关闭它，再从备份恢复。", storePath)
		}
	}
	// The copy, beside the store, private, flushed and verified.
	f, err := os.CreateTemp(dir, "."+filepath.Base(storePath)+".恢复中-*")
	if err != nil {
		return "", app.Wrap(app.EStore, err, "无法在“%s”写入文件，请检查权限和磁盘空间。", dir)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := copyInto(f, from); err != nil {
		return "", app.Wrap(app.EStore, err, "复制备份文件失败，存储没有改动。请检查磁盘空间后重试。")
	}
	info, err := verifyStoreFile(ctx, tmp, 0)
	if err != nil {
		return "", app.Wrap(app.EStore, err, "复制出的备份校验未通过，存储没有改动。请重试。")
	}
	if err := verifyBackupChain(ctx, tmp, info.Schema); err != nil {
		return "", err
	}
	// Keep the replaced store, with its log, under a dated name.
	if exists {
		ext := filepath.Ext(storePath)
		kept = strings.TrimSuffix(storePath, ext) + ".恢复前-" + at.In(app.Shanghai).Format(stampLayout) + ext
		if err := keepCopy(storePath, kept); err != nil {
			return "", app.Wrap(app.EStore, err, "无法保留原存储的副本“%s”，存储没有改动。请检查磁盘空间和权限。", kept)
		}
		if wal, err := os.Stat(storePath + "-wal"); err == nil && wal.Size() > 0 {
			if err := keepCopy(storePath+"-wal", kept+"-wal"); err != nil {
				return "", app.Wrap(app.EStore, err, "无法保留原存储的日志副本，存储没有改动。请检查磁盘空间和权限。")
			}
		}
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(storePath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return kept, app.Wrap(app.EStore, err, "无法删除旧的“%s”文件，存储没有改动。请检查权限。", filepath.Base(storePath+suffix))
		}
	}
	if err := os.Rename(tmp, storePath); err != nil {
		return kept, app.Wrap(app.EStore, err, "无法用备份替换存储文件“%s”，存储没有改动。请检查权限。", storePath)
	}
	if err := files.SyncDir(dir); err != nil {
		return kept, app.Wrap(app.EStore, err, "恢复已完成，但无法确认写入磁盘，请检查磁盘。")
	}
	return kept, nil
}

// verifyBackupChain walks the audit chain of the store file at path (R-X6,
// issue 10): a backup whose trail was tampered with is not restored. Files
// older than the chain (schema below 5) are chained when first opened.
func verifyBackupChain(ctx context.Context, path string, schema int) error {
	if schema < 5 {
		return nil
	}
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro&immutable=1")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer tx.Rollback()
	chain, err := verifyAuditTx(ctx, tx)
	if err != nil {
		return err
	}
	if len(chain.Problems) > 0 {
		return app.Errorf(app.EInvalid, "备份文件的操作日志校验未通过（%s），为免恢复出被改动过的记录，存储没有改动。请选择另一个备份。", strings.TrimSuffix(chain.Problems[0], "。"))
	}
	return nil
}

// copyInto copies the file at from into f, flushes and closes f.
func copyInto(f *os.File, from string) error {
	defer f.Close()
	if err := f.Chmod(files.FileMode); err != nil {
		return fmt.Errorf("chmod: %w", err)
	}
	src, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("open backup: %w", err)
	}
	defer src.Close()
	if _, err := io.Copy(f, src); err != nil {
		return fmt.Errorf("copy backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	return f.Close()
}

// keepCopy makes dst a private copy of src: a hard link where the file
// system has them, else a byte copy.
func keepCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	f, err := files.CreateNew(dst)
	if err != nil {
		return err
	}
	if err := copyInto(f, src); err != nil {
		os.Remove(dst)
		return err
	}
	return nil
}
