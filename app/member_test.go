package app

import (
	"strings"
	"testing"
	"time"
)

// memberTestNow is the fixed "today" of the member tests.
var memberTestNow = time.Date(2025, 6, 1, 10, 0, 0, 0, Shanghai)

// validMember returns a member that ValidateMember accepts: born 2005-03-15,
// joined 2019-05 with a matching 团员编号.
func validMember(t testing.TB) Member {
	return Member{
		OrgID: 7, Name: "王小红", IDNo: withCheck(t, "33010220050315002"),
		JoinMonth: "2019-05", MemberNo: "201900000001",
	}
}

// R-X1: 团员编号 is required from 2017, 12 digits whose first four are the
// joining year (2017 and 2018 accepted for each other, strict from 2019);
// before that it is optional and loosely checked.
func TestValidateMemberNo_R_X1(t *testing.T) {
	tests := []struct {
		name      string
		no, month string
		wantMsg   string // "" when accepted
	}{
		{"2019 matching", "201900012345", "2019-05", ""},
		{"2025 matching", "202500000001", "2025-01", ""},
		{"2017 matching", "201700000001", "2017-05", ""},
		{"2017 member with 2018 number", "201800000001", "2017-05", ""},
		{"2018 member with 2017 number", "201700000001", "2018-12", ""},
		{"2018 matching", "201800000001", "2018-01", ""},
		{"required from 2017", "", "2017-01", "2017 年及以后入团的团员必须填写团员编号"},
		{"required in 2023", "", "2023-05", "2017 年及以后入团的团员必须填写团员编号（12 位，前 4 位为入团年份，即 2023）"},
		{"2019 with 2018 number is strict", "201800000001", "2019-05", "前 4 位应为入团年份 2019"},
		{"2020 with 2019 number is strict", "201900000001", "2020-05", "前 4 位应为入团年份 2020"},
		{"2017 with 2019 number", "201900000001", "2017-05", "前 4 位应为入团年份 2017"},
		{"2018 with 2016 number", "201600000001", "2018-05", "前 4 位应为入团年份 2018"},
		{"11 digits", "20190001234", "2019-05", "应为 12 位数字"},
		{"13 digits", "2019000123456", "2019-05", "应为 12 位数字"},
		{"letter in number", "20190001234A", "2019-05", "应为 12 位数字"},
		{"2015 without number is fine", "", "2015-05", ""},
		{"2016 without number is fine", "", "2016-05", ""},
		{"2010 loose: letters and digits", "ZJ2010A7", "2010-05", ""},
		{"2010 loose: any length up to 20", "12345678901234567890", "2010-05", ""},
		{"2010 loose: 21 characters refused", "123456789012345678901", "2010-05", "只能由数字和字母组成"},
		{"2010 loose: dash refused", "ZJ-2010", "2010-05", "只能由数字和字母组成"},
		{"2010 loose: lower case refused", "zj2010", "2010-05", "只能由数字和字母组成"},
		{"no joining month: loose", "ABC123", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateMemberNo(tc.no, tc.month)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatalf("ValidateMemberNo(%q, %q) = %v, want nil", tc.no, tc.month, err)
				}
				return
			}
			if ErrorCode(err) != EInvalid {
				t.Fatalf("ValidateMemberNo(%q, %q) = %v, want EInvalid", tc.no, tc.month, err)
			}
			if !strings.Contains(ErrorMessage(err), tc.wantMsg) {
				t.Errorf("message %q does not contain %q", ErrorMessage(err), tc.wantMsg)
			}
		})
	}
}

