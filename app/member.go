package app

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Member statuses (R-X4).
const (
	StatusActive   = "在团"
	StatusOverAge  = "超龄离团"
	StatusQuit     = "自愿退团"
	StatusExpelled = "开除团籍"
	StatusRestored = "恢复团籍"
	// StatusDeparted is a member who transferred out of this store (R-W3):
	// no longer on any list or count of active members, never deleted.
	StatusDeparted = "已转出"
)

// Value lists of the national template (R-X2).
var (
	PoliticalStatuses = []string{"共青团员", "中共党员", "中共预备党员"}
	Educations        = []string{
		"博士", "博士在读", "硕士", "硕士在读", "普通本科", "普通本科在读",
		"普通专科", "普通专科在读", "普通高中", "普通高中在读",
		"中等职业教育", "中等职业教育在读", "初中", "初中在读", "小学",
	}
	Posts        = []string{"书记", "副书记", "组织委员", "宣传委员", "文体委员", "生产委员", "权益委员", "志愿委员", "其他"}
	CadreNatures = []string{"专职", "兼职", "挂职"}
	Ethnicities  = []string{
		"汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
		"满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
		"佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
		"达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
		"塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
		"独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "穿青人", "其他",
	}
	YesNo = []string{"是", "否"}
)

// ValueLists maps each template field that takes its value from a list to
// that list (R-X2): the template's drop-downs and the import's checks.
var ValueLists = map[string][]string{"民族": Ethnicities, "政治面貌": PoliticalStatuses, "文化程度": Educations,
	"是否团干部": YesNo, "现任团内职务": Posts, "团干部性质": CadreNatures, "是否同级党委（支部）成员": YesNo}

// Member is one League member's record (R-X2).
type Member struct {
	ID             int64
	OrgID          int64
	OrgName        string // full path of the organization, filled by readers
	Name           string // never edited once entered (R-M1)
	IDNo           string // never edited once entered (R-M1)
	Ethnicity      string
	Political      string
	Education      string
	JoinMonth      string // 入团年月, YYYY-MM
	IsCadre        bool
	Phone          string
	Weibo          string
	QQ             string
	Email          string
	MemberNo       string // 团员编号 / 发展团员编号 (R-X1)
	Post           string
	PostSince      string // YYYY-MM
	CadreNature    string
	PartyCommittee bool
	DevelopedOn    string // 发展日期 YYYY-MM-DD (R-M3), optional
	Status         string
	Mark           string // '' | 教师 | 延迟毕业团员 (R-D1)
	MarkMonth      string // a delayed graduate's expected graduation month
	MarkReason     string
	ErrorKind      string // R-E1: '' | 身份证信息录入错误 | 姓名录入错误
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// A member who transferred out (Status 已转出, R-W3): OrgID is where
	// they went; LeftFrom and LeftPath keep the branch they left.
	LeftAt       time.Time
	LeftTo       string // the destination's name
	LeftFrom     string // the branch's full path when they left, as text
	LeftPath     string // its org path ("/1/5/23/"), for lists under a committee
	LeftTransfer int64  // the transfer number
	// Incomplete marks a person received from outside whose other fields
	// (R-X2) are still to be completed (R-W4).
	Incomplete bool
}

// RequiredOnArrival are the fields of R-X2 that a person received from
// outside must have completed before the record counts as whole (R-W4).
var RequiredOnArrival = []string{"民族", "政治面貌", "文化程度", "入团年月"}

// MissingFields returns the fields of RequiredOnArrival still empty.
func (m Member) MissingFields() []string {
	var out []string
	for _, f := range RequiredOnArrival {
		if strings.TrimSpace(m.Field(f)) == "" {
			out = append(out, f)
		}
	}
	return out
}

// Departed reports whether the member has transferred out of this store (R-W3).
func (m Member) Departed() bool { return m.Status == StatusDeparted }

