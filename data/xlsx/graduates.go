package xlsx

import (
	"fmt"
	"io"

	"tuanwu/app"
)

// GraduatesTitle is the sheet name of the season's progress (R-W6).
const GraduatesTitle = "毕业生组织关系转接进度"

var graduatesColumns = []column{{"序号", 7}, {"学院（组织）", 40}, {"毕业生", 10}, {app.ProgressFinished, 12},
	{app.ProgressInProgress, 12}, {app.ProgressKept, 11}, {app.ProgressAbroad, 20}, {app.ProgressNotStarted, 11}, {"完成率", 10}}

// WriteGraduates writes the season's progress (R-W6) to w: a title row
// naming the year and the school, then one row per college and the total:
// 序号 | 学院（组织） | 毕业生 | 已完成转出 | 转接办理中 | 留校保留 |
// 出国（境）学习研究登记 | 尚未办理 | 完成率 (as text, 87.5%).
func WriteGraduates(w io.Writer, rep app.GradReport) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s %s 届毕业生组织关系转接进度", rep.Scope.FullName, rep.Year)
	t, err := b.newTable(GraduatesTitle, title, graduatesColumns)
	if err != nil {
		b.f.Close()
		return err
	}
	row := func(no any, p app.GradProgress, name string) error {
		return t.add([]any{cell(b.center, no), cell(b.cell, name), cell(b.center, p.Graduates), cell(b.center, p.Finished),
			cell(b.center, p.InProgress), cell(b.center, p.Kept), cell(b.center, p.Abroad), cell(b.center, p.NotStarted),
			cell(b.center, p.Percent())})
	}
	for i, p := range rep.Rows {
		if err := row(i+1, p, p.Org.Name); err != nil {
			b.f.Close()
			return err
		}
	}
	if err := row("", rep.Total, "合计（"+rep.Scope.Name+"）"); err != nil {
		b.f.Close()
		return err
	}
	return t.finish(w)
}
