package app

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Organization kinds (R-O1).
const (
	KindProvince      = "团省委"
	KindCity          = "团市委"
	KindCommittee     = "团委"
	KindWorkCommittee = "团工委"
	KindGeneralBranch = "团总支"
	KindBranch        = "团支部"
)

// Kinds lists the organization kinds from the top of the tree down.
var Kinds = []string{KindProvince, KindCity, KindCommittee, KindWorkCommittee, KindGeneralBranch, KindBranch}

var kindRank = map[string]int{KindProvince: 0, KindCity: 1, KindCommittee: 2, KindWorkCommittee: 2, KindGeneralBranch: 3, KindBranch: 4}

// Branch categories (R-O2).
const (
	CatNormal   = "普通"
	CatTeacher  = "教师支部"
	CatMixed    = "混合支部"
	CatGraduate = "毕业生团组织"
	CatTransit  = "学社衔接临时团支部"
	CatAbroad   = "出国(境)学习研究团员团支部"
	CatSpecial  = "特殊单位专属库"
)

// Categories lists the branch categories.
var Categories = []string{CatNormal, CatTeacher, CatMixed, CatGraduate, CatTransit, CatAbroad, CatSpecial}

// SeparateProvinces are the provinces with a separate system (R-O3).
var SeparateProvinces = []string{"北京", "广东", "福建"}

// Provinces lists the province-level regions by their short names.
var Provinces = []string{
	"北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
	"浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
	"海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏",
	"新疆", "台湾", "香港", "澳门",
}

// Org is one organization of the tree.
type Org struct {
	ID         int64
	ParentID   int64 // 0 for a top-level organization
	Name       string
	Kind       string
	Category   string // only for 团支部
	Province   string
	Path       string // ancestor IDs, "/1/5/23/", maintained by the store
	FullName   string // names from the root joined by "/", filled by readers
	GradMonth  string // expected graduation month YYYY-MM (R-G1), "" when unmarked
	GradReason string // 教师支部 or 混合支部 when no month can be fixed
	Remark     string
	CreatedAt  time.Time

	// An outside organization (校外组织, R-W1): not part of the tree, no
	// administrators; Kind may be "" when unknown.
	Outside bool
	Address string
	Contact string
	Phone   string

	// Filled by the store when listing.
	MemberCount int // members of the subtree (direct members for a branch)
	ChildCount  int // direct child organizations
}

// AcceptsTransfer reports whether o can be chosen as the receiving
// organization of a transfer (R-T2): a committee, 团工委, 团总支 or branch
// (an outside one of any kind but a province's or city's), and not a
// 特殊单位专属库 or 出国(境)学习研究团员团支部, which only their own reasons
// reach. checkTarget refuses the others with the reason why.
func (o Org) AcceptsTransfer() bool {
	switch o.Kind {
	case KindProvince, KindCity:
		return false
	case KindCommittee, KindWorkCommittee, KindGeneralBranch, KindBranch:
	default:
		if !o.Outside {
			return false
		}
	}
	return o.Outside || (o.Category != CatSpecial && o.Category != CatAbroad)
}

// AcceptsAssignment reports whether a committee may assign a received
// member to o (R-T3): a branch, not a 特殊单位专属库 or 出国(境)学习研究团员团支部.
func (o Org) AcceptsAssignment() bool {
	return o.IsBranch() && o.Category != CatSpecial && o.Category != CatAbroad
}

// IsBranch reports whether the organization holds members directly.
func (o Org) IsBranch() bool { return o.Kind == KindBranch }

// Contains reports whether other is o or lies in o's subtree.
func (o Org) Contains(other Org) bool {
	return o.Path != "" && strings.HasPrefix(other.Path, o.Path)
}

