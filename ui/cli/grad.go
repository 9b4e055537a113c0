package cli

import (
	"fmt"
	"io"
	"strings"

	"tuanwu/app"
)

var gradNoun = &noun{name: "grad", summary: "毕业时间标记与未标记团支部", help: `tuanwu grad mark 组织... --month YYYY-MM
tuanwu grad mark 组织... --reason 教师支部|混合支部
tuanwu grad suggest --cohort 年级 --program 本科4|硕士2|硕士2.5|硕士3
tuanwu grad unmarked [--out 文件.xlsx]      （附件4）
  例：tuanwu --as 身份证号 grad mark 浙江明理大学团委/法学院团委/2023级法学1班团支部 --month 2027-06`,
	bare: "用法：grad mark|suggest|unmarked ...",
	subs: []*command{
		{name: "mark", flags: map[string]bool{"--month": true, "--reason": true}, args: [2]int{1, -1},
			bad: "用法：grad mark 团支部... --month YYYY-MM 或 grad mark 团支部... --reason 教师支部|混合支部", access: account, run: (*run).gradMark,
			check: func(f flags) error {
				if (f.one("--month") == "") == (f.one("--reason") == "") {
					return usagef("用法：grad mark 团支部... --month YYYY-MM 或 grad mark 团支部... --reason 教师支部|混合支部")
				}
				return nil
			}},
		{name: "suggest", flags: map[string]bool{"--cohort": true, "--program": true}, need: []string{"--program"},
			bad: "用法：grad suggest --cohort 2020 --program 本科4|硕士2|硕士2.5|硕士3", access: account, run: (*run).gradSuggest,
			check: func(f flags) error {
				var cohort int
				if _, err := fmt.Sscanf(f.one("--cohort"), "%d", &cohort); err != nil {
					return usagef("用法：grad suggest --cohort 2020 --program 本科4|硕士2|硕士2.5|硕士3")
				}
				return nil
			}},
		{name: "unmarked", flags: map[string]bool{"--out": true, "--org": true},
			bad: "用法：grad unmarked [--out 文件.xlsx]", access: account, run: (*run).gradUnmarked},
		// An extension: show or set the day the year's branches become 毕业生团组织 (R-G5).
		{name: "switch-date", flags: map[string]bool{}, args: [2]int{0, 1}, bad: "用法：grad switch-date [MM-DD]", access: account, run: (*run).gradSwitchDate},
	}}

func (r *run) gradSuggest(f flags) error {
	var cohort int
	fmt.Sscanf(f.one("--cohort"), "%d", &cohort) // checked before sign-in
	months, err := app.SuggestGradMonths(cohort, f.one("--program"))
	if err != nil {
		return err
	}
	return r.out(map[string]any{"cohort": cohort, "program": f.one("--program"), "months": months}, func(w io.Writer) {
		fmt.Fprintf(w, "%d级%s：建议标记为 %s\n", cohort, f.one("--program"), strings.Join(months, " 或 "))
	})
}

func (r *run) gradMark(f flags) error {
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
}

func (r *run) gradUnmarked(f flags) error {
	org := r.sess.Top()
	if v := f.one("--org"); v != "" {
		o, err := r.svc.ResolveOrg(r.ctx, r.sess, v)
		if err != nil {
			return err
		}
		org = o
	}
	var list []app.UnmarkedBranch
	var err error
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
}

func (r *run) gradSwitchDate(f flags) error {
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
