package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"tuanwu/app"
)

// reportUsage is report's 用法 when the report is missing or unknown.
const reportUsage = "用法：report errors --out 文件.xlsx（附件3）、report abroad --out 文件.xlsx（出国（境）学习研究团员登记册）或 report graduates --year 毕业年份 [--org 组织] [--out 文件.xlsx]（毕业生转接进度）"

var reportNoun = &noun{name: "report", summary: "报表：信息录入错误（附件3）、毕业生转接进度", help: `tuanwu report errors --out 文件.xlsx
tuanwu report graduates --year 年份 [--org 组织] [--out 文件.xlsx]`,
	bare: reportUsage, other: reportUsage,
	subs: []*command{
		{name: "errors", flags: map[string]bool{"--out": true}, need: []string{"--out"}, bad: "用法：report errors --out 文件.xlsx", access: account, run: (*run).reportErrors},
		{name: "abroad", flags: map[string]bool{"--out": true}, need: []string{"--out"}, bad: "用法：report abroad --out 文件.xlsx", access: account, run: (*run).reportAbroad},
		{name: "graduates", flags: map[string]bool{"--year": true, "--org": true, "--out": true}, given: []string{"--year"},
			bad: "用法：report graduates --year 毕业年份 [--org 组织] [--out 文件.xlsx]", access: account, run: (*run).reportGraduates},
	}}

func (r *run) reportErrors(f flags) error {
	if r.env.WriteErrorReport == nil {
		return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
	}
	// 附件3 carries full 身份证号: the export is audited (issue 10, item 5).
	var rows []app.ErrorReportRow
	err := newFile(f.one("--out"), func(w io.Writer) (err error) {
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

// reportAbroad handles report abroad --out FILE.xlsx: the register of the
// members in the colleges' 出国(境)学习研究团员团支部 (R-T2, 登记造册).
func (r *run) reportAbroad(f flags) error {
	out := f.one("--out")
	if r.env.WriteAbroadRegister == nil {
		return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
	}
	rows, err := r.svc.AbroadRegister(r.ctx, r.sess)
	if err != nil {
		return err
	}
	if err := newFile(out, func(w io.Writer) error { return r.env.WriteAbroadRegister(w, rows) }); err != nil {
		return err
	}
	return r.out(map[string]any{"out": out, "rows": len(rows)}, func(w io.Writer) {
		fmt.Fprintf(w, "已导出出国（境）学习研究团员登记册（%d 人）到 %s。\n", len(rows), out)
	})
}

// gradJSON is a line of the season's progress (R-W6).
type gradJSON struct {
	OrgID      int64   `json:"org_id"`
	Org        string  `json:"org"`
	Graduates  int     `json:"graduates"`
	Finished   int     `json:"finished"`
	InProgress int     `json:"in_progress"`
	Kept       int     `json:"kept"`
	Abroad     int     `json:"abroad"`
	NotStarted int     `json:"not_started"`
	Rate       float64 `json:"rate"`
}

func gradOut(p app.GradProgress) gradJSON {
	return gradJSON{OrgID: p.Org.ID, Org: p.Org.FullName, Graduates: p.Graduates, Finished: p.Finished, InProgress: p.InProgress,
		Kept: p.Kept, Abroad: p.Abroad, NotStarted: p.NotStarted, Rate: float64(int(p.Rate()*10000+0.5)) / 10000}
}

// reportGraduates is `report graduates --year YYYY [--org ORG] [--out FILE.xlsx]` (R-W6).
func (r *run) reportGraduates(f flags) error {
	if f.set["--out"] && r.env.WriteGraduates == nil {
		return app.Errorf(app.EInternal, "这个版本没有导出 Excel 的组件。")
	}
	var orgID int64
	if o := f.one("--org"); o != "" {
		org, err := r.svc.ResolveOrg(r.ctx, r.sess, o)
		if err != nil {
			return err
		}
		orgID = org.ID
	}
	rep, err := r.svc.GraduatesReport(r.ctx, r.sess, f.one("--year"), orgID)
	if err != nil {
		return err
	}
	if out := f.one("--out"); out != "" {
		if err := newFile(out, func(w io.Writer) error { return r.env.WriteGraduates(w, rep) }); err != nil {
			return err
		}
	}
	rows := make([]gradJSON, len(rep.Rows))
	for i, p := range rep.Rows {
		rows[i] = gradOut(p)
	}
	j := map[string]any{"year": rep.Year, "org": rep.Scope.FullName, "rows": rows, "total": gradOut(rep.Total)}
	if out := f.one("--out"); out != "" {
		j["out"] = out
	}
	return r.out(j, func(w io.Writer) {
		fmt.Fprintf(w, "%s %s 届毕业生组织关系转接进度\n", rep.Scope.FullName, rep.Year)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "学院（组织）\t毕业生\t%s\t%s\t%s\t%s\t%s\t完成率\n", app.ProgressFinished, app.ProgressInProgress, app.ProgressKept, app.ProgressAbroad, app.ProgressNotStarted)
		line := func(name string, p app.GradProgress) {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", name, p.Graduates, p.Finished, p.InProgress, p.Kept, p.Abroad, p.NotStarted, p.Percent())
		}
		for _, p := range rep.Rows {
			line(p.Org.Name, p)
		}
		line("合计", rep.Total)
		tw.Flush()
		if out := f.one("--out"); out != "" {
			fmt.Fprintf(w, "已导出到 %s。\n", out)
		}
	})
}
