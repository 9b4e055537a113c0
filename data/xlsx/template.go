package xlsx

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
)

// Sheet names of the template.
const (
	TemplateSheet = "团员信息"
	GuideSheet    = "填写说明"
)

// templateRows is how many rows below the header carry the drop-downs and prompts.
const templateRows = 50000

// templateWidths are the template's column widths by column name.
var templateWidths = map[string]float64{"姓名": 10, "身份证号码": 21, "民族": 9, "政治面貌": 13, "文化程度": 15,
	"入团年月": 10, "是否团干部": 8, "手机号码": 13, "微博": 14, "QQ": 13, "邮箱": 24, "发展团员编号": 15,
	"现任团内职务": 12, "任现职年月": 10, "团干部性质": 10, "是否同级党委（支部）成员": 12}

// prompts are the input messages Excel and WPS show on a selected cell.
var prompts = map[string]string{
	"姓名":     "填写团员的姓名（必填）。",
	"身份证号码":  "18 位身份证号（必填），末位 X 请大写。本列是文本格式，请不要改成数字格式，否则后几位会丢失。",
	"入团年月":   "按 2019-05 的格式填写。",
	"任现职年月":  "按 2019-05 的格式填写。",
	"发展团员编号": "2017 年及以后入团的必填：12 位数字，前 4 位为入团年份。",
	"手机号码":   "11 位手机号码。",
}

// guide is the text of the 填写说明 sheet.
var guide = []string{
	"团员团干部导入模板 填写说明",
	"1. 每行填写一名团员。请不要改动“团员信息”表第一行的列名和顺序，不要合并单元格，不要插入空列。",
	"2. 姓名、身份证号码必须填写。身份证号码为 18 位，最后一位是 X 的请填大写 X。本表已把身份证号码、手机号码、QQ、发展团员编号和两个年月列设为文本格式，请不要改成数字或日期格式，否则身份证号的后几位会丢失。",
	"3. 从别的表格复制数据时，请用“选择性粘贴 → 数值”，以免把数字格式一起带进来。",
	"4. 民族、政治面貌、文化程度、是否团干部、现任团内职务、团干部性质、是否同级党委（支部）成员，请从单元格的下拉列表中选择。",
	"5. 入团年月、任现职年月按“2019-05”的格式填写（写成 2019.05、2019年5月 也可以识别），不能晚于今天；入团时应年满 10 周岁。",
	"6. 2017 年及以后入团的团员必须填写发展团员编号：12 位数字，前 4 位为入团年份（2017 年与 2018 年入团的可互用）；2016 年及以前入团的可不填。团员编号不能重复。",
	"7. 是否团干部选“是”的，必须选择现任团内职务，并填写任现职年月和团干部性质（专职、兼职、挂职）。",
	"8. 手机号码为 11 位数字；QQ 为 5 到 12 位数字；邮箱形如 name@example.com。每个单元格不超过 1000 个字。",
	"9. 已在系统中注册过的团员（提示“身份证已注册”）不要再导入，请办理组织关系转入。",
	"10. 导入时会逐行检查并列出每一行的问题。文件中有错误的行时默认整份文件都不导入，改正后重新导入；也可以选择只导入没有问题的行。",
	"11. 请保存为 Excel 工作簿（.xlsx）格式，不要设置打开密码。",
}

// WriteTemplate writes an empty 团员团干部导入模板 (R-M4, R-X2) to w: the
// header row in the national order, frozen; drop-downs for every value
// list; every column in text format so that IDs, phone numbers and months
// stay as typed; column widths; input prompts; and a second sheet 填写说明
// with the rules. ReadMembers reads a filled template back.
func WriteTemplate(w io.Writer) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	if err := writeTemplate(b); err != nil {
		b.f.Close()
		return err
	}
	return b.save(w)
}

func writeTemplate(b *book) error {
	f := b.f
	if err := b.firstSheet(TemplateSheet); err != nil {
		return err
	}
	cols := TemplateColumns()
	last, _ := excelize.ColumnNumberToName(len(cols))
	text, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName}, NumFmt: textFormat})
	if err != nil {
		return fmt.Errorf("text style: %w", err)
	}
	if err := f.SetColStyle(TemplateSheet, "A:"+last, text); err != nil {
		return fmt.Errorf("text columns: %w", err)
	}
	for i, name := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(TemplateSheet, col, col, templateWidths[name]); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
		if err := f.SetCellStr(TemplateSheet, col+"1", name); err != nil {
			return fmt.Errorf("header: %w", err)
		}
		sqref := fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
		if list, ok := app.ValueLists[name]; ok {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(sqref)
			if err := dv.SetDropList(list); err != nil {
				return fmt.Errorf("drop-down %s: %w", name, err)
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, "输入有误", fmt.Sprintf("“%s”请从下拉列表中选择。", name))
			if err := f.AddDataValidation(TemplateSheet, dv); err != nil {
				return fmt.Errorf("drop-down %s: %w", name, err)
			}
		}
		if p, ok := prompts[name]; ok {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(sqref)
			dv.SetInput(name, p)
			if name == "身份证号码" {
				if err := dv.SetRange(18, 18, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorEqual); err != nil {
					return fmt.Errorf("ID length: %w", err)
				}
				dv.SetError(excelize.DataValidationErrorStyleStop, "身份证号码有误", "身份证号码应为 18 位，请核对。")
			}
			if err := f.AddDataValidation(TemplateSheet, dv); err != nil {
				return fmt.Errorf("prompt %s: %w", name, err)
			}
		}
	}
	if err := f.SetCellStyle(TemplateSheet, "A1", last+"1", b.header); err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	if err := f.SetRowHeight(TemplateSheet, 1, 30); err != nil {
		return fmt.Errorf("header height: %w", err)
	}
	if err := f.SetPanes(TemplateSheet, freeze(1)); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	if err := b.printSetup(TemplateSheet, 1); err != nil {
		return err
	}
	return writeGuide(b)
}

// writeGuide writes the 填写说明 sheet: the rules, then every value list.
func writeGuide(b *book) error {
	f := b.f
	if _, err := f.NewSheet(GuideSheet); err != nil {
		return fmt.Errorf("guide sheet: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return fmt.Errorf("guide style: %w", err)
	}
	if err := f.SetColWidth(GuideSheet, "A", "A", 110); err != nil {
		return fmt.Errorf("guide width: %w", err)
	}
	lines := append([]string{}, guide...)
	lines = append(lines, "", "可选值（与下拉列表相同）：")
	for _, name := range TemplateColumns() {
		if list, ok := app.ValueLists[name]; ok {
			lines = append(lines, name+"："+strings.Join(list, "、"))
		}
	}
	for i, line := range lines {
		cell := fmt.Sprintf("A%d", i+1)
		if err := f.SetCellStr(GuideSheet, cell, line); err != nil {
			return fmt.Errorf("guide: %w", err)
		}
		style := wrap
		if i == 0 {
			style = b.title
		}
		if err := f.SetCellStyle(GuideSheet, cell, cell, style); err != nil {
			return fmt.Errorf("guide style: %w", err)
		}
	}
	if err := f.SetRowHeight(GuideSheet, 1, 30); err != nil {
		return fmt.Errorf("guide title height: %w", err)
	}
	if err := b.printSetup(GuideSheet, 0); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}
