package xlsx

import (
	"io"
	"time"

	"tuanwu/app"
)

// RosterOptions sets how WriteRoster writes the members.
type RosterOptions struct {
	// MaskIDs hides the middle of every 身份证号 (app.MaskID). Callers set
	// it to false only for users who may see full IDs, and audit that.
	MaskIDs bool
	// Now is the day the ages are computed at; the zero time means today.
	Now time.Time
}

// RosterSheet is the name of the roster's worksheet.
const RosterSheet = "团员名册"

// rosterColumns are the roster's columns: the template's fields (R-X2) with
// 所在组织, 性别, 出生日期 and 年龄 derived from the 身份证号.
func rosterColumns() []column {
	cols := []column{{"序号", 7}, {"所在组织", 36}, {"姓名", 10}, {"身份证号码", 21}, {"性别", 6}, {"出生日期", 12}, {"年龄", 6}}
	widths := map[string]float64{"民族": 9, "政治面貌": 13, "文化程度": 15, "入团年月": 10, "是否团干部": 8, "手机号码": 13,
		"微博": 14, "QQ": 13, "邮箱": 24, "发展团员编号": 15, "现任团内职务": 10, "任现职年月": 10, "团干部性质": 8,
		"是否同级党委（支部）成员": 12}
	for _, f := range app.MemberFields {
		cols = append(cols, column{f, widths[f]})
	}
	return append(cols, column{"发展日期", 12}, column{"团籍状态", 10})
}

// textColumns are the roster columns written as text cells in text format,
// so that Excel and WPS never turn them into numbers or dates.
var textColumns = map[string]bool{"身份证号码": true, "出生日期": true, "入团年月": true, "手机号码": true, "QQ": true,
	"发展团员编号": true, "任现职年月": true, "发展日期": true}

// WriteRoster writes the roster of an organization to w: a title row, a
// frozen header, then one row per member that members yields, with every
// field, the organization and what the 身份证号 tells (性别, 出生日期, 年龄).
// IDs are text cells, masked unless opts.MaskIDs is false. The sheet is
// streamed, so that 50,000 members and more take little memory.
func WriteRoster(w io.Writer, title string, members func(yield func(app.Member) bool), opts RosterOptions) error {
	now := opts.Now
	if now.IsZero() {
		now = time.Now().In(app.Shanghai)
	}
	b, err := newBook()
	if err != nil {
		return err
	}
	cols := rosterColumns()
	t, err := b.newTable(RosterSheet, title, cols)
	if err != nil {
		b.f.Close()
		return err
	}
	styles := make([]int, len(cols))
	for i, c := range cols {
		switch {
		case textColumns[c.name]:
			styles[i] = b.text
		case c.name == "序号" || c.name == "性别" || c.name == "年龄" || c.name == "民族" || c.name == "是否团干部" ||
			c.name == "团干部性质" || c.name == "是否同级党委（支部）成员":
			styles[i] = b.center
		default:
			styles[i] = b.cell
		}
	}
	cells := make([]any, len(cols))
	vals := make([]any, len(cols))
	n := 0
	var werr error
	members(func(m app.Member) bool {
		n++
		rosterRow(vals, n, m, opts.MaskIDs, now)
		for i, v := range vals {
			cells[i] = cell(styles[i], v)
		}
		werr = t.add(cells)
		return werr == nil
	})
	if werr != nil {
		b.f.Close()
		return werr
	}
	return t.finish(w)
}

// rosterRow fills vals with one member's cells in the order of rosterColumns.
func rosterRow(vals []any, n int, m app.Member, mask bool, now time.Time) {
	id := m.IDNo
	if mask {
		id = app.MaskID(id)
	}
	var gender, birth string
	var age any = ""
	if info := m.Info(); !info.Birth.IsZero() {
		gender, birth, age = info.Gender(), info.Birth.Format("2006-01-02"), app.AgeAt(info.Birth, now)
	}
	vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6] = n, m.OrgName, m.Name, id, gender, birth, age
	for i, f := range app.MemberFields {
		vals[7+i] = m.Field(f)
	}
	k := 7 + len(app.MemberFields)
	vals[k], vals[k+1] = m.DevelopedOn, m.Status
}

// ErrorReportTitle is the title of 附件3 (R-E1).
const ErrorReportTitle = "信息录入错误团员需上报删除的信息汇总表"

// WriteErrorReport writes 附件3 信息录入错误团员需上报删除的信息汇总表 (R-E1) to
// w: its title row, then 所在组织 | 姓名 | 身份证号 | 备注, full IDs as text,
// for the upper level to delete the wrongly entered members.
func WriteErrorReport(w io.Writer, rows []app.ErrorReportRow) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	t, err := b.newTable("附件3", ErrorReportTitle, []column{{"所在组织", 48}, {"姓名", 12}, {"身份证号", 22}, {"备注", 22}})
	if err != nil {
		b.f.Close()
		return err
	}
	for _, r := range rows {
		err := t.add([]any{cell(b.cell, r.Org), cell(b.cell, r.Name), cell(b.text, r.IDNo), cell(b.cell, r.Remark)})
		if err != nil {
			b.f.Close()
			return err
		}
	}
	return t.finish(w)
}

// UnmarkedTitle is the title of 附件4 (R-G6).
const UnmarkedTitle = "目前尚未标记的团支部团员信息汇总表"

// WriteUnmarked writes 附件4 目前尚未标记的团支部团员信息汇总表 (R-G6) to w:
// 所在组织 | 团支部 | 姓名 | 身份证号 | 性别 | 入团年月, one row per member
// and one row for a branch without members.
func WriteUnmarked(w io.Writer, branches []app.UnmarkedBranch) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	t, err := b.newTable("附件4", UnmarkedTitle, []column{{"所在组织", 40}, {"团支部", 30}, {"姓名", 12},
		{"身份证号", 22}, {"性别", 6}, {"入团年月", 10}})
	if err != nil {
		b.f.Close()
		return err
	}
	row := func(o app.Org, name, id, gender, join string) error {
		org := parentPath(o.FullName)
		return t.add([]any{cell(b.cell, org), cell(b.cell, o.Name), cell(b.cell, name), cell(b.text, id),
			cell(b.center, gender), cell(b.text, join)})
	}
	for _, br := range branches {
		if len(br.Members) == 0 {
			if err := row(br.Org, "", "", "", ""); err != nil {
				b.f.Close()
				return err
			}
			continue
		}
		for _, m := range br.Members {
			gender := ""
			if info := m.Info(); !info.Birth.IsZero() {
				gender = info.Gender()
			}
			if err := row(br.Org, m.Name, m.IDNo, gender, m.JoinMonth); err != nil {
				b.f.Close()
				return err
			}
		}
	}
	return t.finish(w)
}
