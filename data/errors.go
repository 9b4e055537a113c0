package data

import (
	"errors"
	"fmt"
	"tuanwu/app"

	"github.com/mattn/go-sqlite3"
)

// openError turns a driver error met while opening into an app.Error.
func (s *Store) openError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB:
			return app.Wrap(app.EStore, err, "文件“%s”不是团务台数据文件，程序没有改动它。请选择正确的 .db 文件。", s.path)
		case sqlite3.ErrReadonly, sqlite3.ErrPerm, sqlite3.ErrCantOpen:
			return app.Wrap(app.EStore, err, "存储文件“%s”无法写入（只读或无权访问），请检查文件权限，或把它复制到可写的位置再打开。", s.path)
		case sqlite3.ErrCorrupt:
			return app.Wrap(app.EStore, err, "存储文件“%s”已损坏，请从备份恢复（窗口中：文件 → 备份与恢复；命令：tuanwu restore --from 备份文件）。", s.path)
		}
	}
	return mapErr(err)
}

// busyMessage says that another writer held the store for the whole wait.
func busyMessage() string {
	return fmt.Sprintf("存储文件正被另一个团务台窗口或命令写入（例如正在进行的导入、演示数据或批量转接），等了 %d 秒仍未轮到，这次操作没有完成，数据未被修改。请等那项工作结束后再试。", busyTimeoutMS/1000)
}

// mapErr turns driver errors into app errors where users can act on them.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return err
	}
	if pe := mapPGErr(err); pe != nil {
		return pe
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch {
		case se.Code == sqlite3.ErrConstraint && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey):
			return app.Wrap(app.EConflict, err, "该记录已存在（编号或名称重复），请核对后再保存。")
		case se.Code == sqlite3.ErrConstraint && se.ExtendedCode == sqlite3.ErrConstraintForeignKey:
			return app.Wrap(app.EConflict, err, "该记录仍被其他数据引用，不能这样修改。")
		case se.Code == sqlite3.ErrReadonly:
			return app.Wrap(app.EStore, err, "存储文件是只读的，修改没有保存。请检查文件权限。")
		case se.Code == sqlite3.ErrFull:
			return app.Wrap(app.EStore, err, "磁盘空间已满，修改没有保存。请清理磁盘后重试。")
		case se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked:
			return app.Wrap(app.EStore, err, "%s", busyMessage())
		}
	}
	return err
}
