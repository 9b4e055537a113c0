package app

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

var fuzzNow = time.Date(2025, 6, 1, 10, 0, 0, 0, Shanghai)

// FuzzSetField: a member field as typed after --field 名=值 or read from an
// import cell. SetField never panics; a value it accepts reads back through
// Field as a value SetField accepts again unchanged, and a member with it
// that ValidateMember accepts validates again to itself.
func FuzzSetField(f *testing.F) {
	for _, name := range append(MemberFields, "发展日期", "民族 ", "qq", "姓名", "身份证号") {
		f.Add(name, "")
	}
	for _, kv := range [][2]string{{"民族", "汉"}, {"入团年月", "2019.5"}, {"入团年月", "2019年5月"}, {"是否团干部", "是"},
		{"手机号码", "139 1234 5678"}, {"QQ", "123456"}, {"邮箱", "a@b.cn"}, {"发展团员编号", "2019abc"},
		{"任现职年月", "2024-09"}, {"团干部性质", "兼职"}, {"文化程度", "普通本科在读"}, {"政治面貌", "共青团员"}} {
		f.Add(kv[0], kv[1])
	}
	base := Member{Name: "王小红", IDNo: "33010620010101002" + string(IDCheckChar("33010620010101002")),
		Political: "共青团员", JoinMonth: "2016-05", Status: StatusActive}
	f.Fuzz(func(t *testing.T, name, value string) {
		m := base
		if err := m.SetField(name, value); err != nil {
			if msg := ErrorMessage(err); !strings.ContainsRune(msg, '。') {
				t.Fatalf("SetField(%q, %q): %q is not a sentence", name, value, msg)
			}
			return
		}
		c := CanonicalField(name)
		if c == "" {
			t.Fatalf("SetField(%q) accepted a field with no canonical name", name)
		}
		got := m.Field(c)
		again := base
		if err := again.SetField(c, got); err != nil || again.Field(c) != got {
			t.Fatalf("SetField(%q, %q) gave %q, which sets back as %q (%v)", name, value, got, again.Field(c), err)
		}
		v, err := ValidateMember(m, fuzzNow)
		if err != nil {
			return
		}
		if w, err := ValidateMember(v, fuzzNow); err != nil || w != v {
			t.Fatalf("ValidateMember is not stable on %q=%q: %+v then %+v (%v)", name, value, v, w, err)
		}
	})
}

// FuzzValidateName: a person's name as typed or imported. An accepted name
// is trimmed, at most 30 characters, without digits or control characters,
// and accepted again unchanged.
func FuzzValidateName(f *testing.F) {
	for _, s := range []string{"王小红", " 欧阳娜娜 ", "阿卜杜拉·买买提", "张3", "", "A\u0000B", strings.Repeat("王", 31)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := ValidateName(s)
		if err != nil {
			if !strings.ContainsRune(ErrorMessage(err), '。') {
				t.Fatalf("ValidateName(%q): %q is not a sentence", s, ErrorMessage(err))
			}
			return
		}
		if name == "" || name != strings.TrimSpace(name) || utf8.RuneCountInString(name) > 30 {
			t.Fatalf("ValidateName(%q) = %q", s, name)
		}
		for _, r := range name {
			if unicode.IsDigit(r) || unicode.IsControl(r) {
				t.Fatalf("ValidateName(%q) = %q, with %U", s, name, r)
			}
		}
		if again, err := ValidateName(name); err != nil || again != name {
			t.Fatalf("ValidateName(%q) = %q, then %q (%v)", s, name, again, err)
		}
	})
}

// FuzzValidateOrgName: an organization's name. An accepted name is trimmed,
// at most 60 characters, has no slash (it would split its path) or line
// break, and is accepted again unchanged.
func FuzzValidateOrgName(f *testing.F) {
	for _, s := range []string{"浙江明理大学团委", " 信息学院团委 ", "A/B", "2025级计算机1班团支部", "", "\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := ValidateOrgName(s)
		if err != nil {
			if !strings.ContainsRune(ErrorMessage(err), '。') {
				t.Fatalf("ValidateOrgName(%q): %q is not a sentence", s, ErrorMessage(err))
			}
			return
		}
		if name == "" || name != strings.TrimSpace(name) || utf8.RuneCountInString(name) > 60 || strings.ContainsAny(name, "/\\\n\r") {
			t.Fatalf("ValidateOrgName(%q) = %q", s, name)
		}
		if again, err := ValidateOrgName(name); err != nil || again != name {
			t.Fatalf("ValidateOrgName(%q) = %q, then %q (%v)", s, name, again, err)
		}
	})
}
