package app

import (
	"strings"
	"testing"
)

func testParent(kind, province string) *Org {
	return &Org{ID: 5, Name: "上级" + kind, Kind: kind, Province: province, Path: "/1/5/"}
}

// R-O1, R-O2, R-O3: a new organization must fit under its parent, only
// branches have a category, and every organization has a province.
func TestValidateNewOrg_Refuses(t *testing.T) {
	tests := []struct {
		name     string
		in       NewOrg
		parent   *Org
		wantCode Code
		wantMsg  string
	}{
		{"R-O1 nothing under a 团支部", NewOrg{Name: "小组团支部", Kind: KindBranch}, testParent(KindBranch, "浙江"), EConflict, "团支部下面不能再建下级组织"},
		{"R-O1 团总支 under a 团支部", NewOrg{Name: "某团总支", Kind: KindGeneralBranch}, testParent(KindBranch, "浙江"), EConflict, "团支部下面不能再建下级组织"},
		{"R-O1 团委 under a 团总支", NewOrg{Name: "某学院团委", Kind: KindCommittee}, testParent(KindGeneralBranch, "浙江"), EConflict, "团委不能建在团总支下面"},
		{"R-O1 团工委 under a 团总支", NewOrg{Name: "某团工委", Kind: KindWorkCommittee}, testParent(KindGeneralBranch, "浙江"), EConflict, "团工委不能建在团总支下面"},
		{"R-O1 团市委 under a 团委", NewOrg{Name: "某团市委", Kind: KindCity}, testParent(KindCommittee, "浙江"), EConflict, "团市委不能建在团委下面"},
		{"R-O1 团市委 under a 团市委", NewOrg{Name: "某团市委", Kind: KindCity}, testParent(KindCity, "浙江"), EConflict, "团市委不能建在团市委下面"},
		{"R-O1 团省委 under a 团省委", NewOrg{Name: "某团省委", Kind: KindProvince}, testParent(KindProvince, "浙江"), EConflict, "团省委不能建在团省委下面"},
		{"R-O1 unknown kind", NewOrg{Name: "某学生会", Kind: "学生会"}, testParent(KindCommittee, "浙江"), EInvalid, "组织类型“学生会”不存在"},
		{"R-O1 empty kind", NewOrg{Name: "某组织"}, nil, EInvalid, "组织类型“”不存在"},
		{"R-O2 category on a 团委", NewOrg{Name: "某学院团委", Kind: KindCommittee, Category: CatNormal}, testParent(KindCommittee, "浙江"), EInvalid, "只有团支部才有类别"},
		{"R-O2 category on a 团总支", NewOrg{Name: "某团总支", Kind: KindGeneralBranch, Category: CatTeacher}, testParent(KindCommittee, "浙江"), EInvalid, "只有团支部才有类别"},
		{"R-O2 unknown category", NewOrg{Name: "2025级某班团支部", Kind: KindBranch, Category: "兴趣小组"}, testParent(KindCommittee, "浙江"), EInvalid, "团支部类别“兴趣小组”不存在"},
		{"R-O3 province required at top level", NewOrg{Name: "某大学团委", Kind: KindCommittee}, nil, EInvalid, "请选择组织所在的省份"},
		{"R-O3 unknown province", NewOrg{Name: "某大学团委", Kind: KindCommittee, Province: "火星"}, nil, EInvalid, "省份“火星”不存在"},
		{"empty name", NewOrg{Name: "  ", Kind: KindCommittee, Province: "浙江"}, nil, EInvalid, "组织名称不能为空"},
		{"slash in name", NewOrg{Name: "信息学院/团委", Kind: KindCommittee, Province: "浙江"}, nil, EInvalid, "不能有斜杠"},
		{"newline in name", NewOrg{Name: "信息学院\n团委", Kind: KindCommittee, Province: "浙江"}, nil, EInvalid, "第 5 个字符是换行"}, // issue 10 item 7: the position is named
		{"name of 61 characters", NewOrg{Name: strings.Repeat("团", 61), Kind: KindCommittee, Province: "浙江"}, nil, EInvalid, "组织名称太长"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ValidateNewOrg(tc.in, tc.parent)
			if ErrorCode(err) != tc.wantCode {
				t.Fatalf("ValidateNewOrg = %v (code %q), want code %q", err, ErrorCode(err), tc.wantCode)
			}
			if !strings.Contains(ErrorMessage(err), tc.wantMsg) {
				t.Errorf("message %q does not contain %q", ErrorMessage(err), tc.wantMsg)
			}
		})
	}
}

