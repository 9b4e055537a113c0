package xlsx

import (
	"io"

	"tuanwu/app"
)

// AbroadRegisterTitle is the title and the sheet name of the register of
// 出国（境）学习研究 members (R-T2).
const AbroadRegisterTitle = "出国（境）学习研究团员登记册"

// abroadColumns are the register's columns.
var abroadColumns = []column{{"序号", 7}, {"姓名", 10}, {"身份证号", 21}, {"所在学院", 34}, {"原团支部", 44},
	{"境外学习研究地点", 22}, {"期限", 14}, {"境内联系人", 11}, {"联系方式", 16}, {"批准日期", 12}, {"备注", 26}}

// WriteAbroadRegister writes the 出国（境）学习研究团员登记册 (R-T2) to w: its
// title row, then 序号 | 姓名 | 身份证号 | 所在学院 | 原团支部 | 境外学习研究地点
// | 期限 | 境内联系人 | 联系方式 | 批准日期 | 备注, one row per member; the
// 身份证号, the phone number and the date are text cells, so that Excel and
// WPS never turn them into numbers or dates.
func WriteAbroadRegister(w io.Writer, rows []app.AbroadRow) error {
	b, err := newBook()
	if err != nil {
		return err
	}
	t, err := b.newTable(AbroadRegisterTitle, AbroadRegisterTitle, abroadColumns)
	if err != nil {
		b.f.Close()
		return err
	}
	for i, r := range rows {
		err := t.add([]any{cell(b.center, i+1), cell(b.cell, r.Name), cell(b.text, r.IDNo), cell(b.cell, r.College),
			cell(b.cell, r.FromOrg), cell(b.cell, r.Place), cell(b.cell, r.Period), cell(b.cell, r.Contact),
			cell(b.text, r.ContactPhone), cell(b.text, r.ApprovedOn), cell(b.cell, r.Remark)})
		if err != nil {
			b.f.Close()
			return err
		}
	}
	return t.finish(w)
}
