package cli

import (
	"errors"
	"io"
	"os"
	"tuanwu/app"
	"tuanwu/data/files"
)

// newFile refuses an existing file, then writes through a temporary name.
func newFile(path string, write func(io.Writer) error) error {
	if _, err := os.Stat(path); err == nil {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个文件名，以免覆盖。", path)
	}
	return writeFile(path, write)
}

// writeFile writes a new file through a temporary name (files.Write), so
// that a failure leaves nothing half-written.
func writeFile(path string, write func(io.Writer) error) error {
	err := files.Write(path, write)
	var we *files.WriteError
	if !errors.As(err, &we) {
		return err
	}
	switch we.Step {
	case files.StepCreate:
		return app.Wrap(app.EIO, err, "无法写入“%s”，请检查文件夹是否存在、是否有写入权限。", path)
	case files.StepClose:
		return app.Wrap(app.EIO, err, "写入“%s”失败，请检查磁盘空间。", path)
	}
	return app.Wrap(app.EIO, err, "写入“%s”失败。", path)
}