// R-O1, R-O2, R-O3: accepted organizations with their filled defaults.
func TestValidateNewOrg_Accepts(t *testing.T) {
	tests := []struct {
		name         string
		in           NewOrg
		parent       *Org
		wantName     string
		wantCategory string
		wantProvince string
	}{
		{"R-O1 团委 at top level", NewOrg{Name: " 浙江某大学团委 ", Kind: KindCommittee, Province: "浙江"}, nil, "浙江某大学团委", "", "浙江"},
		{"R-O1 团省委 at top level", NewOrg{Name: "共青团浙江省委员会", Kind: KindProvince, Province: "浙江省"}, nil, "共青团浙江省委员会", "", "浙江"},
		{"R-O3 北京市 becomes 北京", NewOrg{Name: "北京某大学团委", Kind: KindCommittee, Province: "北京市"}, nil, "北京某大学团委", "", "北京"},
		{"R-O1 团委 under 团委 (college)", NewOrg{Name: "信息学院团委", Kind: KindCommittee}, testParent(KindCommittee, "浙江"), "信息学院团委", "", "浙江"},
		{"R-O1 团工委 under 团市委", NewOrg{Name: "街道团工委", Kind: KindWorkCommittee}, testParent(KindCity, "浙江"), "街道团工委", "", "浙江"},
		{"R-O1 团市委 under 团省委", NewOrg{Name: "共青团杭州市委员会", Kind: KindCity}, testParent(KindProvince, "浙江"), "共青团杭州市委员会", "", "浙江"},
		{"R-O1 团总支 under 团委", NewOrg{Name: "计算机系团总支", Kind: KindGeneralBranch}, testParent(KindCommittee, "浙江"), "计算机系团总支", "", "浙江"},
		{"R-O1 团总支 under 团总支", NewOrg{Name: "下级团总支", Kind: KindGeneralBranch}, testParent(KindGeneralBranch, "浙江"), "下级团总支", "", "浙江"},
		{"R-O2 branch defaults to 普通", NewOrg{Name: "2025级小学教育1班团支部", Kind: KindBranch}, testParent(KindGeneralBranch, "浙江"), "2025级小学教育1班团支部", CatNormal, "浙江"},
		{"R-O2 teacher branch", NewOrg{Name: "教工团支部", Kind: KindBranch, Category: CatTeacher}, testParent(KindCommittee, "浙江"), "教工团支部", CatTeacher, "浙江"},
		{"R-O2 special library under 团省委", NewOrg{Name: "特殊单位专属库", Kind: KindBranch, Category: CatSpecial}, testParent(KindProvince, "浙江"), "特殊单位专属库", CatSpecial, "浙江"},
		{"R-O3 province defaults from parent", NewOrg{Name: "2025级软件工程1班团支部", Kind: KindBranch}, testParent(KindCommittee, "广东"), "2025级软件工程1班团支部", CatNormal, "广东"},
		{"R-O3 own province wins over parent's", NewOrg{Name: "驻京团支部", Kind: KindBranch, Province: "北京"}, testParent(KindCommittee, "浙江"), "驻京团支部", CatNormal, "北京"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ValidateNewOrg(tc.in, tc.parent)
			if err != nil {
				t.Fatalf("ValidateNewOrg: %v", err)
			}
			if got.Name != tc.wantName || got.Category != tc.wantCategory || got.Province != tc.wantProvince {
				t.Errorf("got name %q category %q province %q, want %q %q %q",
					got.Name, got.Category, got.Province, tc.wantName, tc.wantCategory, tc.wantProvince)
			}
		})
	}
}

