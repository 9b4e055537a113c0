package app

import (
	"strings"
	"time"
	"unicode/utf8"
)

// IDInfo is what an 18-character 身份证号 (GB 11643) tells about its holder.
type IDInfo struct {
	Region string    // the first six digits (行政区划代码)
	Birth  time.Time // the birth date, UTC midnight
	Male   bool      // the 17th digit is odd for men
}

// Gender returns 男 or 女.
func (i IDInfo) Gender() string {
	if i.Male {
		return "男"
	}
	return "女"
}

// provincePrefixes are the first two digits of every province-level region.
var provincePrefixes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar returns the MOD 11-2 check character for the first 17 digits
// of a 身份证号. It returns 0 when first17 is not 17 ASCII digits.
func IDCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// NormalizeID trims spaces (also full-width ones) and upper-cases a final x.
func NormalizeID(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u3000", ""))
	s = strings.ReplaceAll(s, " ", "")
	return strings.ToUpper(s)
}

// ParseID validates a 身份证号 (R-M2) and returns what it tells. now bounds
// the birth date: nobody is born in the future. The error is an *Error with
// code EInvalid whose message says exactly what is wrong.
func ParseID(raw string, now time.Time) (IDInfo, error) {
	s := NormalizeID(raw)
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		return IDInfo{}, Errorf(EInvalid, "身份证号不能为空，请填写 18 位身份证号。")
	case n == 15 && allDigits(s):
		return IDInfo{}, Errorf(EInvalid, "身份证号 %s 是 15 位的旧号码，请换用 18 位的第二代身份证号。", s)
	case n != 18:
		return IDInfo{}, Errorf(EInvalid, "身份证号应为 18 位，现在是 %d 位，请核对后重新填写。", n)
	}
	if !allDigits(s[:17]) {
		return IDInfo{}, Errorf(EInvalid, "身份证号的前 17 位必须都是数字，请核对后重新填写。")
	}
	last := s[17]
	if !(last >= '0' && last <= '9') && last != 'X' {
		return IDInfo{}, Errorf(EInvalid, "身份证号的最后一位只能是数字或 X，请核对后重新填写。")
	}
	if !provincePrefixes[s[:2]] {
		return IDInfo{}, Errorf(EInvalid, "身份证号开头的地区代码 %s 不存在，请核对后重新填写。", s[:6])
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil {
		return IDInfo{}, Errorf(EInvalid, "身份证号中的出生日期 %s 不是有效日期，请核对第 7 到 14 位。", s[6:14])
	}
	if birth.Year() < 1900 || birth.After(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)) {
		return IDInfo{}, Errorf(EInvalid, "身份证号中的出生日期 %s 不合理，请核对第 7 到 14 位。", birth.Format("2006-01-02"))
	}
	if want := IDCheckChar(s[:17]); want != last {
		return IDInfo{}, Errorf(EInvalid, "身份证号 %s 的校验位不正确（按前 17 位应为 %c），请核对是否有数字录错。", s, want)
	}
	return IDInfo{Region: s[:6], Birth: birth, Male: (s[16]-'0')%2 == 1}, nil
}

// MaskID hides the middle of a 身份证号: 330102********0011.
func MaskID(id string) string {
	if len(id) != 18 || !allDigits(id[:17]) {
		return id
	}
	return id[:6] + "********" + id[14:]
}

// AgeAt returns the age in whole years at now of someone born at birth.
func AgeAt(birth, now time.Time) int {
	age := now.Year() - birth.Year()
	if now.Month() < birth.Month() || (now.Month() == birth.Month() && now.Day() < birth.Day()) {
		age--
	}
	return age
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
