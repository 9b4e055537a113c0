package xlsx

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"tuanwu/app"
)

// fieldText turns a raw cell into the text SetField expects: numbers back
// to digits, Excel dates to YYYY-MM.
func (p *rowParser) fieldText(field, v string) string {
	switch field {
	case "手机号码":
		return strings.TrimPrefix(phoneSeparators.Replace(integerText(v)), "+86")
	case "QQ", "发展团员编号":
		return integerText(v)
	case "入团年月", "任现职年月":
		return monthText(v, p.date1904)
	}
	return v
}

// phoneSeparators are the spaces and dashes people type in phone numbers.
var phoneSeparators = strings.NewReplacer(" ", "", "-", "")

// cleanCell trims spaces (also full-width and no-break ones) and invisible marks.
func cleanCell(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0', '\ufeff', '\u200b':
			return true
		}
		return false
	})
}

// isNumber reports whether s is a plain decimal number as a spreadsheet
// stores it: optional sign, digits with an optional point, optional exponent.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// integerText returns a number cell (13812345678, 1.3812345678E+10,
// 123456.0) as its digits; other text unchanged.
func integerText(s string) string {
	if s == "" || allDigits(s) || !isNumber(s) {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1e15 {
		return s
	}
	return strconv.FormatInt(int64(f), 10)
}

// significantDigits counts the digits of an all-digit string without its
// leading and trailing zeros.
func significantDigits(s string) int {
	return len(strings.TrimRight(strings.TrimLeft(s, "0"), "0"))
}

// idText returns the 身份证号 of a cell, or a problem when the cell holds a
// number that lost the ID's last digits: Excel keeps 15 significant digits,
// so an 18-digit ID typed into a number cell is stored as
// 4.40304200601010E+17 or 440304200601010000 and cannot be restored.
func idText(s string) (string, string) {
	s = strings.TrimPrefix(s, "'")
	lost := fmt.Sprintf("身份证号被存成了数字，后几位已丢失（Excel 的数字最多保留 15 位，读到的是 %s），无法还原。"+
		"请把该列设为文本格式后重新填写这一行完整的 18 位身份证号。", s)
	if isNumber(s) && !allDigits(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil && math.Abs(f) >= 1e14 {
			return s, lost
		}
		return integerText(s), ""
	}
	if allDigits(s) && len(s) >= 18 && significantDigits(s) <= 15 {
		if _, err := app.ParseID(s, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return s, lost
		}
	}
	return app.NormalizeID(s), ""
}

// Excel serial days of 1950-01-01 and 2100-01-01: a number in this range in
// a month column is a date cell.
const (
	serial1950 = 18264
	serial2100 = 73051
)

// excelDate reads a date cell: an Excel serial day number, an ISO date-time
// (t="d" cells) or 20190501.
func excelDate(s string, date1904 bool) (time.Time, bool) {
	if i := strings.IndexByte(s, 'T'); i == 10 {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return t, true
		}
	}
	if len(s) == 8 && allDigits(s) {
		if t, err := time.Parse("20060102", s); err == nil {
			return t, true
		}
	}
	if isNumber(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil && f >= serial1950 && f < serial2100 {
			if t, err := excelize.ExcelDateToTime(f, date1904); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// dateLayouts are the ways people type a date (发展日期).
var dateLayouts = []string{"2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日"}

// dateText returns a date cell as YYYY-MM-DD when it can be read as one,
// else as it is, for ValidateMember to report.
func dateText(s string, date1904 bool) string {
	if t, ok := excelDate(s, date1904); ok {
		return t.Format("2006-01-02")
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return s
}

// monthText returns a month cell as YYYY-MM when it is a date cell or a
// date; other text (201905, 2019.05, 2019年5月) is left to app.NormalizeMonth.
func monthText(s string, date1904 bool) string {
	if s == "" {
		return ""
	}
	if t, ok := excelDate(s, date1904); ok {
		return t.Format("2006-01")
	}
	return s
}