// R-M2, R-X1, R-X2: ValidateMember checks every field against the national
// template's rules and value lists.
func TestValidateMember_Refuses(t *testing.T) {
	older := withCheck(t, "32010219940404004") // born 1994-04-04, may have joined in 2008
	tests := []struct {
		name    string
		edit    func(m *Member)
		wantMsg string
	}{
		{"R-M2 empty name", func(m *Member) { m.Name = "  " }, "姓名不能为空"},
		{"R-M2 digits in name", func(m *Member) { m.Name = "王2" }, "有数字或符号"},
		{"R-M2 name of 31 characters", func(m *Member) { m.Name = strings.Repeat("王", 31) }, "姓名太长"},
		{"R-M2 bad check character", func(m *Member) { m.IDNo = "330102200503150020" }, "校验位不正确"},
		{"R-M2 15-digit ID", func(m *Member) { m.IDNo = "330102050315002" }, "15 位的旧号码"},
		{"R-X1 missing number for 2019", func(m *Member) { m.MemberNo = "" }, "必须填写团员编号"},
		{"R-X1 number of another year", func(m *Member) { m.MemberNo = "202000000001" }, "前 4 位应为入团年份 2019"},
		{"R-X2 政治面貌 not in list", func(m *Member) { m.Political = "群众" }, "“政治面貌”填写的“群众”不在可选范围内"},
		{"R-X2 文化程度 not in list", func(m *Member) { m.Education = "本科" }, "“文化程度”填写的“本科”不在可选范围内"},
		{"R-X2 小学在读 is not a value", func(m *Member) { m.Education = "小学在读" }, "文化程度"},
		{"R-X2 民族 without 族", func(m *Member) { m.Ethnicity = "汉" }, "“民族”填写的“汉”不在可选范围内"},
		{"R-X2 团内职务 not in list", func(m *Member) { m.IsCadre, m.Post = true, "主席" }, "“现任团内职务”填写的“主席”"},
		{"R-X2 团干部性质 not in list", func(m *Member) { m.CadreNature = "全职" }, "“团干部性质”填写的“全职”"},
		{"R-X2 cadre without post", func(m *Member) { m.IsCadre = true }, "团干部须填写“现任团内职务”"},
		{"R-X2 入团年月 not a month", func(m *Member) { m.JoinMonth = "2019-13" }, "“入团年月”应写成年月"},
		{"R-X2 入团年月 in the future", func(m *Member) { m.JoinMonth, m.MemberNo = "2025-07", "202500000001" }, "入团年月 2025-07 晚于今天"},
		{"R-X2 入团年月 before age 10", func(m *Member) { m.JoinMonth, m.MemberNo = "2015-02", "" }, "早于本人 10 周岁"},
		{"R-X2 任现职年月 in the future", func(m *Member) { m.PostSince = "2026-01" }, "任现职年月 2026-01 晚于今天"},
		{"R-X2 任现职年月 not a month", func(m *Member) { m.PostSince = "去年" }, "“任现职年月”应写成年月"},
		{"R-X2 phone of 10 digits", func(m *Member) { m.Phone = "1381234567" }, "手机号码“1381234567”不正确"},
		{"R-X2 phone starting 12", func(m *Member) { m.Phone = "12812345678" }, "手机号码"},
		{"R-X2 phone with +86", func(m *Member) { m.Phone = "+8613812345678" }, "手机号码"},
		{"R-X2 phone of 12 digits", func(m *Member) { m.Phone = "138123456789" }, "手机号码"},
		{"R-X2 QQ of 4 digits", func(m *Member) { m.QQ = "1234" }, "QQ 号“1234”不正确"},
		{"R-X2 QQ with leading 0", func(m *Member) { m.QQ = "012345678" }, "QQ 号"},
		{"R-X2 QQ of 13 digits", func(m *Member) { m.QQ = "1234567890123" }, "QQ 号"},
		{"R-X2 email without @", func(m *Member) { m.Email = "wang.qq.com" }, "邮箱“wang.qq.com”格式不正确"},
		{"R-X2 email without domain dot", func(m *Member) { m.Email = "wang@qq" }, "邮箱"},
		{"R-X2 email with space", func(m *Member) { m.Email = "wang xh@qq.com" }, "邮箱"},
		{"R-X2 weibo of 51 characters", func(m *Member) { m.Weibo = strings.Repeat("微", 51) }, "微博名太长"},
		{"R-M3 发展日期 in the future", func(m *Member) { m.DevelopedOn = "2025-06-02" }, "发展日期“2025-06-02”不正确"},
		{"R-M3 发展日期 not a date", func(m *Member) { m.DevelopedOn = "2019-5-4" }, "发展日期"},
		{"R-X1 loose number before 2016 with dash", func(m *Member) {
			m.IDNo, m.JoinMonth, m.MemberNo = older, "2008-05", "ZJ-08"
		}, "只能由数字和字母组成"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := validMember(t)
			tc.edit(&m)
			_, err := ValidateMember(m, memberTestNow)
			if ErrorCode(err) != EInvalid {
				t.Fatalf("ValidateMember = %v, want EInvalid", err)
			}
			if !strings.Contains(ErrorMessage(err), tc.wantMsg) {
				t.Errorf("message %q does not contain %q", ErrorMessage(err), tc.wantMsg)
			}
		})
	}
}

