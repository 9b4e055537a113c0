package xlsx

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
)

const (
	maxCellRunes   = 1000      // longer cells are a problem of their row
	maxDataRows    = 100000    // data rows one file may hold
	headerScanRows = 20        // rows looked at for the header (title rows may stand above it)
	maxKeptBytes   = 128 << 20 // bytes of the rows read and their problems, kept until the import ends
)

// ReadMembers reads the national 团员团干部导入模板 (R-M4, R-X2) from r: the
// first worksheet whose header row (a title row may stand above it) names
// the template's columns. Each data row becomes an app.ImportRow with the
// member it describes and every problem found in it (R-M2, R-X1, R-X2);
// fully empty rows are skipped; row numbers are as Excel shows them.
// Duplicates inside the file are a problem of the later row. Uniqueness in
// the store (R-X3) is checked by app.Service.CheckImport.
//
// A file that is not an .xlsx workbook, or whose header does not match the
// template, gives an *app.Error with code EInvalid whose Chinese message
// says what is wrong and how to fix it. The sheet is read as a stream.
func ReadMembers(r io.Reader, now time.Time) (rows []app.ImportRow, err error) {
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, invalidCause(fmt.Errorf("panic reading workbook: %v", p), msgCorrupt)
		}
	}()
	defer limitMemory()()
	tmp, done, err := importTempDir()
	if err != nil {
		return nil, err
	}
	defer done()
	f, err := openWorkbook(r, tmp)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	var best *header
	for _, sheet := range f.GetSheetList() {
		it, err := f.Rows(sheet)
		if err != nil {
			continue // a chart sheet, or a sheet part that is missing
		}
		sr := &sheetRows{it: it}
		h, err := findHeader(sr, sheet)
		if err != nil {
			it.Close()
			return nil, err
		}
		if h != nil && h.ok() {
			rows, err := readRows(sr, h, now, date1904)
			if cerr := it.Close(); err == nil && cerr != nil {
				err = invalidCause(cerr, msgCorrupt)
			}
			return rows, err
		}
		it.Close()
		if h != nil && (best == nil || h.known > best.known) {
			best = h
		}
	}
	return nil, headerError(best)
}

var rawCells = excelize.Options{RawCellValue: true}

// sheetRows counts the rows of excelize's stream iterator, which walks every
// row number, so that n is the row number Excel shows.
type sheetRows struct {
	it *excelize.Rows
	n  int
}

func (s *sheetRows) next() bool {
	if !s.it.Next() {
		return false
	}
	s.n++
	return true
}

func (s *sheetRows) cells() ([]string, error) { return s.it.Columns(rawCells) }

// findHeader looks for the header row among the first rows of a sheet and
// leaves it positioned after that row. It returns the matching header, else
// the best candidate (nil when no row names a template column).
func findHeader(sr *sheetRows, sheet string) (*header, error) {
	var best *header
	for sr.n < headerScanRows && sr.next() {
		cells, err := sr.cells()
		if err != nil {
			return nil, invalidCause(err, msgCorrupt)
		}
		h := matchHeader(sheet, sr.n, cells)
		if h.known == 0 {
			continue
		}
		if h.ok() {
			return h, nil
		}
		if best == nil || h.known > best.known {
			best = h
		}
		if h.cols[colName] >= 0 && h.cols[colID] >= 0 {
			return h, nil // the header row, but not the template's
		}
	}
	return best, nil
}

// cellBatch is a run of consecutive rows read from the sheet.
type cellBatch struct {
	first int        // the row number of rows[0]
	rows  [][]string // raw cells
	err   error      // the sheet could not be read further
}

const batchRows = 256

// readRows reads the data rows below the header. One goroutine decodes the
// sheet's XML while the caller's checks the rows, so that a large file is
// read in about the time excelize takes to decode it.
func readRows(sr *sheetRows, h *header, now time.Time, date1904 bool) ([]app.ImportRow, error) {
	batches := make(chan cellBatch, 4)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	defer wg.Wait() // the caller closes the iterator afterwards
	defer close(stop)
	go func() {
		defer wg.Done()
		defer close(batches)
		b := cellBatch{first: sr.n + 1}
		send := func() bool {
			select {
			case batches <- b:
				b = cellBatch{first: sr.n + 1}
				return true
			case <-stop:
				return false
			}
		}
		defer func() {
			if p := recover(); p != nil {
				b.err = fmt.Errorf("panic decoding the sheet: %v", p)
				send()
			}
		}()
		width := h.width()
		for sr.next() {
			cells, err := sr.cells()
			if err != nil {
				b.err = err
				break
			}
			if len(cells) > width { // keep only the template's columns, not the row's backing array
				cells = append(make([]string, 0, width), cells[:width]...)
			}
			b.rows = append(b.rows, cells)
			if len(b.rows) == batchRows && !send() {
				return
			}
		}
		if b.err == nil {
			b.err = sr.it.Error()
		}
		send()
	}()

	var out []app.ImportRow
	p := newRowParser(h, now, date1904)
	kept := 0
	for b := range batches {
		for i, cells := range b.rows {
			row, ok := p.parse(b.first+i, cells)
			if !ok {
				continue
			}
			if len(out) == maxDataRows {
				return nil, invalid(fmt.Sprintf("表格中的团员超过 %d 行，一次导入不了这么多。请把数据分成几个文件，每个不超过 %d 行，分别导入。", maxDataRows, maxDataRows))
			}
			if kept += rowBytes(&row); kept > maxKeptBytes {
				return nil, invalid(fmt.Sprintf("表格内容太多：读到第 %d 行时，团员信息和发现的问题已超过一次导入 %s 的上限。"+
					"请把表格分成几个较小的文件分别导入；如果大部分行都有问题，请先核对各列是否与“团员团干部导入模板”一致。", row.Row, mb(maxKeptBytes)))
			}
			out = append(out, row)
		}
		if b.err != nil {
			return nil, invalidCause(b.err, msgCorrupt)
		}
	}
	if len(out) == 0 {
		return nil, invalid(fmt.Sprintf("工作表“%s”第 %d 行的表头下面没有任何团员数据。请把团员信息填在表头下面的行里，保存后再导入。", h.sheet, h.row))
	}
	return out, nil
}

