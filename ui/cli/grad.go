package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"tuanwu/app"
)

func (r *run) grad(args []string) error {
	if len(args) == 0 {
		return usagef("用法：grad mark|suggest|unmarked ...")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "suggest":
		f, err := parseFlags(args, map[string]bool{"--cohort": true, "--program": true})
		if err != nil {
			return err
		}
		var cohort int
		if _, err := fmt.Sscanf(f.one("--cohort"), "%d", &cohort); err != nil || f.one("--program") == "" || len(f.pos) > 0 {
			return usagef("用法：grad suggest --cohort 2020 --program 本科4|硕士2|硕士2.5|硕士3")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		months, err := app.SuggestGradMonths(cohort, f.one("--program"))
		if err != nil {
			return err
		}
		return r.out(map[string]any{"cohort": cohort, "program": f.one("--program"), "months": months}, func(w io.Writer) {
			fmt.Fprintf(w, "%d级%s：建议标记为 %s\n", cohort, f.one("--program"), strings.Join(months, " 或 "))
		})
	case "mark":
		f, err := parseFlags(args, map[string]bool{"--month": true, "--reason": true})
		if err != nil {
			return err
		}
		if len(f.pos) == 0 || (f.one("--month") == "") == (f.one("--reason") == "") {
			return usagef("用法：grad mark 团支部... --month YYYY-MM 或 grad mark 团支部... --reason 教师支部|混合支部")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		var ids []int64
		for _, p := range f.pos {
			o, err := r.svc.ResolveOrg(r.ctx, r.sess, p)
			if err != nil {
				return err
			}
			ids = append(ids, o.ID)
		}
		res, err := r.svc.MarkGraduation(r.ctx, r.sess, app.GradMark{OrgIDs: ids, Month: f.one("--month"), Reason: f.one("--reason")})
		if err != nil {
			return err
		}
		return r.out(map[string]any{"marked": res.Marked, "grad_month": res.Month, "grad_reason": res.Reason}, func(w io.Writer) {
			fmt.Fprintln(w, app.GradConsequence(res.Marked, res.Month, res.Reason))
			fmt.Fprintf(w, "已标记 %d 个团支部。\n", res.Marked)
		})
	case "unmarked":
		f, err := parseFlags(args, map[string]bool{"--out": true, "--org": true})
		if err != nil {
			return err
		}
		if len(f.pos) > 0 {
			return usagef("用法：grad unmarked [--out 文件.xlsx]")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		org := topOrgOf(r.sess)
		if v := f.one("--org"); v != "" {
			o, err := r.svc.ResolveOrg(r.ctx, r.sess, v)
			if err != nil {
				return err
			}
			org = o
		}
		var list []app.UnmarkedBranch
		if out := f.one("--out"); out != "" {
			if r.env.WriteUnmarked == nil {
				return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
			}
			// 附件4 carries full 身份证号: the export is audited (issue 10, item 5).
			err = newFile(out, func(w io.Writer) (err error) {
				list, err = r.svc.ExportUnmarked(r.ctx, r.sess, org.ID, func(list []app.UnmarkedBranch) error { return r.env.WriteUnmarked(w, list) })
				return err
			})
		} else {
			list, err = r.svc.Unmarked(r.ctx, r.sess, org.ID)
		}
		if err != nil {
			return err
		}
		type row struct {
			ID      int64  `json:"id"`
			Org     string `json:"org"`
			Members int    `json:"members"`
		}
		rows := make([]row, len(list))
		for i, b := range list {
			rows[i] = row{b.Org.ID, b.Org.FullName, len(b.Members)}
		}
		return r.out(map[string]any{"branches": rows, "count": len(rows), "out": f.one("--out")}, func(w io.Writer) {
			for _, x := range rows {
				fmt.Fprintf(w, "%s（%d 人）\n", x.Org, x.Members)
			}
			fmt.Fprintf(w, "共 %d 个团支部尚未标记毕业时间。\n", len(rows))
			if f.one("--out") != "" {
				fmt.Fprintf(w, "已导出附件4到 %s。\n", f.one("--out"))
			}
		})
	case "switch-date":
		// An extension: show or set the day the year's branches become 毕业生团组织 (R-G5).
		f, err := parseFlags(args, map[string]bool{})
		if err != nil {
			return err
		}
		if len(f.pos) > 1 {
			return usagef("用法：grad switch-date [MM-DD]")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		if len(f.pos) == 1 {
			if err := r.svc.SetGradSwitchDate(r.ctx, r.sess, f.pos[0]); err != nil {
				return err
			}
		}
		day, err := r.svc.GradSwitchDate(r.ctx)
		if err != nil {
			return err
		}
		return r.out(map[string]any{"switch_date": day}, func(w io.Writer) {
			fmt.Fprintf(w, "每年 %s 起，当年已标记的团支部变更为“毕业生团组织”。\n", day)
		})
	}
	return usagef("grad 没有“%s”这个子命令，可用的有 mark、suggest、unmarked、switch-date。", sub)
}

func topOrgOf(ss *app.Session) app.Org {
	var top app.Org
	for _, a := range ss.Orgs {
		if top.ID == 0 || len(a.Path) < len(top.Path) {
			top = a
		}
	}
	return top
}

// newFile refuses an existing file, then writes through a temporary name.
func newFile(path string, write func(io.Writer) error) error {
	if _, err := os.Stat(path); err == nil {
		return app.Errorf(app.EConflict, "文件“%s”已存在，请换一个文件名，以免覆盖。", path)
	}
	return writeFile(path, write)
}

// memberMore handles member mark|unmark|status|report-error|confirm-deleted|import|export.
func (r *run) memberMore(sub string, args []string) error {
	switch sub {
	case "mark":
		f, err := parseFlags(args, map[string]bool{"--teacher": false, "--delayed": true, "--reason": true})
		if err != nil {
			return err
		}
		if len(f.pos) == 0 || f.set["--teacher"] == f.set["--delayed"] {
			return usagef("用法：member mark 身份证号... --teacher 或 member mark 身份证号... --delayed YYYY-MM --reason 原因")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		in := app.MemberMark{IDNos: f.pos, Mark: app.MarkTeacher}
		if f.set["--delayed"] {
			in.Mark, in.Month, in.Reason = app.MarkDelayed, f.one("--delayed"), f.one("--reason")
		}
		n, err := r.svc.MarkMembers(r.ctx, r.sess, in)
		if err != nil {
			return err
		}
		return r.out(map[string]any{"marked": n, "identity": in.Mark}, func(w io.Writer) { fmt.Fprintf(w, "已将 %d 人标记为%s。\n", n, in.Mark) })
	case "unmark":
		f, err := parseFlags(args, map[string]bool{})
		if err != nil {
			return err
		}
		if len(f.pos) == 0 {
			return usagef("用法：member unmark 身份证号...")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		n, err := r.svc.UnmarkMembers(r.ctx, r.sess, f.pos)
		if err != nil {
			return err
		}
		return r.out(map[string]any{"unmarked": n}, func(w io.Writer) {
			fmt.Fprintf(w, "已撤销 %d 人的标记，恢复为毕业生，毕业时间恢复为团支部的预计毕业时间。\n", n)
		})
	case "status":
		f, err := parseFlags(args, map[string]bool{"--set": true, "--date": true, "--reason": true})
		if err != nil {
			return err
		}
		if len(f.pos) != 1 || f.one("--set") == "" || f.one("--date") == "" {
			return usagef("用法：member status 身份证号 --set 超龄离团|自愿退团|开除团籍|恢复团籍 --date YYYY-MM-DD --reason 原因")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		m, err := r.svc.SetStatus(r.ctx, r.sess, f.pos[0], f.one("--set"), f.one("--date"), f.one("--reason"))
		if err != nil {
			return err
		}
		return r.out(r.memberOut(m), func(w io.Writer) {
			fmt.Fprintf(w, "已记录 %s 的%s（%s），团籍状态：%s。\n", m.Name, f.one("--set"), f.one("--date"), m.Status)
		})
	case "report-error":
		f, err := parseFlags(args, map[string]bool{"--kind": true})
		if err != nil {
			return err
		}
		if len(f.pos) != 1 || f.one("--kind") == "" {
			return usagef("用法：member report-error 身份证号 --kind 身份证|姓名")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		m, err := r.svc.ReportError(r.ctx, r.sess, f.pos[0], f.one("--kind"))
		if err != nil {
			return err
		}
		return r.out(map[string]any{"id_no": m.IDNo, "name": m.Name, "error_kind": m.ErrorKind}, func(w io.Writer) {
			fmt.Fprintf(w, "已将 %s 上报为“%s”，可用 report errors 导出附件3。\n", m.Name, m.ErrorKind)
		})
	case "confirm-deleted":
		f, err := parseFlags(args, map[string]bool{})
		if err != nil {
			return err
		}
		if len(f.pos) != 1 {
			return usagef("用法：member confirm-deleted 身份证号")
		}
		if err := r.signIn(false); err != nil {
			return err
		}
		m, err := r.svc.ConfirmDeleted(r.ctx, r.sess, f.pos[0])
		if err != nil {
			return err
		}
		return r.out(map[string]any{"deleted": true, "id_no": m.IDNo, "name": m.Name, "org": m.OrgName}, func(w io.Writer) {
			fmt.Fprintf(w, "已将 %s 移出团员名单（记录保留在历史中），请由“%s”用正确信息重新录入。\n", m.Name, m.OrgName)
		})
	case "export":
		f, err := parseFlags(args, map[string]bool{"--org": true, "--out": true, "--full-ids": false})
		if err != nil {
			return err
		}
		if f.one("--org") == "" || f.one("--out") == "" || len(f.pos) > 0 {
			return usagef("用法：member export --org 组织 --out 文件.xlsx [--full-ids]")
		}
		if r.env.WriteRoster == nil {
			return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
		}
		if err := r.signIn(false); err != nil {
			return err
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
	case "import":
		return r.memberImport(args)
	}
	return usagef("member 没有“%s”这个子命令。", sub)
}

type stopWalk struct{}

func (stopWalk) Error() string { return "stop" }

var errStopWalk error = stopWalk{}

func (r *run) memberImport(args []string) error {
	f, err := parseFlags(args, map[string]bool{"--org": true, "--skip-bad": false})
	if err != nil {
		return err
	}
	if len(f.pos) != 1 || f.one("--org") == "" {
		return usagef("用法：member import 文件.xlsx --org 团支部 [--skip-bad]")
	}
	if r.env.ReadMembers == nil {
		return app.Errorf(app.EInternal, "这个版本没有读取 Excel 的组件。")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	o, err := r.svc.ResolveOrg(r.ctx, r.sess, f.one("--org"))
	if err != nil {
		return err
	}
	file, err := os.Open(f.pos[0])
	if err != nil {
		return app.Wrap(app.EInvalid, err, "无法打开文件“%s”，请检查文件名和路径。", f.pos[0])
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

func (r *run) report(args []string) error {
	if len(args) > 0 && args[0] == "graduates" {
		return r.reportGraduates(args[1:])
	}
	if len(args) == 0 || (args[0] != "errors" && args[0] != "abroad") {
		return usagef("用法：report errors --out 文件.xlsx（附件3）、report abroad --out 文件.xlsx（出国（境）学习研究团员登记册）或 report graduates --year 毕业年份 [--org 组织] [--out 文件.xlsx]（毕业生转接进度）")
	}
	f, err := parseFlags(args[1:], map[string]bool{"--out": true})
	if err != nil {
		return err
	}
	if f.one("--out") == "" || len(f.pos) > 0 {
		return usagef("用法：report %s --out 文件.xlsx", args[0])
	}
	if args[0] == "abroad" {
		return r.reportAbroad(f.one("--out"))
	}
	if r.env.WriteErrorReport == nil {
		return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
	}
	if err := r.signIn(false); err != nil {
		return err
	}
	// 附件3 carries full 身份证号: the export is audited (issue 10, item 5).
	var rows []app.ErrorReportRow
	err = newFile(f.one("--out"), func(w io.Writer) (err error) {
		rows, err = r.svc.ExportErrorReport(r.ctx, r.sess, func(rows []app.ErrorReportRow) error { return r.env.WriteErrorReport(w, rows) })
		return err
	})
	if err != nil {
		return err
	}
	return r.out(map[string]any{"out": f.one("--out"), "rows": len(rows)}, func(w io.Writer) {
		fmt.Fprintf(w, "已导出附件3（%d 人）到 %s。\n", len(rows), f.one("--out"))
	})
}