// R-X2: accepted values are normalised (入团年月 formats, trimmed names,
// normalised IDs, defaults for 政治面貌 and status).
func TestValidateMember_AcceptsAndNormalises_R_X2(t *testing.T) {
	older := withCheck(t, "32010219940404004")
	tests := []struct {
		name  string
		edit  func(m *Member)
		check func(t *testing.T, m Member)
	}{
		{"defaults", func(m *Member) {}, func(t *testing.T, m Member) {
			if m.Political != "共青团员" || m.Status != StatusActive || m.JoinMonth != "2019-05" {
				t.Errorf("Political %q Status %q JoinMonth %q, want 共青团员 在团 2019-05", m.Political, m.Status, m.JoinMonth)
			}
		}},
		{"name trimmed and ID normalised", func(m *Member) {
			m.Name, m.IDNo = " 李四 ", "\u3000"+strings.ToLower(withCheck(t, "31010420050909002"))
		}, func(t *testing.T, m Member) {
			if m.Name != "李四" || m.IDNo != "31010420050909002X" {
				t.Errorf("Name %q IDNo %q, want 李四 31010420050909002X", m.Name, m.IDNo)
			}
		}},
		{"入团年月 2019.5", func(m *Member) { m.JoinMonth = "2019.5" }, wantJoin("2019-05")},
		{"入团年月 2019年5月", func(m *Member) { m.JoinMonth = "2019年5月" }, wantJoin("2019-05")},
		{"入团年月 201905", func(m *Member) { m.JoinMonth = "201905" }, wantJoin("2019-05")},
		{"入团年月 2019/05/04", func(m *Member) { m.JoinMonth = "2019/05/04" }, wantJoin("2019-05")},
		{"入团年月 this month", func(m *Member) { m.JoinMonth, m.MemberNo = "2025-06", "202500000001" }, wantJoin("2025-06")},
		{"入团年月 month of 10th birthday", func(m *Member) { m.JoinMonth, m.MemberNo = "2015-03", "" }, wantJoin("2015-03")},
		{"all value lists", func(m *Member) {
			m.Ethnicity, m.Political, m.Education = "畲族", "中共预备党员", "普通本科在读"
			m.IsCadre, m.Post, m.PostSince, m.CadreNature, m.PartyCommittee = true, "组织委员", "2024.10", "兼职", true
			m.Phone, m.QQ, m.Email, m.Weibo = "13912345678", "12345", "wang@qq.com", "小红的微博"
			m.DevelopedOn = "2019-05-04"
		}, func(t *testing.T, m Member) {
			if m.PostSince != "2024-10" || m.Post != "组织委员" || !m.IsCadre {
				t.Errorf("PostSince %q Post %q IsCadre %v", m.PostSince, m.Post, m.IsCadre)
			}
		}},
		{"R-X1 no number before 2016", func(m *Member) { m.IDNo, m.JoinMonth, m.MemberNo = older, "2008-05", "" }, wantJoin("2008-05")},
		{"R-X1 loose number before 2016", func(m *Member) { m.IDNo, m.JoinMonth, m.MemberNo = older, "2008-05", "ZJ2008001" }, wantJoin("2008-05")},
		{"R-X1 2017 member with 2018 number", func(m *Member) { m.JoinMonth, m.MemberNo = "2017-10", "201800000009" }, wantJoin("2017-10")},
		{"R-X1 2018 member with 2017 number", func(m *Member) { m.JoinMonth, m.MemberNo = "2018-05", "201700000009" }, wantJoin("2018-05")},
		{"every 文化程度", func(m *Member) {}, func(t *testing.T, m Member) {
			for _, e := range Educations {
				m.Education = e
				if _, err := ValidateMember(m, memberTestNow); err != nil {
					t.Errorf("文化程度 %s: %v", e, err)
				}
			}
		}},
		{"every 团内职务", func(m *Member) {}, func(t *testing.T, m Member) {
			for _, p := range Posts {
				m.IsCadre, m.Post = true, p
				if _, err := ValidateMember(m, memberTestNow); err != nil {
					t.Errorf("职务 %s: %v", p, err)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := validMember(t)
			tc.edit(&m)
			got, err := ValidateMember(m, memberTestNow)
			if err != nil {
				t.Fatalf("ValidateMember: %v", err)
			}
			tc.check(t, got)
		})
	}
}

func wantJoin(want string) func(t *testing.T, m Member) {
	return func(t *testing.T, m Member) {
		t.Helper()
		if m.JoinMonth != want {
			t.Errorf("JoinMonth = %q, want %q", m.JoinMonth, want)
		}
	}
}

// R-X2: the import and the form accept 入团年月 typed in the usual ways.
func TestNormalizeMonth_R_X2(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2019-05", "2019-05", true},
		{"2019.5", "2019-05", true},
		{"2019年5月", "2019-05", true},
		{"2019年05月", "2019-05", true},
		{"201905", "2019-05", true},
		{"2019/5", "2019-05", true},
		{" 2019-5 ", "2019-05", true},
		{"2019-05-04", "2019-05", true},
		{"2019年5月4日", "2019-05", true},
		{"2019-12", "2019-12", true},
		{"", "", true},
		{"2019-13", "", false},
		{"2019-00", "", false},
		{"201913", "", false},
		{"2019", "", false},
		{"19-05", "", false},
		{"May 2019", "", false},
		{"1899-12", "", false},
		{"2019--05", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := NormalizeMonth("入团年月", tc.in)
			if tc.ok {
				if err != nil || got != tc.want {
					t.Fatalf("NormalizeMonth(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			if ErrorCode(err) != EInvalid || !strings.Contains(ErrorMessage(err), "“入团年月”应写成年月") {
				t.Fatalf("NormalizeMonth(%q) = %q, %v; want EInvalid naming 入团年月", tc.in, got, err)
			}
		})
	}
}

// R-M1: 姓名 and 身份证号 can never be edited; every other field can, by its
// template name or a common alias (R-X2).
func TestSetField_R_M1(t *testing.T) {
	refused := []struct{ field, wantMsg string }{
		{"姓名", "姓名录入后不能修改"},
		{" 姓名 ", "姓名录入后不能修改"},
		{"身份证号", "身份证号录入后不能修改"},
		{"身份证号码", "身份证号录入后不能修改"},
		{"身份证", "身份证号录入后不能修改"},
	}
	for _, tc := range refused {
		t.Run("R-M1 refuses "+tc.field, func(t *testing.T) {
			m := validMember(t)
			before := m
			err := m.SetField(tc.field, "张三")
			if ErrorCode(err) != EConflict || !strings.Contains(ErrorMessage(err), tc.wantMsg) {
				t.Fatalf("SetField(%q) = %v, want EConflict %q", tc.field, err, tc.wantMsg)
			}
			if m != before {
				t.Errorf("member changed: %+v", m)
			}
		})
	}
	t.Run("unknown field", func(t *testing.T) {
		m := validMember(t)
		err := m.SetField("籍贯", "浙江")
		if ErrorCode(err) != EInvalid || !strings.Contains(ErrorMessage(err), "没有名为“籍贯”的字段") {
			t.Fatalf("SetField(籍贯) = %v, want EInvalid", err)
		}
	})
}

// R-X2: SetField by template names and aliases, with normalisation.
func TestSetField_AliasesAndValues_R_X2(t *testing.T) {
	tests := []struct {
		field, value string
		get          func(m Member) any
		want         any
	}{
		{"民族", "汉", func(m Member) any { return m.Ethnicity }, "汉族"},
		{"民族", "蒙古", func(m Member) any { return m.Ethnicity }, "蒙古族"},
		{"民族", "回族", func(m Member) any { return m.Ethnicity }, "回族"},
		{"政治面貌", " 中共党员 ", func(m Member) any { return m.Political }, "中共党员"},
		{"文化程度", "硕士在读", func(m Member) any { return m.Education }, "硕士在读"},
		{"入团年月", "2019年5月", func(m Member) any { return m.JoinMonth }, "2019-05"},
		{"入团年月", "201905", func(m Member) any { return m.JoinMonth }, "2019-05"},
		{"入团年月", "2019.5", func(m Member) any { return m.JoinMonth }, "2019-05"},
		{"是否团干部", "是", func(m Member) any { return m.IsCadre }, true},
		{"是否团干部", "Y", func(m Member) any { return m.IsCadre }, true},
		{"是否团干部", "1", func(m Member) any { return m.IsCadre }, true},
		{"是否团干部", "否", func(m Member) any { return m.IsCadre }, false},
		{"手机号码", "13812345678", func(m Member) any { return m.Phone }, "13812345678"},
		{"手机", "13912345678", func(m Member) any { return m.Phone }, "13912345678"},
		{"手机号", "13712345678", func(m Member) any { return m.Phone }, "13712345678"},
		{"电话", "13612345678", func(m Member) any { return m.Phone }, "13612345678"},
		{"QQ", "123456", func(m Member) any { return m.QQ }, "123456"},
		{"qq", "654321", func(m Member) any { return m.QQ }, "654321"},
		{"邮箱", "a@b.cn", func(m Member) any { return m.Email }, "a@b.cn"},
		{"email", "c@d.cn", func(m Member) any { return m.Email }, "c@d.cn"},
		{"Email", "e@f.cn", func(m Member) any { return m.Email }, "e@f.cn"},
		{"电子邮箱", "g@h.cn", func(m Member) any { return m.Email }, "g@h.cn"},
		{"微博", "小红", func(m Member) any { return m.Weibo }, "小红"},
		{"发展团员编号", "201900000002", func(m Member) any { return m.MemberNo }, "201900000002"},
		{"团员编号", "zj2008001", func(m Member) any { return m.MemberNo }, "ZJ2008001"},
		{"现任团内职务", "书记", func(m Member) any { return m.Post }, "书记"},
		{"团内职务", "副书记", func(m Member) any { return m.Post }, "副书记"},
		{"任现职年月", "2024年9月", func(m Member) any { return m.PostSince }, "2024-09"},
		{"团干部性质", "挂职", func(m Member) any { return m.CadreNature }, "挂职"},
		{"是否同级党委（支部）成员", "是", func(m Member) any { return m.PartyCommittee }, true},
		{"是否同级党委(支部)成员", "yes", func(m Member) any { return m.PartyCommittee }, true},
		{"是否同级党委成员", "是", func(m Member) any { return m.PartyCommittee }, true},
		{"发展日期", "2019-05-04", func(m Member) any { return m.DevelopedOn }, "2019-05-04"},
	}
	for _, tc := range tests {
		t.Run(tc.field+"="+tc.value, func(t *testing.T) {
			m := Member{IsCadre: !isTrue(tc.want), PartyCommittee: !isTrue(tc.want)}
			if err := m.SetField(tc.field, tc.value); err != nil {
				t.Fatalf("SetField(%q, %q): %v", tc.field, tc.value, err)
			}
			if got := tc.get(m); got != tc.want {
				t.Errorf("after SetField(%q, %q): %v, want %v", tc.field, tc.value, got, tc.want)
			}
			// Field reads back what SetField stored, under the canonical name.
			c := CanonicalField(tc.field)
			if c == "" {
				t.Fatalf("CanonicalField(%q) = \"\"", tc.field)
			}
			if want := fieldText(tc.want); m.Field(c) != want {
				t.Errorf("Field(%q) = %q, want %q", c, m.Field(c), want)
			}
		})
	}
	bad := []struct{ field, value, wantMsg string }{
		{"是否团干部", "maybe", "“是否团干部”只能填“是”或“否”"},
		{"是否同级党委（支部）成员", "有", "只能填“是”或“否”"},
		{"入团年月", "去年五月", "“入团年月”应写成年月"},
		{"任现职年月", "2024-13", "“任现职年月”应写成年月"},
	}
	for _, tc := range bad {
		t.Run("refuses "+tc.field+"="+tc.value, func(t *testing.T) {
			var m Member
			err := m.SetField(tc.field, tc.value)
			if ErrorCode(err) != EInvalid || !strings.Contains(ErrorMessage(err), tc.wantMsg) {
				t.Fatalf("SetField(%q, %q) = %v, want EInvalid %q", tc.field, tc.value, err, tc.wantMsg)
			}
		})
	}
}

func isTrue(v any) bool { b, ok := v.(bool); return ok && b }

func fieldText(v any) string {
	switch v := v.(type) {
	case bool:
		return yesNo(v)
	case string:
		return v
	}
	return ""
}

// R-X2: the field list is the national template's order after 姓名 and 身份证号码.
func TestMemberFields_TemplateOrder_R_X2(t *testing.T) {
	want := []string{"民族", "政治面貌", "文化程度", "入团年月", "是否团干部", "手机号码", "微博", "QQ", "邮箱",
		"发展团员编号", "现任团内职务", "任现职年月", "团干部性质", "是否同级党委（支部）成员"}
	if strings.Join(MemberFields, ",") != strings.Join(want, ",") {
		t.Fatalf("MemberFields = %v, want %v", MemberFields, want)
	}
	lists := []struct {
		name string
		got  []string
		want []string
	}{
		{"政治面貌", PoliticalStatuses, []string{"共青团员", "中共党员", "中共预备党员"}},
		{"团干部性质", CadreNatures, []string{"专职", "兼职", "挂职"}},
		{"团内职务", Posts, []string{"书记", "副书记", "组织委员", "宣传委员", "文体委员", "生产委员", "权益委员", "志愿委员", "其他"}},
	}
	for _, l := range lists {
		t.Run(l.name, func(t *testing.T) {
			if strings.Join(l.got, ",") != strings.Join(l.want, ",") {
				t.Errorf("%s = %v, want %v", l.name, l.got, l.want)
			}
		})
	}
	if len(Educations) != 15 || !contains(Educations, "初中在读") || contains(Educations, "小学在读") {
		t.Errorf("Educations = %v, want the 8 levels with 在读 for all but 小学", Educations)
	}
}

func TestMemberInfo_R_M2(t *testing.T) {
	m := validMember(t)
	info := m.Info()
	if info.Birth.Format("2006-01-02") != "2005-03-15" || info.Male || info.Region != "330102" {
		t.Errorf("Info() = %+v, want born 2005-03-15, female, 330102", info)
	}
	m.IDNo = "330102200503150020"
	if m.Info() != (IDInfo{}) {
		t.Errorf("Info() of an invalid ID = %+v, want zero", m.Info())
	}
}