// R-O2: every category of the notice is offered.
func TestCategories_R_O2(t *testing.T) {
	want := []string{"普通", "教师支部", "混合支部", "毕业生团组织", "学社衔接临时团支部", "出国(境)学习研究团员团支部", "特殊单位专属库"}
	if strings.Join(Categories, ",") != strings.Join(want, ",") {
		t.Errorf("Categories = %v, want %v", Categories, want)
	}
	for _, p := range SeparateProvinces {
		if !contains(Provinces, p) {
			t.Errorf("separate province %s (R-O3) is not in Provinces", p)
		}
	}
}

// R-X5: a branch should have 3 to 50 members and a name like
// "2025级小学教育1班团支部"; outside that BranchWarnings warns.
func TestBranchWarnings_R_X5(t *testing.T) {
	tests := []struct {
		name  string
		org   Org
		wants []string // parts of the warnings, in order; none: no warning
	}{
		{"good class branch of 30", Org{Name: "2025级小学教育1班团支部", Kind: KindBranch, Category: CatNormal, MemberCount: 30}, nil},
		{"3 members is fine", Org{Name: "2025级小学教育1班团支部", Kind: KindBranch, Category: CatNormal, MemberCount: 3}, nil},
		{"50 members is fine", Org{Name: "1999级会计学2班团支部", Kind: KindBranch, Category: CatNormal, MemberCount: 50}, nil},
		{"51 members", Org{Name: "2025级小学教育1班团支部", Kind: KindBranch, Category: CatNormal, MemberCount: 51}, []string{"超过 50 人（现有 51 人）"}},
		{"2 members", Org{Name: "2025级小学教育1班团支部", Kind: KindBranch, Category: CatNormal, MemberCount: 2}, []string{"少于 3 人（现有 2 人）"}},
		{"new empty branch", Org{Name: "2025级小学教育1班团支部", Kind: KindBranch, Category: CatNormal}, []string{"少于 3 人（现有 0 人）"}},
		{"name without 级", Org{Name: "小学教育1班团支部", Kind: KindBranch, Category: CatNormal, MemberCount: 30}, []string{"2025级小学教育1班团支部"}},
		{"name without 团支部", Org{Name: "2025级小学教育1班", Kind: KindBranch, Category: CatNormal, MemberCount: 30}, []string{"2025级小学教育1班团支部", "应以“团支部”结尾"}},
		{"bad name and too big", Org{Name: "小教一班", Kind: KindBranch, Category: CatNormal, MemberCount: 60},
			[]string{"2025级小学教育1班团支部", "应以“团支部”结尾", "超过 50 人（现有 60 人）"}},
		{"teacher branch: free name, small is fine", Org{Name: "教工团支部", Kind: KindBranch, Category: CatTeacher, MemberCount: 1}, nil},
		{"teacher branch over 50", Org{Name: "教工团支部", Kind: KindBranch, Category: CatTeacher, MemberCount: 51}, []string{"超过 50 人"}},
		{"transit branch must end in 团支部", Org{Name: "文新街道临时支部", Kind: KindBranch, Category: CatTransit, MemberCount: 10}, []string{"应以“团支部”结尾"}},
		{"a committee never warns", Org{Name: "信息学院", Kind: KindCommittee, MemberCount: 900}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := BranchWarnings(tc.org)
			if len(got) != len(tc.wants) {
				t.Fatalf("BranchWarnings = %q, want %d warnings like %q", got, len(tc.wants), tc.wants)
			}
			for i, w := range tc.wants {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// R-O1: Contains follows the kept path, not a string prefix of the ID.
func TestOrgContains_R_O1(t *testing.T) {
	college := Org{ID: 5, Path: "/1/5/"}
	tests := []struct {
		name  string
		other Org
		want  bool
	}{
		{"itself", college, true},
		{"child", Org{Path: "/1/5/23/"}, true},
		{"grandchild", Org{Path: "/1/5/23/40/"}, true},
		{"sibling with a longer ID", Org{Path: "/1/50/"}, false},
		{"parent", Org{Path: "/1/"}, false},
		{"unsaved org", Org{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := college.Contains(tc.other); got != tc.want {
				t.Errorf("Contains(%q) = %v, want %v", tc.other.Path, got, tc.want)
			}
		})
	}
	if (Org{}).Contains(Org{Path: "/1/"}) {
		t.Error("an org without a path contains nothing")
	}
}
