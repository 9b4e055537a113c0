package xlsx

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Style and page settings shared by every workbook the package writes:
// plain .xlsx that Excel and WPS open alike, 宋体, thin borders, a frozen
// header, A4 landscape fitted to the page width, header rows repeated on
// every printed page, and page numbers in the footer.
const (
	fontName   = "宋体"
	paperA4    = 9
	textFormat = 49 // the built-in number format "@": text
)

// book is a workbook being written with its cell styles.
type book struct {
	f      *excelize.File
	title  int // the title row: large and bold, centred
	header int // header cells: bold on grey, bordered, centred, wrapped
	cell   int // data cells: bordered
	text   int // data cells kept as text (IDs, phone numbers, months)
	center int // short data cells, centred (性别, 年龄)
}

func newBook() (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f}
	if err := f.SetDefaultFont(fontName); err != nil {
		f.Close()
		return nil, fmt.Errorf("default font: %w", err)
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "团务台", Language: "zh-CN", Created: now, Modified: now}); err != nil {
		f.Close()
		return nil, fmt.Errorf("document properties: %w", err)
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	styles := []struct {
		id *int
		s  excelize.Style
	}{
		{&b.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: fontName},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&b.header, excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Family: fontName}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, NumFmt: textFormat}},
		{&b.cell, excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName}, Border: border,
			Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&b.text, excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName}, Border: border,
			Alignment: &excelize.Alignment{Vertical: "center"}, NumFmt: textFormat}},
		{&b.center, excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName}, Border: border,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
	}
	for _, s := range styles {
		id, err := f.NewStyle(&s.s)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("new style: %w", err)
		}
		*s.id = id
	}
	return b, nil
}

// firstSheet renames the first sheet to name (Chinese, at most 31 characters).
func (b *book) firstSheet(name string) error {
	if err := b.f.SetSheetName(b.f.GetSheetName(0), name); err != nil {
		return fmt.Errorf("name sheet %s: %w", name, err)
	}
	return nil
}

// printSetup sets A4 landscape fitted to the page width, narrow margins,
// page numbers in the footer and the rows 1..repeatRows repeated at the top
// of every printed page.
func (b *book) printSetup(sheet string, repeatRows int) error {
	size, landscape, one, zero, yes := paperA4, "landscape", 1, 0, true
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero,
	}); err != nil {
		return fmt.Errorf("page layout: %w", err)
	}
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return fmt.Errorf("fit to page: %w", err)
	}
	narrow, edge, hf := 0.5, 0.4, 0.3
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &edge, Right: &edge, Top: &narrow, Bottom: &narrow, Header: &hf, Footer: &hf, Horizontally: &yes,
	}); err != nil {
		return fmt.Errorf("page margins: %w", err)
	}
	if err := b.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}); err != nil {
		return fmt.Errorf("footer: %w", err)
	}
	if repeatRows > 0 {
		if err := b.f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", sheet, repeatRows), Scope: sheet,
		}); err != nil {
			return fmt.Errorf("print titles: %w", err)
		}
	}
	return nil
}

// freeze returns panes that keep the first rows rows in view.
func freeze(rows int) *excelize.Panes {
	top := fmt.Sprintf("A%d", rows+1)
	return &excelize.Panes{Freeze: true, YSplit: rows, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}}
}

// save writes the workbook to w and releases it.
func (b *book) save(w io.Writer) error {
	defer b.f.Close()
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// column is one column of a table the package writes.
type column struct {
	name  string
	width float64
}

// table writes a report table with a stream writer: a title row merged
// across the columns, a header row, then the rows add writes. IDs and
// other cells that must stay text use b.text.
type table struct {
	b    *book
	sw   *excelize.StreamWriter
	cols []column
	row  int // the last row written
}

// newTable starts sheet (the book's first sheet, renamed) with a title row
// and a header row; both stay in view and are printed on every page.
func (b *book) newTable(sheet, title string, cols []column) (*table, error) {
	if err := b.firstSheet(sheet); err != nil {
		return nil, err
	}
	if err := b.printSetup(sheet, 2); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", sheet, err)
	}
	t := &table{b: b, sw: sw, cols: cols}
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(freeze(2)); err != nil {
		return nil, fmt.Errorf("freeze header: %w", err)
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	titleRow := make([]any, len(cols))
	titleRow[0] = excelize.Cell{StyleID: b.title, Value: title}
	for i := 1; i < len(cols); i++ {
		titleRow[i] = excelize.Cell{StyleID: b.title}
	}
	if err := sw.SetRow("A1", titleRow, excelize.RowOpts{Height: 36}); err != nil {
		return nil, fmt.Errorf("title row: %w", err)
	}
	if len(cols) > 1 {
		if err := sw.MergeCell("A1", last+"1"); err != nil {
			return nil, fmt.Errorf("merge title: %w", err)
		}
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: b.header, Value: c.name}
	}
	if err := sw.SetRow("A2", head, excelize.RowOpts{Height: 30}); err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	t.row = 2
	return t, nil
}

// cell returns a data cell; an empty value gives a blank cell with the
// style only, so that the borders are complete but no empty text is stored.
func cell(style int, v any) excelize.Cell {
	if s, ok := v.(string); ok && s == "" {
		return excelize.Cell{StyleID: style}
	}
	return excelize.Cell{StyleID: style, Value: v}
}

// add writes one data row; cells are excelize.Cell values.
func (t *table) add(cells []any) error {
	t.row++
	if err := t.sw.SetRow(cellName(1, t.row), cells); err != nil {
		return fmt.Errorf("row %d: %w", t.row, err)
	}
	return nil
}

// addTall writes one data row of the given height in points (for wrapped
// text: Excel does not fit rows to it when it opens a file).
func (t *table) addTall(cells []any, height float64) error {
	t.row++
	if err := t.sw.SetRow(cellName(1, t.row), cells, excelize.RowOpts{Height: height}); err != nil {
		return fmt.Errorf("row %d: %w", t.row, err)
	}
	return nil
}

// finish flushes the sheet and writes the workbook to w.
func (t *table) finish(w io.Writer) error {
	if err := t.sw.Flush(); err != nil {
		t.b.f.Close()
		return fmt.Errorf("flush: %w", err)
	}
	return t.b.save(w)
}

// cellName returns the A1-style name of a cell.
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// parentPath returns an organization path without its last name:
// 浙江明理大学团委/信息学院团委/2023级计算机1班团支部 → 浙江明理大学团委/信息学院团委.
func parentPath(full string) string {
	if i := strings.LastIndex(full, "/"); i >= 0 {
		return full[:i]
	}
	return ""
}