// NewOrg is the input of AddOrg.
type NewOrg struct {
	ParentID int64 // 0: a top-level organization
	Name     string
	Kind     string
	Category string
	Province string
	Remark   string
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// ValidateOrgName checks an organization name.
func ValidateOrgName(name string) (string, error) {
	name, err := CleanText("组织名称", name)
	if err != nil {
		return "", err
	}
	switch {
	case name == "":
		return "", Errorf(EInvalid, "组织名称不能为空，请填写组织的全称。")
	case utf8.RuneCountInString(name) > 60:
		return "", Errorf(EInvalid, "组织名称太长（最多 60 个字），请使用规范简洁的全称。")
	case strings.ContainsAny(name, "/\\\n\r\t"):
		return "", Errorf(EInvalid, "组织名称中不能有斜杠、换行等符号，请修改名称。")
	}
	return name, nil
}

// ValidateNewOrg checks a new organization against its parent (R-O1, R-O2,
// R-O3) and fills defaults. parent is nil for a top-level organization.
func ValidateNewOrg(in NewOrg, parent *Org) (NewOrg, error) {
	name, err := ValidateOrgName(in.Name)
	if err != nil {
		return in, err
	}
	in.Name = name
	if in.Remark, err = CleanLines("组织备注", in.Remark); err != nil {
		return in, err
	}
	in.Kind = strings.TrimSpace(in.Kind)
	if !contains(Kinds, in.Kind) {
		return in, Errorf(EInvalid, "组织类型“%s”不存在，请从 %s 中选择。", in.Kind, strings.Join(Kinds, "、"))
	}
	if parent != nil {
		if parent.IsBranch() {
			return in, Errorf(EConflict, "团支部下面不能再建下级组织，请在团委、团工委或团总支下添加。")
		}
		if kindRank[in.Kind] < kindRank[parent.Kind] || (in.Kind == KindProvince) {
			return in, Errorf(EConflict, "%s不能建在%s下面，请选择合适的上级组织。", in.Kind, parent.Kind)
		}
		if in.Kind == KindCity && parent.Kind == KindCity {
			return in, Errorf(EConflict, "团市委不能建在团市委下面，请选择合适的上级组织。")
		}
	}
	if in.Kind == KindBranch {
		if in.Category == "" {
			in.Category = CatNormal
		}
		// The notice writes 出国（境） with full-width brackets.
		in.Category = strings.NewReplacer("（", "(", "）", ")").Replace(strings.TrimSpace(in.Category))
		if !contains(Categories, in.Category) {
			return in, Errorf(EInvalid, "团支部类别“%s”不存在，请从 %s 中选择。", in.Category, strings.Join(Categories, "、"))
		}
	} else if in.Category != "" {
		return in, Errorf(EInvalid, "只有团支部才有类别，请去掉“%s”或把类型改为团支部。", in.Category)
	}
	in.Province = NormalizeProvince(in.Province)
	if in.Province == "" && parent != nil {
		in.Province = parent.Province
	}
	if in.Province == "" {
		return in, Errorf(EInvalid, "请选择组织所在的省份。")
	}
	if !contains(Provinces, in.Province) {
		return in, Errorf(EInvalid, "省份“%s”不存在，请填写如“浙江”“北京”这样的省级行政区名称。", in.Province)
	}
	return in, nil
}

var branchNamePattern = regexp.MustCompile(`^(19|20)\d{2}级.+团支部$`)

// BranchWarnings returns the R-X5 warnings for a branch: a name not in the
// usual form and a member count outside 3..50. They never refuse.
func BranchWarnings(o Org) []string {
	if !o.IsBranch() {
		return nil
	}
	var w []string
	if o.Category == CatNormal && !branchNamePattern.MatchString(o.Name) {
		w = append(w, "班级团支部名称一般写成“2025级小学教育1班团支部”的形式，请确认名称是否规范。")
	}
	if !strings.HasSuffix(o.Name, "团支部") {
		w = append(w, "团支部名称应以“团支部”结尾。")
	}
	switch {
	case o.MemberCount > 50:
		w = append(w, "团支部成员超过 50 人（现有 "+strconv.Itoa(o.MemberCount)+" 人），建议拆分支部。")
	case o.MemberCount < 3 && o.Category == CatNormal:
		w = append(w, "团支部成员少于 3 人（现有 "+strconv.Itoa(o.MemberCount)+" 人），请确认是否需要合并支部。")
	}
	return w
}

// NormalizeProvince turns a province's full name (浙江省, 北京市, 广西壮族自治区,
// 香港特别行政区) into the short name the application uses (浙江, 北京, 广西, 香港).
func NormalizeProvince(p string) string {
	p = strings.TrimSpace(p)
	for _, short := range Provinces {
		if strings.HasPrefix(p, short) {
			rest := strings.TrimPrefix(p, short)
			switch rest {
			case "", "省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区":
				return short
			}
		}
	}
	return p
}
