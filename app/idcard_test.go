package app

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// idTestNow is the fixed "today" of the 身份证号 tests.
var idTestNow = time.Date(2025, 6, 1, 10, 0, 0, 0, Shanghai)

// withCheck appends the MOD 11-2 check character to 17 digits.
func withCheck(t testing.TB, first17 string) string {
	t.Helper()
	c := IDCheckChar(first17)
	if c == 0 {
		t.Fatalf("IDCheckChar(%q) = 0, want a check character", first17)
	}
	return first17 + string(c)
}

// R-M2: the check character is GB 11643 MOD 11-2; the two examples printed in
// the standard must come out right, and non-digit input gives 0.
func TestIDCheckChar_R_M2(t *testing.T) {
	tests := []struct {
		name    string
		first17 string
		want    byte
	}{
		{"GB 11643 example with X", "11010519491231002", 'X'},
		{"GB 11643 example with 4", "44052418800101001", '4'},
		{"Hangzhou male", "33010619880512001", '5'},
		{"leap day 2000", "44030420000229123", '6'},
		{"check 0", "35020319950615004", '0'},
		{"16 digits", "3301061988051200", 0},
		{"18 digits", "330106198805120015", 0},
		{"letter inside", "3301061988051200A", 0},
		{"empty", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IDCheckChar(tc.first17); got != tc.want {
				t.Errorf("IDCheckChar(%q) = %q, want %q", tc.first17, got, tc.want)
			}
		})
	}
}

// R-M2: valid 18-character numbers are accepted with region, birth date and
// gender derived from them; the check character may be X, typed lower-case,
// and the number may be surrounded or split by (full-width) spaces.
func TestParseID_Valid_R_M2(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		region string
		birth  string
		male   bool
	}{
		{"ordinary male", withCheck(t, "33010619880512001"), "330106", "1988-05-12", true},
		{"X check character, female", withCheck(t, "11010519491231002"), "110105", "1949-12-31", false},
		{"leap day 2000-02-29 is a date", withCheck(t, "44030420000229123"), "440304", "2000-02-29", true},
		{"lower-case x normalised", "11010519491231002x", "110105", "1949-12-31", false},
		{"spaces and full-width spaces", "\u3000330106 19880512 0015\u3000", "330106", "1988-05-12", true},
		{"leading and trailing ASCII spaces", "  31010420050909002X ", "310104", "2005-09-09", false},
		{"born today", withCheck(t, "33010220250601001"), "330102", "2025-06-01", true},
		{"Hong Kong prefix 81", withCheck(t, "81000019990101001"), "810000", "1999-01-01", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := ParseID(tc.raw, idTestNow)
			if err != nil {
				t.Fatalf("ParseID(%q) error %v, want nil", tc.raw, err)
			}
			if info.Region != tc.region {
				t.Errorf("Region = %q, want %q", info.Region, tc.region)
			}
			if got := info.Birth.Format("2006-01-02"); got != tc.birth {
				t.Errorf("Birth = %s, want %s", got, tc.birth)
			}
			if info.Birth.Location() != time.UTC || info.Birth.Hour() != 0 {
				t.Errorf("Birth = %v, want UTC midnight", info.Birth)
			}
			if info.Male != tc.male {
				t.Errorf("Male = %v, want %v", info.Male, tc.male)
			}
			wantGender := "女"
			if tc.male {
				wantGender = "男"
			}
			if info.Gender() != wantGender {
				t.Errorf("Gender() = %s, want %s", info.Gender(), wantGender)
			}
		})
	}
}

// R-M2: invalid numbers are refused with EInvalid and a message that says
// what is wrong.
func TestParseID_Invalid_R_M2(t *testing.T) {
	valid := withCheck(t, "33010619880512001") // 330106198805120015
	tests := []struct {
		name    string
		raw     string
		wantMsg string // a part of the message
	}{
		{"empty", "", "不能为空"},
		{"only spaces", " \u3000 ", "不能为空"},
		{"wrong check character", "330106198805120014", "校验位不正确（按前 17 位应为 5）"},
		{"wrong check character X", "33010619880512001X", "应为 5"},
		{"digit typo in the middle", "330106198805210015", "校验位"},
		{"17 characters", valid[:17], "现在是 17 位"},
		{"19 characters", valid + "0", "现在是 19 位"},
		{"15-digit old number", "330106880512001", "15 位的旧号码"},
		{"letter in first 17", "33010619880512A015", "前 17 位必须都是数字"},
		{"full-width digit", "33010619880512001５", "位"},
		{"bad last character", "33010619880512001Y", "最后一位只能是数字或 X"},
		{"unknown region 99", withCheck(t, "99010219900101001"), "地区代码 990102 不存在"},
		{"unknown region 00", withCheck(t, "00010219900101001"), "地区代码"},
		{"unknown region 10", withCheck(t, "10010219900101001"), "地区代码"},
		{"impossible date 0230", withCheck(t, "33010219900230001"), "出生日期 19900230 不是有效日期"},
		{"1900-02-29 is not a date", withCheck(t, "11010119000229001"), "不是有效日期"},
		{"month 13", withCheck(t, "33010219901301001"), "不是有效日期"},
		{"day 00", withCheck(t, "33010219900100001"), "不是有效日期"},
		{"born before 1900", withCheck(t, "11010118991231001"), "1899-12-31 不合理"},
		{"GB 11643 example born 1880", "440524188001010014", "1880-01-01 不合理"},
		{"born in the future", withCheck(t, "33010220300101001"), "2030-01-01 不合理"},
		{"born tomorrow", withCheck(t, "33010220250602001"), "2025-06-02 不合理"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			info, err := ParseID(tc.raw, idTestNow)
			if err == nil {
				t.Fatalf("ParseID(%q) = %+v, want an error", tc.raw, info)
			}
			if c := ErrorCode(err); c != EInvalid {
				t.Errorf("code = %q, want %q", c, EInvalid)
			}
			if !strings.Contains(ErrorMessage(err), tc.wantMsg) {
				t.Errorf("message %q does not contain %q", ErrorMessage(err), tc.wantMsg)
			}
			if info != (IDInfo{}) {
				t.Errorf("info = %+v, want zero on error", info)
			}
		})
	}
}

