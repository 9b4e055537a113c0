package xlsx

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
)

// ProblemsTitle is the title row of the import problem list.
const ProblemsTitle = "团员导入问题清单（请按“问题”一列改正后重新导入）"

// WriteImportProblems writes the rows of an import that have problems
// (app.ProblemRows) to w, for whoever filled the template: 原行号, the
// template's columns in order with the cells as they were given (text, so
// that IDs keep every digit), then 问题 with every problem in full. The
// sheet is named like the template's and ReadMembers skips 原行号 and 问题,
// so the corrected file can be imported again as it is.
func WriteImportProblems(w io.Writer, rows []app.ImportRow) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	names := TemplateColumns()
	cols := make([]column, 0, len(names)+2)
	cols = append(cols, column{"原行号", 8})
	for _, n := range names {
		cols = append(cols, column{n, templateWidths[n]})
	}
	cols = append(cols, column{"问题", 70})
	t, err := b.newTable(TemplateSheet, ProblemsTitle, cols)
	if err != nil {
		b.f.Close()
		return err
	}
	wrap, err := b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName, Color: "C00000"},
		Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
			{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		b.f.Close()
		return fmt.Errorf("problem style: %w", err)
	}
	vals := make([]any, len(cols))
	for _, r := range rows {
		if r.OK() {
			continue
		}
		vals[0] = cell(b.center, r.Row)
		cells := r.Cells()
		for i := range names {
			v := ""
			if i < len(cells) {
				v = cells[i]
			}
			vals[1+i] = cell(b.text, v)
		}
		problems := make([]string, len(r.Problems))
		for i, p := range r.Problems {
			problems[i] = fmt.Sprintf("%d. %s", i+1, p)
		}
		if len(problems) == 1 {
			problems[0] = r.Problems[0]
		}
		text := strings.Join(problems, "\n")
		vals[len(vals)-1] = cell(wrap, text)
		if err := t.addTall(vals, wrappedHeight(text, problemsPerLine)); err != nil {
			b.f.Close()
			return err
		}
	}
	return t.finish(w)
}

// problemsPerLine is about how many Chinese characters fit on a line of the
// 问题 column (70 wide).
const problemsPerLine = 34

// wrappedHeight is the height in points of a row whose text wraps at
// perLine characters (15 points a line).
func wrappedHeight(text string, perLine int) float64 {
	lines := 0
	for _, l := range strings.Split(text, "\n") {
		lines += max(1, (utf8.RuneCountInString(l)+perLine-1)/perLine)
	}
	return float64(max(20, 15*lines+4))
}
