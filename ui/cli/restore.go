package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"tuanwu/app"
	"tuanwu/data/files"
)

// restore handles restore --from FILE: the store is replaced by a verified
// backup, the replaced one kept beside it under a dated name, and the
// restore recorded in the restored store's trail. Only the store's owner
// may do it. When the store cannot be opened at all (damaged, or missing on
// a new computer), the owner of the backup signs in against the backup.
var restoreNoun = &noun{name: "restore", summary: "用备份替换存储（原存储另存一份）", help: `tuanwu --as 身份证号 restore --from 备份文件
  先校验备份；被替换的存储会以带日期的文件名保留在原处。`,
	cmd: &command{flags: map[string]bool{"--from": true}, need: []string{"--from"}, bad: "用法：restore --from 备份文件", run: (*run).restore}}

func (r *run) restore(f flags) error {
	from := f.one("--from")
	if r.env.Restore == nil {
		return app.Errorf(app.EInternal, "这个版本没有恢复备份的组件。")
	}
	if files.IsDir(from) {
		return app.Errorf(app.EInvalid, "--from 指定的“%s”是一个文件夹，不是备份文件。请写出备份文件名，例如 %s。", from, filepath.Join(from, "团务台备份.db"))
	}
	if _, err := os.Stat(from); err != nil {
		return app.Errorf(app.ENotFound, "备份文件“%s”不存在，请核对文件名。", from)
	}
	path := r.g.db
	if path == "" {
		path = DefaultDB()
	}
	err := r.signIn(false)
	switch code := app.ErrorCode(err); {
	case err == nil:
	case (code == app.EStore || code == app.ENotFound) && r.g.as != "":
		// The store cannot be used: sign in against a copy of the backup.
		if r.store != nil {
			r.store.Close()
			r.store = nil
		}
		if r.sess, err = r.backupSession(from); err != nil {
			return err
		}
	default:
		return err
	}
	if err := r.svc.CheckRestore(r.sess); err != nil {
		return err
	}
	if r.store != nil {
		if err := r.store.Close(); err != nil {
			return err
		}
		r.store = nil
	}
	kept, err := r.env.Restore(r.ctx, path, from, time.Now())
	if err != nil {
		return err
	}
	r.created = "" // the file is the restored store now
	st, err := r.env.OpenStore(path)
	if err != nil {
		return err
	}
	r.store = st
	r.svc = app.NewService(st)
	if err := r.svc.RecordRestore(r.ctx, r.sess, from, kept); err != nil {
		return err
	}
	return r.out(map[string]any{"ok": true, "store": path, "from": from, "kept": kept}, func(w io.Writer) {
		fmt.Fprintf(w, "已从备份 %s 恢复存储 %s，并校验通过。\n", from, path)
		if kept != "" {
			fmt.Fprintf(w, "原存储已保留为 %s。\n", kept)
		}
	})
}

// backupSession signs the --as account in against a temporary copy of the
// backup (the store itself cannot be opened) and returns its session.
func (r *run) backupSession(from string) (*app.Session, error) {
	dir, err := os.MkdirTemp("", "tuanwu-restore-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "backup.db")
	if err := copyPrivate(from, tmp); err != nil {
		return nil, app.Wrap(app.EIO, err, "无法读取备份文件“%s”，请检查文件权限。", from)
	}
	st, err := r.env.OpenStore(tmp)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	svc := app.NewService(st)
	pw := r.pw
	if pw == "" {
		pw = r.env.Getenv("TUANWU_PASSWORD")
	}
	sess, err := svc.SignIn(r.ctx, r.g.as, pw)
	if err != nil {
		return nil, err
	}
	r.svc = svc
	return sess, nil
}

func copyPrivate(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := files.CreateNew(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
