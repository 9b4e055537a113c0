package xlsx

import (
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"
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
