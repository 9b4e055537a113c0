package cli

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"tuanwu/app"
)

// Issue 13: a file that cannot be written is an I/O failure (app.EIO), not
// bad input; the sentence still says what to do, and the exit status stays 1.
func TestWriteFailuresAreIO(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		path  string
		write func(io.Writer) error
		want  string
	}{
		{"no such folder", filepath.Join(dir, "没有这个文件夹", "导出.xlsx"), func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }, "请检查文件夹是否存在"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := newFile(tc.path, tc.write)
			if app.ErrorCode(err) != app.EIO || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Fatalf("newFile(%s) = %v (code %q), want EIO saying %q", tc.path, err, app.ErrorCode(err), tc.want)
			}
		})
	}
}
