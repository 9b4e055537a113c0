package xlsx

import (
	"fmt"
	"strings"

	"tuanwu/app"
)

// Template column indexes: 姓名, 身份证号码, then app.MemberFields (R-X2).
const (
	colName = iota
	colID
	colFirstField
)

// TemplateColumns returns the column names of the national
// 团员团干部导入模板 in order (R-X2): 姓名, 身份证号码, then app.MemberFields.
func TemplateColumns() []string {
	return append([]string{"姓名", "身份证号码"}, app.MemberFields...)
}

// headerName returns the template name of a header cell, an optional
// column's name, or "" when the cell names nothing the import knows.
func headerName(cell string) string {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0', '*', '＊':
			return -1
		}
		return r
	}, cell)
	for i := 0; i < 2 && s != ""; i++ {
		switch s {
		case "姓名", "团员姓名":
			return "姓名"
		case "身份证号码", "身份证号", "身份证", "公民身份号码", "证件号码":
			return "身份证号码"
		case "QQ号", "QQ号码", "qq号":
			return "QQ"
		case "序号":
			return "序号"
		case "原行号", "问题":
			return s // the problem list's own columns (WriteImportProblems)
		}
		if c := app.CanonicalField(s); c != "" {
			return c
		}
		// A hint in brackets after the name: 入团年月（格式：2019-05）.
		if j := strings.LastIndexAny(s, "(（"); j > 0 && (strings.HasSuffix(s, ")") || strings.HasSuffix(s, "）")) {
			s = s[:j]
			continue
		}
		break
	}
	return ""
}

// header is the header row found in a sheet: where each template column is.
type header struct {
	sheet      string
	row        int
	cols       []int // template column → sheet column (0-based), -1 when missing
	developed  int   // 发展日期, -1 when absent
	missing    []string
	unexpected []string
	duplicate  []string
	known      int // template columns found
}

func (h *header) ok() bool {
	return len(h.missing) == 0 && len(h.unexpected) == 0 && len(h.duplicate) == 0
}

// matchHeader reads one row as a header.
func matchHeader(sheet string, row int, cells []string) *header {
	names := TemplateColumns()
	h := &header{sheet: sheet, row: row, cols: make([]int, len(names)), developed: -1}
	for i := range h.cols {
		h.cols[i] = -1
	}
	index := map[string]int{}
	for i, n := range names {
		index[n] = i
	}
	for j, cell := range cells {
		raw := strings.TrimSpace(cell)
		if raw == "" {
			continue
		}
		name := headerName(raw)
		if t, ok := index[name]; ok {
			if h.cols[t] >= 0 {
				h.duplicate = append(h.duplicate, name)
				continue
			}
			h.cols[t] = j
			h.known++
			continue
		}
		switch name {
		case "发展日期":
			h.developed = j
		case "序号", "原行号", "问题":
		default:
			h.unexpected = append(h.unexpected, strings.Join(strings.Fields(raw), ""))
		}
	}
	// 姓名 and 身份证号码 must be there; a template column left out is read
	// as empty, so that a sheet with only some of the columns still imports.
	for t, c := range h.cols {
		if c < 0 && t < colFirstField {
			h.missing = append(h.missing, names[t])
		}
	}
	return h
}

// headerError explains why the best header candidate does not match the template.
func headerError(h *header) error {
	if h == nil || h.known == 0 {
		return invalid("表格中找不到“团员团干部导入模板”的表头（姓名、身份证号码、民族……）。请下载空白模板，把团员信息填进去后再导入；" +
			"表头必须是：" + strings.Join(TemplateColumns(), "、") + "。")
	}
	var parts []string
	if len(h.missing) > 0 {
		parts = append(parts, "缺少列："+strings.Join(h.missing, "、"))
	}
	if len(h.unexpected) > 0 {
		parts = append(parts, "模板中没有的列："+strings.Join(h.unexpected, "、"))
	}
	if len(h.duplicate) > 0 {
		parts = append(parts, "重复的列："+strings.Join(h.duplicate, "、"))
	}
	return invalid(fmt.Sprintf("工作表“%s”第 %d 行的表头与“团员团干部导入模板”不一致（%s）。表头应为："+
		"%s；可下载空白模板，把数据复制进去后再导入。", h.sheet, h.row, strings.Join(parts, "；"), strings.Join(TemplateColumns(), "、")))
}

// width is the number of sheet columns the import reads: up to the last
// column of the header it uses.
func (h *header) width() int {
	w := h.developed + 1
	for _, c := range h.cols {
		w = max(w, c+1)
	}
	return w
}