// R-M2: "today" is the calendar day in Shanghai, whatever the hour: someone
// born today is accepted even before 08:00 (when UTC is still yesterday), and
// someone born tomorrow is refused even late in the evening.
func TestParseID_TodayInShanghai_R_M2(t *testing.T) {
	today := withCheck(t, "33010220250601001")
	tomorrow := withCheck(t, "33010220250602001")
	for _, hour := range []int{0, 1, 7, 8, 12, 23} {
		now := time.Date(2025, 6, 1, hour, 30, 0, 0, Shanghai)
		t.Run(now.Format("15:04"), func(t *testing.T) {
			if _, err := ParseID(today, now); err != nil {
				t.Errorf("born today at %v: %v, want accepted", now, err)
			}
			if _, err := ParseID(tomorrow, now); ErrorCode(err) != EInvalid {
				t.Errorf("born tomorrow at %v: %v, want EInvalid", now, err)
			}
		})
	}
}

func TestNormalizeID_R_M2(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002x", "11010519491231002X"},
		{" 330106198805120015 ", "330106198805120015"},
		{"\u3000330106\u3000198805120015\u3000", "330106198805120015"},
		{"330106 1988 0512 0015", "330106198805120015"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := NormalizeID(tc.in); got != tc.want {
				t.Errorf("NormalizeID(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMaskID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"330102199501070011", "330102********0011"},
		{"11010519491231002X", "110105********002X"},
		{"330106880512001", "330106880512001"},       // 15 digits: unchanged
		{"3301021995010700AA", "3301021995010700AA"}, // not an ID: unchanged
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := MaskID(tc.in); got != tc.want {
				t.Errorf("MaskID(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// AgeAt counts whole years; R-X4 (超龄离团 at 28) depends on it.
func TestAgeAt_R_X4(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name       string
		birth, now time.Time
		want       int
	}{
		{"day before 28th birthday", d(1997, 6, 2), d(2025, 6, 1), 27},
		{"on 28th birthday", d(1997, 6, 1), d(2025, 6, 1), 28},
		{"day after birthday", d(1997, 5, 31), d(2025, 6, 1), 28},
		{"earlier month", d(1997, 7, 1), d(2025, 6, 30), 27},
		{"later month", d(1997, 5, 31), d(2025, 6, 1), 28},
		{"leap-day birth, Feb 28 of common year", d(2000, 2, 29), d(2023, 2, 28), 22},
		{"leap-day birth, Mar 1 of common year", d(2000, 2, 29), d(2023, 3, 1), 23},
		{"newborn", d(2025, 6, 1), d(2025, 6, 1), 0},
		{"now in Shanghai", d(2005, 6, 1), time.Date(2025, 6, 1, 7, 0, 0, 0, Shanghai), 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := AgeAt(tc.birth, tc.now); got != tc.want {
				t.Errorf("AgeAt(%s, %s) = %d, want %d", tc.birth.Format("2006-01-02"), tc.now.Format("2006-01-02"), got, tc.want)
			}
		})
	}
}

// FuzzParseID (R-M2): ParseID never panics, and whatever it accepts is an
// 18-character number whose last character is the check character of the
// first 17.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{
		"330106198805120015", "11010519491231002x", "11010519491231002X", "330106198805120014",
		"330106880512001", "\u3000330106 19880512 0015", "99010219900101001", "330102199002300011",
		"", "X", "３３０１０６１９８８０５１２００１５", "33010619880512001\u00df",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		info, err := ParseID(raw, idTestNow)
		if err != nil {
			if ErrorCode(err) != EInvalid {
				t.Fatalf("ParseID(%q) error code %q, want %q", raw, ErrorCode(err), EInvalid)
			}
			return
		}
		s := NormalizeID(raw)
		if len(s) != 18 || utf8.RuneCountInString(s) != 18 {
			t.Fatalf("ParseID accepted %q whose normal form %q is not 18 characters", raw, s)
		}
		if got := IDCheckChar(s[:17]); got == 0 || got != s[17] {
			t.Fatalf("ParseID accepted %q: check character %q, last character %q", raw, got, s[17])
		}
		if info.Region != s[:6] || info.Birth.After(idTestNow) || info.Birth.Year() < 1900 {
			t.Fatalf("ParseID(%q) = %+v: inconsistent info", raw, info)
		}
	})
}
