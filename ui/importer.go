package ui

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tuanwu/app"
)

// importDialog previews an import of the 团员团干部导入模板 (R-M4, R-X2,
// R-X3): every row with its problems, then 全部导入 or 只导入无误的行.
type importDialog struct {
	v       *membersView
	rows    []app.ImportRow
	bad     int
	table   *widget.Table
	summary *widget.Label
	all     *widget.Button
	good    *widget.Button
	d       dialog.Dialog
	result  string // the last outcome, for tests
}

// startImport reads the file off the UI goroutine and shows the preview.
func startImport(v *membersView, path string) {
	u := v.p.m.u
	prog := showProgress(u, "读取 Excel", "正在读取并检查“"+path+"”…")
	var rows []app.ImportRow
	u.run(func() error {
		f, err := os.Open(path)
		if err != nil {
			return app.Wrap(app.EInvalid, err, "无法打开文件“%s”。", path)
		}
		defer f.Close()
		if rows, err = u.Codecs.ReadMembers(f, u.svc.Now()); err != nil {
			return err
		}
		rows, err = u.svc.CheckImport(u.ctx, u.sess, v.p.org.ID, rows)
		return err
	}, func(err error) {
		prog.Hide()
		if err != nil {
			u.showError(err)
			return
		}
		v.importD = showImportPreview(v, rows)
	})
}

func showImportPreview(v *membersView, rows []app.ImportRow) *importDialog {
	u := v.p.m.u
	g := &importDialog{v: v, rows: rows}
	for _, r := range rows {
		if !r.OK() {
			g.bad++
		}
	}
	cols := []column{{"行号", 60}, {"姓名", 90}, {"身份证号", 180}, {"检查结果", 520}}
	g.table = newTable(cols, func() int { return len(g.rows) }, func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		r := g.rows[id.Row]
		l.Importance = widget.MediumImportance
		switch id.Col {
		case 0:
			l.SetText(strconv.Itoa(r.Row))
		case 1:
			l.SetText(r.Member.Name)
		case 2:
			l.SetText(r.Member.IDNo)
		case 3:
			if r.OK() {
				l.SetText("可以导入")
			} else {
				l.Importance = widget.DangerImportance
				l.SetText(strings.Join(r.Problems, "；"))
			}
		}
		l.Refresh()
	})
	g.summary = wrapLabel(fmt.Sprintf("共 %d 行，其中 %d 行有问题。有问题的行不能导入：请改正后重新导入，或只导入无误的行。已在系统中注册的团员请“办理转入”。", len(rows), g.bad))
	if g.bad == 0 {
		g.summary.SetText(fmt.Sprintf("共 %d 行，全部检查通过，可以导入到“%s”。", len(rows), v.p.org.Name))
	}
	g.all = widget.NewButtonWithIcon("全部导入", theme.ConfirmIcon(), func() { g.onImport(false) })
	g.all.Importance = widget.HighImportance
	g.good = widget.NewButton(fmt.Sprintf("只导入无误的 %d 行", len(rows)-g.bad), func() { g.onImport(true) })
	setEnabled(g.all, g.bad == 0 && len(rows) > 0)
	setEnabled(g.good, g.bad > 0 && len(rows) > g.bad)
	bottom := container.NewVBox(g.summary, container.NewHBox(spacer(), widget.NewButton("取消", func() { g.d.Hide() }), g.good, g.all))
	g.d = fitDialog(u.Win, "导入团员 — "+v.p.org.Name, 900, 560,
		container.NewBorder(nil, bottom, nil, nil, g.table))
	g.d.Show()
	return g
}

func (g *importDialog) onImport(skipBad bool) {
	u := g.v.p.m.u
	prog := showProgress(u, "导入团员", "正在导入，请稍候…")
	var res app.ImportResult
	var saved string
	u.run(func() (err error) {
		saved = u.backupBefore("导入")
		res, err = u.svc.ImportMembers(u.ctx, u.sess, g.v.p.org.ID, g.rows, skipBad, prog.Set)
		return err
	}, func(err error) {
		prog.Hide()
		if err != nil {
			g.summary.SetText(app.ErrorMessage(err))
			return
		}
		g.d.Hide()
		g.result = fmt.Sprintf("已导入 %d 人", res.Imported)
		if res.Skipped > 0 {
			g.result += fmt.Sprintf("，跳过有问题的 %d 行", res.Skipped)
		}
		g.v.p.m.orgChanged(g.v.p.org.ParentID, 0)
		g.v.load()
		dialog.ShowInformation("导入完成", g.result+"。"+saved, u.Win)
	})
}

// saveTemplate saves an empty 团员团干部导入模板 with drop-downs.
func saveTemplate(u *UI) {
	saveFile(u, "保存导入模板", "团员团干部导入模板.xlsx", func(w io.Writer) (string, error) {
		return "空白模板已生成：身份证号、手机号等列已设为文本，职务等列有下拉选项。", u.Codecs.WriteTemplate(w)
	})
}