// readMemory is the Go heap a read aims to stay under, so that the import
// with its checks stays under 300 MB: the rows it keeps are bounded by
// maxKeptBytes, and excelize's XML decoding makes garbage many times the
// sheet's size, which the collector, at its default pace, would let grow to
// twice what is kept.
const readMemory = 200 << 20

var memoryMu sync.Mutex
var memoryReaders int
var memoryBefore int64

// limitMemory sets the runtime's soft memory limit to readMemory while a
// read runs (when no lower limit is set) and returns the function that puts
// the previous limit back when the last read ends.
func limitMemory() func() {
	memoryMu.Lock()
	defer memoryMu.Unlock()
	if memoryReaders == 0 {
		memoryBefore = debug.SetMemoryLimit(-1)
		if memoryBefore > readMemory {
			debug.SetMemoryLimit(readMemory)
		}
	}
	memoryReaders++
	return func() {
		memoryMu.Lock()
		defer memoryMu.Unlock()
		if memoryReaders--; memoryReaders == 0 {
			debug.SetMemoryLimit(memoryBefore)
		}
	}
}

// rowBytes estimates the memory a row read keeps: the row itself, its
// text and its problems.
func rowBytes(r *app.ImportRow) int {
	n := int(unsafe.Sizeof(*r)) + 2*int(unsafe.Sizeof("")) // and a share of the slice's spare room
	for _, name := range app.MemberFields {
		n += len(r.Member.Field(name))
	}
	n += len(r.Member.Name) + len(r.Member.IDNo) + len(r.Member.DevelopedOn)
	for _, p := range r.Problems {
		n += int(unsafe.Sizeof(p)) + len(p)
	}
	for _, g := range r.Given {
		n += int(unsafe.Sizeof(g)) + len(g)
	}
	return n
}

// rowParser turns data rows into ImportRows and finds duplicates inside the file.
type rowParser struct {
	h        *header
	now      time.Time
	date1904 bool
	names    []string
	vals     []string // the current row's cells by template column
	tooLong  []bool
	seenID   map[string]int
	seenNo   map[string]int
}

func newRowParser(h *header, now time.Time, date1904 bool) *rowParser {
	names := TemplateColumns()
	return &rowParser{h: h, now: now, date1904: date1904, names: names,
		vals: make([]string, len(names)), tooLong: make([]bool, len(names)),
		seenID: map[string]int{}, seenNo: map[string]int{}}
}

// placeholderID is a valid 身份证号 (born 1900-01-01) that stands in for an
// invalid one while the other fields are checked.
var placeholderID = "11010119000101001" + string(app.IDCheckChar("11010119000101001"))

// parse reads one data row; ok is false for a fully empty row. Each field
// is checked on its own first, so that a row lists all its problems; then
// ValidateMember checks the rules across fields on a copy in which the
// fields already found wrong are left out.
func (p *rowParser) parse(rowNum int, cells []string) (row app.ImportRow, ok bool) {
	developed, empty := p.read(cells)
	if empty {
		return row, false
	}
	row.Row = rowNum
	p.limitLengths(&row)
	failed := p.setFields(&row, developed)
	check := row.Member
	for _, name := range failed {
		check.SetField(name, "")
	}
	idProblem := p.nameAndID(&row, &check)
	m := &row.Member
	v, err := app.ValidateMember(check, p.now)
	if err != nil {
		problem(&row, app.ErrorMessage(err))
	} else if len(row.Problems) == 0 {
		*m = v
	}
	p.duplicates(&row, idProblem)
	if len(row.Problems) > 0 {
		row.Given = slices.Clone(p.vals) // for the problem list, as typed
	}
	return row, true
}

// problem adds a problem to the row.
func problem(row *app.ImportRow, msg string) { row.Problems = append(row.Problems, msg) }

