package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"tuanwu/app"
)

func (r *run) memberMark(f flags) error {
	in := app.MemberMark{IDNos: f.pos, Mark: app.MarkTeacher}
	if f.set["--delayed"] {
		in.Mark, in.Month, in.Reason = app.MarkDelayed, f.one("--delayed"), f.one("--reason")
	}
	n, err := r.svc.MarkMembers(r.ctx, r.sess, in)
	if err != nil {
		return err
	}
	return r.out(map[string]any{"marked": n, "identity": in.Mark}, func(w io.Writer) { fmt.Fprintf(w, "已将 %d 人标记为%s。\n", n, in.Mark) })
}

func (r *run) memberUnmark(f flags) error {
	n, err := r.svc.UnmarkMembers(r.ctx, r.sess, f.pos)
	if err != nil {
		return err
	}
	return r.out(map[string]any{"unmarked": n}, func(w io.Writer) {
		fmt.Fprintf(w, "已撤销 %d 人的标记，恢复为毕业生，毕业时间恢复为团支部的预计毕业时间。\n", n)
	})
}

func (r *run) memberStatus(f flags) error {
	m, err := r.svc.SetStatus(r.ctx, r.sess, f.pos[0], f.one("--set"), f.one("--date"), f.one("--reason"))
	if err != nil {
		return err
	}
	return r.out(r.memberOut(m), func(w io.Writer) {
		fmt.Fprintf(w, "已记录 %s 的%s（%s），团籍状态：%s。\n", m.Name, f.one("--set"), f.one("--date"), m.Status)
	})
}

func (r *run) memberReportError(f flags) error {
	m, err := r.svc.ReportError(r.ctx, r.sess, f.pos[0], f.one("--kind"))
	if err != nil {
		return err
	}
	return r.out(map[string]any{"id_no": m.IDNo, "name": m.Name, "error_kind": m.ErrorKind}, func(w io.Writer) {
		fmt.Fprintf(w, "已将 %s 上报为“%s”，可用 report errors 导出附件3。\n", m.Name, m.ErrorKind)
	})
}

func (r *run) memberConfirmDeleted(f flags) error {
	m, err := r.svc.ConfirmDeleted(r.ctx, r.sess, f.pos[0])
	if err != nil {
		return err
	}
	return r.out(map[string]any{"deleted": true, "id_no": m.IDNo, "name": m.Name, "org": m.OrgName}, func(w io.Writer) {
		fmt.Fprintf(w, "已将 %s 移出团员名单（记录保留在历史中），请由“%s”用正确信息重新录入。\n", m.Name, m.OrgName)
	})
}

func (r *run) memberExport(f flags) error {
	if r.env.WriteRoster == nil {
		return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
	}
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	n := 0
	err = newFile(f.one("--out"), func(w io.Writer) error {
		var walkErr error
		members := func(yield func(app.Member) bool) {
			_, walkErr = r.svc.ExportRoster(r.ctx, r.sess, o.ID, f.set["--full-ids"], func(m app.Member) error {
				n++
				if !yield(m) {
					return errStopWalk
				}
				return nil
			})
		}
		if err := r.env.WriteRoster(w, o.FullName+" 团员名册", members, !f.set["--full-ids"], r.svc.Now()); err != nil {
			return err
		}
		if walkErr != nil && walkErr != errStopWalk {
			return walkErr
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.out(map[string]any{"out": f.one("--out"), "members": n, "org": o.FullName}, func(w io.Writer) {
		fmt.Fprintf(w, "已导出“%s”的 %d 名团员到 %s。\n", o.FullName, n, f.one("--out"))
	})
}

type stopWalk struct{}

func (stopWalk) Error() string { return "stop" }

var errStopWalk error = stopWalk{}

func (r *run) memberImport(f flags) error {
	if r.env.ReadMembers == nil {
		return app.Errorf(app.EInternal, "这个版本没有读取 Excel 的组件。")
	}
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	file, err := os.Open(f.pos[0])
	if err != nil {
		return app.Wrap(app.EIO, err, "无法打开文件“%s”，请检查文件名和路径。", f.pos[0])
	}
	defer file.Close()
	rows, err := r.env.ReadMembers(file, r.svc.Now())
	if err != nil {
		return err
	}
	if rows, err = r.svc.CheckImport(r.ctx, r.sess, o.ID, rows); err != nil {
		return err
	}
	var bad []badRow
	for _, x := range rows {
		if !x.OK() {
			bad = append(bad, badRow{x.Row, x.Member.Name, x.Member.IDNo, x.Problems, x.Existing})
		}
	}
	res, ierr := r.svc.ImportMembers(r.ctx, r.sess, o.ID, rows, f.set["--skip-bad"], nil)
	if ierr != nil {
		// Every bad row on stderr, then the sentence that nothing was
		// imported, in this command's terms (the window's speaks of its
		// preview and check box).
		printBad(r.env.Stderr, bad)
		var ae *app.Error
		if len(bad) > 0 && errors.As(ierr, &ae) && ae.Code == app.EConflict {
			if len(bad) == len(rows) {
				return app.Errorf(app.EConflict, "导入文件中的 %d 行都有问题（见上），没有可以导入的团员；请改正后重新导入。", len(rows))
			}
			return app.Errorf(app.EConflict, "导入文件中有 %d 行有问题（共 %d 行，见上），整份文件都没有导入；请改正这些行后重新导入，或加 --skip-bad 只导入没有问题的行。", len(bad), len(rows))
		}
		return ierr
	}
	if bad == nil {
		bad = []badRow{}
	}
	return r.out(map[string]any{"imported": res.Imported, "skipped": res.Skipped, "bad_rows": bad, "org": o.FullName}, func(w io.Writer) {
		printBad(w, bad)
		fmt.Fprintf(w, "已导入 %d 人到“%s”", res.Imported, o.FullName)
		if res.Skipped > 0 {
			fmt.Fprintf(w, "，跳过有问题的 %d 行", res.Skipped)
		}
		fmt.Fprintln(w, "。")
	})
}

// badRow is one import row that cannot be entered, as printed and in --json.
type badRow struct {
	Row      int      `json:"row"`
	Name     string   `json:"name"`
	IDNo     string   `json:"id_no"`
	Problems []string `json:"problems"`
	Existing string   `json:"existing,omitempty"`
}

func printBad(w io.Writer, bad []badRow) {
	for _, x := range bad {
		fmt.Fprintf(w, "第 %d 行 %s %s：%s\n", x.Row, x.Name, x.IDNo, strings.Join(x.Problems, "；"))
	}
}
