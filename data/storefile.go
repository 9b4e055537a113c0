package data

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"tuanwu/app"
	"tuanwu/data/files"
)

// checkStoreFile makes sure path can be a store before SQLite touches it:
// a missing file is created empty and private (0600, in a 0700 folder when
// the folder is new; SQLite gives the -wal and -shm files the same mode);
// an existing one must be a writable file that starts with the SQLite
// header. An empty file or any other file is refused as not a 团务台 data
// file and left as it was, never initialised.
func checkStoreFile(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := files.MkdirPrivate(dir); err != nil {
			if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
				return app.Wrap(app.EStore, err, "“%s”是一个文件，不是文件夹，无法在其中建立存储。请换一个位置。", dir)
			}
			return app.Wrap(app.EStore, err, "无法创建存储文件所在的文件夹“%s”，请检查权限或换一个位置。", dir)
		}
	}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		f, err := files.CreateNew(path)
		if err != nil {
			return app.Wrap(app.EStore, err, "无法在“%s”建立存储文件，请检查该文件夹是否可写，或换一个位置。", filepath.Dir(path))
		}
		return f.Close()
	}
	if err != nil {
		return app.Wrap(app.EStore, err, "无法读取存储文件“%s”，请检查文件权限。", path)
	}
	if fi.IsDir() {
		return app.Errorf(app.EStore, "“%s”是一个文件夹，不是团务台数据文件。请指定文件夹中的 .db 文件（例如 %s），或换一个新文件名建立存储。", path, filepath.Join(path, "tuanwu.db"))
	}
	if !fi.Mode().IsRegular() {
		return app.Errorf(app.EStore, "“%s”不是普通文件，不是团务台数据文件。请指定 .db 文件。", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return app.Wrap(app.EStore, err, "存储文件“%s”是只读的或无权访问，无法保存修改。请检查文件权限，或把它复制到可写的位置再打开。", path)
	}
	head := make([]byte, len(sqliteHeader))
	n, _ := io.ReadFull(f, head)
	f.Close()
	if n == 0 && fi.Size() == 0 {
		// An empty file: a store whose first write is still in its -wal is
		// recovered by SQLite; any other empty file is not ours.
		if wal, err := os.Stat(path + "-wal"); err != nil || wal.Size() == 0 {
			return app.Errorf(app.EStore, "文件“%s”是空的，不是团务台数据文件，程序没有改动它。请用 --db 指定正确的存储文件；要新建存储，请换一个不存在的文件名（或先删除这个空文件）。", path)
		}
	} else if string(head[:n]) != sqliteHeader {
		return app.Errorf(app.EStore, "文件“%s”不是团务台数据文件，程序没有改动它。请选择正确的 .db 文件。", path)
	}
	if err := files.MakePrivate(path); err != nil {
		return app.Wrap(app.EStore, err, "无法把存储文件“%s”设为仅本人可读写，请检查文件权限。", path)
	}
	return nil
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// IsStoreFile reports whether path exists and starts with the SQLite header.
func IsStoreFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 16)
	n, _ := f.Read(b)
	return n == 16 && strings.HasPrefix(string(b), "SQLite format 3")
}