// read takes the row's cells by template column into p.vals, cleaned,
// and the 发展日期 cell; empty: all of them are.
func (p *rowParser) read(cells []string) (developed string, empty bool) {
	vals := p.vals
	clear(vals)
	clear(p.tooLong)
	empty = true
	for t, c := range p.h.cols {
		if c >= 0 && c < len(cells) {
			vals[t] = cleanCell(cells[c])
			if vals[t] != "" {
				empty = false
			}
		}
	}
	if c := p.h.developed; c >= 0 && c < len(cells) {
		developed = cleanCell(cells[c])
		empty = empty && developed == ""
	}
	return developed, empty
}

// limitLengths leaves out (and reports) the cells over maxCellRunes.
func (p *rowParser) limitLengths(row *app.ImportRow) {
	for t, v := range p.vals {
		if len(v) > maxCellRunes { // bytes ≥ runes: count runes only for long cells
			if n := utf8.RuneCountInString(v); n > maxCellRunes {
				problem(row, fmt.Sprintf("“%s”一栏有 %d 个字，超过了 %d 个字的上限，请核对是否把别的内容粘贴进来了。", p.names[t], n, maxCellRunes))
				p.vals[t], p.tooLong[t] = "", true
			}
		}
	}
}

// setFields sets the member's fields from the cells, each checked on its
// own (and against its value list, R-X2), and the 发展日期; it returns the
// fields found wrong, to be left out of the cross-field check.
func (p *rowParser) setFields(row *app.ImportRow, developed string) (failed []string) {
	m := &row.Member
	for i, name := range app.MemberFields {
		if p.tooLong[colFirstField+i] {
			continue
		}
		v := p.fieldText(name, p.vals[colFirstField+i])
		if err := m.SetField(name, v); err != nil {
			problem(row, app.ErrorMessage(err))
			failed = append(failed, name)
			if name == "入团年月" {
				m.JoinMonth = v // shown in the preview as typed
			} else if name == "任现职年月" {
				m.PostSince = v
			}
			continue
		}
		if msg := listProblem(name, m.Field(name)); msg != "" {
			problem(row, msg)
			failed = append(failed, name)
		}
	}
	switch {
	case len(developed) > 64:
		problem(row, "“发展日期”应填日期，例如 2025-05-04，请核对。")
		failed = append(failed, "发展日期")
	case developed != "":
		m.DevelopedOn = dateText(developed, p.date1904)
	}
	return failed
}

// nameAndID sets the member's 姓名 and 身份证号 and checks them; in check,
// a wrong one is replaced by a stand-in so that the other rules are still
// checked. It returns the 身份证号's problem as read.
func (p *rowParser) nameAndID(row *app.ImportRow, check *app.Member) (idProblem string) {
	m := &row.Member
	m.Name = p.vals[colName]
	if p.tooLong[colName] {
		check.Name = "某某"
	} else if _, err := app.ValidateName(m.Name); err != nil {
		problem(row, app.ErrorMessage(err))
		check.Name = "某某"
	} else {
		check.Name = m.Name
	}
	id, idProblem := idText(p.vals[colID])
	m.IDNo, check.IDNo = id, id
	switch {
	case p.tooLong[colID]:
		check.IDNo = placeholderID
	case idProblem != "":
		problem(row, idProblem)
		check.IDNo = placeholderID
	default:
		if _, err := app.ParseID(id, p.now); err != nil {
			problem(row, app.ErrorMessage(err))
			check.IDNo = placeholderID
		}
	}
	return idProblem
}

// duplicates reports a 身份证号 or 团员编号 an earlier row of the file has
// (R-X3, R-X1), and remembers this row's.
func (p *rowParser) duplicates(row *app.ImportRow, idProblem string) {
	m := &row.Member
	if m.IDNo != "" && idProblem == "" {
		if first, ok := p.seenID[m.IDNo]; ok {
			problem(row, fmt.Sprintf("身份证号与第 %d 行重复，同一人只能录入一次。请核对后删除重复的一行。", first))
		} else {
			p.seenID[m.IDNo] = row.Row
		}
	}
	if m.MemberNo != "" {
		if first, ok := p.seenNo[m.MemberNo]; ok {
			problem(row, fmt.Sprintf("团员编号 %s 与第 %d 行重复，每位团员的编号都不同。请核对团员编号。", m.MemberNo, first))
		} else {
			p.seenNo[m.MemberNo] = row.Row
		}
	}
}

// listProblem checks a value against its value list (R-X2).
func listProblem(field, v string) string {
	list, ok := app.ValueLists[field]
	switch {
	case !ok || v == "":
		return ""
	case field == "是否团干部" || field == "是否同级党委（支部）成员":
		return "" // read as yes/no answers, with more spellings than the list
	}
	for _, s := range list {
		if s == v {
			return ""
		}
	}
	if len(list) > 20 {
		return fmt.Sprintf("“%s”填写的“%s”不在可选范围内，请从模板的下拉列表中选择（如 %s）。", field, v, strings.Join(list[:6], "、"))
	}
	return fmt.Sprintf("“%s”填写的“%s”不在可选范围内，请从 %s 中选择。", field, v, strings.Join(list, "、"))
}