// Info returns what the 身份证号 tells; the zero IDInfo when it is invalid.
func (m Member) Info() IDInfo {
	i, _ := ParseID(m.IDNo, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	return i
}

// Field names in the order of the national import template (R-X2), after
// 姓名 and 身份证号码.
var MemberFields = []string{
	"民族", "政治面貌", "文化程度", "入团年月", "是否团干部", "手机号码", "微博", "QQ", "邮箱",
	"发展团员编号", "现任团内职务", "任现职年月", "团干部性质", "是否同级党委（支部）成员",
}

// fieldAliases maps other spellings users type to the template's names.
var fieldAliases = map[string]string{
	"团员编号": "发展团员编号", "手机": "手机号码", "电话": "手机号码", "手机号": "手机号码",
	"qq": "QQ", "电子邮箱": "邮箱", "email": "邮箱", "团内职务": "现任团内职务",
	"是否同级党委(支部)成员": "是否同级党委（支部）成员", "是否同级党委成员": "是否同级党委（支部）成员",
	"发展日期": "发展日期",
}

// CanonicalField returns the template name of a field the user typed, or "".
func CanonicalField(name string) string {
	name = strings.TrimSpace(name)
	if contains(MemberFields, name) || name == "发展日期" {
		return name
	}
	if c, ok := fieldAliases[name]; ok {
		return c
	}
	if c, ok := fieldAliases[strings.ToLower(name)]; ok {
		return c
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// Field returns a member's field by its template name.
func (m Member) Field(name string) string {
	switch CanonicalField(name) {
	case "民族":
		return m.Ethnicity
	case "政治面貌":
		return m.Political
	case "文化程度":
		return m.Education
	case "入团年月":
		return m.JoinMonth
	case "是否团干部":
		return yesNo(m.IsCadre)
	case "手机号码":
		return m.Phone
	case "微博":
		return m.Weibo
	case "QQ":
		return m.QQ
	case "邮箱":
		return m.Email
	case "发展团员编号":
		return m.MemberNo
	case "现任团内职务":
		return m.Post
	case "任现职年月":
		return m.PostSince
	case "团干部性质":
		return m.CadreNature
	case "是否同级党委（支部）成员":
		return yesNo(m.PartyCommittee)
	case "发展日期":
		return m.DevelopedOn
	}
	return ""
}

// SetField sets a member's field by its template name; 姓名 and 身份证号
// are refused (R-M1). Values are checked later by ValidateMember.
func (m *Member) SetField(name, value string) error {
	value = strings.TrimSpace(value)
	c := CanonicalField(name)
	switch {
	case strings.Contains(name, "姓名"):
		return Errorf(EConflict, "姓名录入后不能修改。若姓名录错，请按“信息录入错误团员上报”流程处理。")
	case strings.Contains(name, "身份证"):
		return Errorf(EConflict, "身份证号录入后不能修改。若身份证号录错，请按“信息录入错误团员上报”流程处理。")
	case c == "":
		return Errorf(EInvalid, "没有名为“%s”的字段，可填写的字段有：%s。", name, strings.Join(append(MemberFields[:len(MemberFields):len(MemberFields)], "发展日期"), "、"))
	}
	var err error
	switch c {
	case "民族":
		m.Ethnicity = value
		if value != "" && !strings.HasSuffix(value, "族") && contains(Ethnicities, value+"族") {
			m.Ethnicity = value + "族"
		}
	case "政治面貌":
		m.Political = value
	case "文化程度":
		m.Education = value
	case "入团年月":
		m.JoinMonth, err = normalizeMonth("入团年月", value)
	case "是否团干部":
		m.IsCadre, err = parseYesNo("是否团干部", value)
	case "手机号码":
		m.Phone = value
	case "微博":
		m.Weibo = value
	case "QQ":
		m.QQ = value
	case "邮箱":
		m.Email = value
	case "发展团员编号":
		m.MemberNo = strings.ToUpper(value)
	case "现任团内职务":
		m.Post = value
	case "任现职年月":
		m.PostSince, err = normalizeMonth("任现职年月", value)
	case "团干部性质":
		m.CadreNature = value
	case "是否同级党委（支部）成员":
		m.PartyCommittee, err = parseYesNo("是否同级党委（支部）成员", value)
	case "发展日期":
		m.DevelopedOn = value
	}
	return err
}

func parseYesNo(field, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "是", "y", "yes", "1", "true":
		return true, nil
	case "否", "n", "no", "0", "false", "":
		return false, nil
	}
	return false, Errorf(EInvalid, "“%s”只能填“是”或“否”。", field)
}

var monthPatterns = []*regexp.Regexp{
	regexp.MustCompile(`^(\d{4})[-./年](\d{1,2})月?$`),
	regexp.MustCompile(`^(\d{4})(\d{2})$`),
	regexp.MustCompile(`^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$`),
}

// normalizeMonth accepts 2019-05, 2019.5, 2019年5月, 201905 and 2019-05-01
// and returns YYYY-MM.
func normalizeMonth(field, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, p := range monthPatterns {
		if g := p.FindStringSubmatch(v); g != nil {
			y, _ := strconv.Atoi(g[1])
			mo, _ := strconv.Atoi(g[2])
			if y < 1900 || y > 2200 || mo < 1 || mo > 12 {
				break
			}
			return strconv.Itoa(y) + "-" + twoDigits(mo), nil
		}
	}
	return "", Errorf(EInvalid, "“%s”应写成年月，例如 2019-05，现在是“%s”。", field, v)
}

// NormalizeMonth returns a month typed as 2019-05, 2019.5, 2019年5月 or 201905 as
// YYYY-MM; field names the field in the error message.
func NormalizeMonth(field, v string) (string, error) {
	return normalizeMonth(field, strings.TrimSpace(v))
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

var (
	phonePattern  = regexp.MustCompile(`^1[3-9]\d{9}$`)
	qqPattern     = regexp.MustCompile(`^[1-9]\d{4,11}$`)
	emailPattern  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	memberNoLoose = regexp.MustCompile(`^[0-9A-Z]{1,20}$`)
)

// ValidateName checks a person's name.
func ValidateName(name string) (string, error) {
	name, err := CleanText("姓名", name)
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", Errorf(EInvalid, "姓名不能为空，请填写团员的姓名。")
	}
	if utf8.RuneCountInString(name) > 30 {
		return "", Errorf(EInvalid, "姓名太长（最多 30 个字），请核对。")
	}
	for _, r := range name {
		if unicode.IsDigit(r) || unicode.IsControl(r) || strings.ContainsRune("/\\@#$%^&*<>|", r) {
			return "", Errorf(EInvalid, "姓名“%s”中有数字或符号，请只填写姓名本身。", name)
		}
	}
	return name, nil
}

// ValidateMember checks every field of a member (R-M2, R-X1, R-X2) and
// normalises it. It does not check uniqueness, which needs the store.
func ValidateMember(m Member, now time.Time) (Member, error) {
	var err error
	if m.Name, err = ValidateName(m.Name); err != nil {
		return m, err
	}
	m.IDNo = NormalizeID(m.IDNo)
	info, err := ParseID(m.IDNo, now)
	if err != nil {
		return m, err
	}
	if err := cleanMemberText(&m); err != nil {
		return m, err
	}
	if m.Political == "" {
		m.Political = PoliticalStatuses[0]
	}
	if m.Status == "" {
		m.Status = StatusActive
	}
	check := func(field, v string, list []string) error {
		if v != "" && !contains(list, v) {
			return Errorf(EInvalid, "“%s”填写的“%s”不在可选范围内，请从 %s 中选择。", field, v, strings.Join(list, "、"))
		}
		return nil
	}
	for _, c := range []struct {
		f, v string
		l    []string
	}{{"民族", m.Ethnicity, Ethnicities}, {"政治面貌", m.Political, PoliticalStatuses}, {"文化程度", m.Education, Educations},
		{"现任团内职务", m.Post, Posts}, {"团干部性质", m.CadreNature, CadreNatures}} {
		if err := check(c.f, c.v, c.l); err != nil {
			return m, err
		}
	}
	if m.JoinMonth, err = normalizeMonth("入团年月", m.JoinMonth); err != nil {
		return m, err
	}
	if m.PostSince, err = normalizeMonth("任现职年月", m.PostSince); err != nil {
		return m, err
	}
	nowMonth := now.Format("2006-01")
	if m.JoinMonth != "" {
		if m.JoinMonth > nowMonth {
			return m, Errorf(EInvalid, "入团年月 %s 晚于今天，请核对。", m.JoinMonth)
		}
		if m.JoinMonth < info.Birth.AddDate(10, 0, 0).Format("2006-01") {
			return m, Errorf(EInvalid, "入团年月 %s 早于本人 10 周岁（出生于 %s），请核对入团年月或身份证号。", m.JoinMonth, info.Birth.Format("2006-01-02"))
		}
	}
	if m.PostSince != "" && m.PostSince > nowMonth {
		return m, Errorf(EInvalid, "任现职年月 %s 晚于今天，请核对。", m.PostSince)
	}
	if m.Phone != "" && !phonePattern.MatchString(m.Phone) {
		return m, Errorf(EInvalid, "手机号码“%s”不正确，应为 11 位数字且以 1 开头。", m.Phone)
	}
	if m.QQ != "" && !qqPattern.MatchString(m.QQ) {
		return m, Errorf(EInvalid, "QQ 号“%s”不正确，应为 5 到 12 位数字。", m.QQ)
	}
	if m.Email != "" && !emailPattern.MatchString(m.Email) {
		return m, Errorf(EInvalid, "邮箱“%s”格式不正确，例如 name@example.com。", m.Email)
	}
	if utf8.RuneCountInString(m.Weibo) > 50 {
		return m, Errorf(EInvalid, "微博名太长（最多 50 个字）。")
	}
	m.MemberNo = strings.ToUpper(strings.TrimSpace(m.MemberNo))
	if err := ValidateMemberNo(m.MemberNo, m.JoinMonth); err != nil {
		return m, err
	}
	if m.IsCadre && m.Post == "" {
		return m, Errorf(EInvalid, "团干部须填写“现任团内职务”，请选择职务或把“是否团干部”改为“否”。")
	}
	if m.DevelopedOn != "" {
		d, err := time.Parse("2006-01-02", m.DevelopedOn)
		if err != nil || d.After(now) {
			return m, Errorf(EInvalid, "发展日期“%s”不正确，应为不晚于今天的日期，例如 2025-05-04。", m.DevelopedOn)
		}
	}
	return m, nil
}

// ValidateMemberNo checks a 团员编号 against the joining month (R-X1):
// required from 2017 on, 12 characters whose first four are the joining
// year (2017 and 2018 accepted for each other), loosely checked before.
func ValidateMemberNo(no, joinMonth string) error {
	year := 0
	if len(joinMonth) >= 4 {
		year, _ = strconv.Atoi(joinMonth[:4])
	}
	if year >= 2017 {
		if no == "" {
			return Errorf(EInvalid, "2017 年及以后入团的团员必须填写团员编号（12 位，前 4 位为入团年份，即 %d）。", year)
		}
		if len(no) != 12 || !allDigits(no) {
			return Errorf(EInvalid, "团员编号“%s”应为 12 位数字，请核对。", no)
		}
		prefix := no[:4]
		ok := prefix == joinMonth[:4] ||
			(year == 2017 && prefix == "2018") || (year == 2018 && prefix == "2017")
		if !ok {
			return Errorf(EInvalid, "团员编号“%s”的前 4 位应为入团年份 %d，请核对团员编号或入团年月。", no, year)
		}
		return nil
	}
	if no != "" && !memberNoLoose.MatchString(no) {
		return Errorf(EInvalid, "团员编号“%s”只能由数字和字母组成（最多 20 位）。", no)
	}
	return nil
}

// cleanMemberText trims every text field of a member and refuses invisible
// characters in them (CleanText, issue 10 item 7).
func cleanMemberText(m *Member) error {
	for _, f := range []struct {
		name string
		v    *string
	}{{"民族", &m.Ethnicity}, {"政治面貌", &m.Political}, {"文化程度", &m.Education}, {"入团年月", &m.JoinMonth},
		{"手机号码", &m.Phone}, {"微博", &m.Weibo}, {"QQ", &m.QQ}, {"邮箱", &m.Email}, {"发展团员编号", &m.MemberNo},
		{"现任团内职务", &m.Post}, {"任现职年月", &m.PostSince}, {"团干部性质", &m.CadreNature}, {"发展日期", &m.DevelopedOn},
		{"延迟毕业原因", &m.MarkReason}} {
		v, err := CleanText(f.name, *f.v)
		if err != nil {
			return err
		}
		*f.v = v
	}
	return nil
}
