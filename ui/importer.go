package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
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
// R-X3): every row with its problems, the selected row's problems in full
// below the list, 保存问题清单 to send the problem rows back to whoever
// filled the template, then 全部导入 or 只导入无误的行.
type importDialog struct {
	v       *membersView
	rows    []app.ImportRow
	bad     int
	source  string // the file imported
	table   *widget.Table
	detail  *widget.Label // the selected row's problems in full
	summary *widget.Label
	save    *widget.Button // 保存问题清单…
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
			return app.Wrap(app.EIO, err, "无法打开文件“%s”。", path)
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
		v.importD.source = path
	})
}

// rowDetail is a row's check result in full: every problem on its own line.
func rowDetail(r app.ImportRow) string {
	head := fmt.Sprintf("第 %d 行", r.Row)
	if r.Member.Name != "" {
		head += "（" + r.Member.Name + "）"
	}
	if r.OK() {
		return head + "：可以导入。"
	}
	if len(r.Problems) == 1 {
		return head + "：" + r.Problems[0]
	}
	lines := []string{fmt.Sprintf("%s有 %d 个问题：", head, len(r.Problems))}
	for i, p := range r.Problems {
		lines = append(lines, fmt.Sprintf("%d. %s", i+1, p))
	}
	return strings.Join(lines, "\n")
}

func showImportPreview(v *membersView, rows []app.ImportRow) *importDialog {
	u := v.p.m.u
	g := &importDialog{v: v, rows: rows}
	for _, r := range rows {
		if !r.OK() {
			g.bad++
		}
	}
	cols := []column{{"行号", 60}, {"姓名", 90}, {"身份证号", 180}, {"检查结果（选中一行可看完整说明）", 520}}
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
	g.detail = wrapLabel("选中一行，这里显示它的全部问题和改正方法。")
	g.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(g.rows) {
			g.detail.SetText(rowDetail(g.rows[id.Row]))
			g.detail.Importance = widget.MediumImportance
			if !g.rows[id.Row].OK() {
				g.detail.Importance = widget.DangerImportance
			}
			g.detail.Refresh()
		}
	}
	g.summary = wrapLabel(fmt.Sprintf("共 %d 行，其中 %d 行有问题。有问题的行不能导入：请改正后重新导入，或只导入无误的行；“保存问题清单”把有问题的行连同说明存为 Excel，可发回给填表人改正。已在系统中注册的团员请“办理转入”。", len(rows), g.bad))
	if g.bad == 0 {
		g.summary.SetText(fmt.Sprintf("共 %d 行，全部检查通过，可以导入到“%s”。", len(rows), v.p.org.Name))
	}
	g.save = widget.NewButtonWithIcon("保存问题清单…", theme.DocumentSaveIcon(), g.onSaveProblems)
	g.all = widget.NewButtonWithIcon("全部导入", theme.ConfirmIcon(), func() { g.onImport(false) })
	g.all.Importance = widget.HighImportance
	g.good = widget.NewButton(fmt.Sprintf("只导入无误的 %d 行", len(rows)-g.bad), func() { g.onImport(true) })
	setEnabled(g.save, g.bad > 0 && u.Codecs.WriteImportProblems != nil)
	setEnabled(g.all, g.bad == 0 && len(rows) > 0)
	setEnabled(g.good, g.bad > 0 && len(rows) > g.bad)
	bottom := container.NewVBox(g.summary, container.NewHBox(g.save, spacer(), widget.NewButton("取消", func() { g.d.Hide() }), g.good, g.all))
	split := container.NewVSplit(g.table, container.NewVScroll(g.detail))
	split.Offset = 0.72
	g.d = fitDialog(u.Win, "导入团员 — "+v.p.org.Name, 900, 560, container.NewBorder(nil, bottom, nil, nil, split))
	g.d.Show()
	// The first row with a problem is shown in full at once.
	for i, r := range rows {
		if !r.OK() {
			g.table.Select(widget.TableCellID{Row: i, Col: 3})
			break
		}
	}
	return g
}

// problemsName is the file name proposed for the problem list.
func (g *importDialog) problemsName() string {
	stem := strings.TrimSuffix(filepath.Base(g.source), filepath.Ext(g.source))
	if g.source == "" {
		stem = g.v.p.org.Name
	}
	return datedName(g.v.p.m.u, "导入问题清单-"+stem)
}

// onSaveProblems saves the rows with problems as an .xlsx for whoever
// filled the template: their cells as given and every problem in full.
func (g *importDialog) onSaveProblems() {
	u := g.v.p.m.u
	rows := app.ProblemRows(g.rows)
	saveFile(u, "保存问题清单", g.problemsName(), func(w io.Writer) (string, error) {
		if err := u.Codecs.WriteImportProblems(w, rows); err != nil {
			return "", err
		}
		return fmt.Sprintf("已保存 %d 行有问题的团员及其说明。\n改正后可直接重新导入这个文件（“原行号”和“问题”两列会被忽略）。", len(rows)), nil
	})
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
		showInfo("导入完成", g.result+"。"+saved, u.Win)
	})
}

// saveTemplate saves an empty 团员团干部导入模板 with drop-downs.
func saveTemplate(u *UI) {
	saveFile(u, "保存导入模板", "团员团干部导入模板.xlsx", func(w io.Writer) (string, error) {
		return "空白模板已生成：身份证号、手机号等列已设为文本，职务等列有下拉选项。", u.Codecs.WriteTemplate(w)
	})
}
