package xlsx

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tuanwu/app"
)

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
