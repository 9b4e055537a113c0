package app

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"
)

// KindOutside is how the window names an outside organization whose kind is unknown.
const KindOutside = "校外组织"

// MaxOutsideName is the longest outside organization's name (R-W1): full
// names as written, such as 共青团中国建设银行股份有限公司浙江省分行委员会.
const MaxOutsideName = 80

// NormalizeOrgName folds what makes one organization look like two (R-W1):
// spaces of every width are dropped, full-width letters, digits and
// brackets become half-width, and Latin letters lower case.
func NormalizeOrgName(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r) || r == '\u3000':
			continue
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == '【' || r == '〔' || r == '［':
			r = '['
		case r == '】' || r == '〕' || r == '］':
			r = ']'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// OutsideInput names an outside organization (R-W1): its full name as
// written, its province, and, when known, its kind and how to reach it.
type OutsideInput struct {
	Name     string
	Province string
	Kind     string
	Address  string
	Contact  string
	Phone    string
	// Version is the record's version as an edit form loaded it (changes.go); "": no check.
	Version RecordVersion
}

// Given reports whether an outside organization was named.
func (in OutsideInput) Given() bool { return strings.TrimSpace(in.Name) != "" }

// GuessProvince returns the first province (by its short name) that name
// mentions, or "".
func GuessProvince(name string) string {
	best, at := "", -1
	for _, p := range Provinces {
		if i := strings.Index(name, p); i >= 0 && (at < 0 || i < at) {
			best, at = p, i
		}
	}
	return best
}

// ValidateOutside checks an outside organization's fields (R-W1). The
// province, when not given, is the scope's separate province (R-O3), or
// the one the name mentions, or fallback.
func ValidateOutside(in OutsideInput, scope, fallback string) (OutsideInput, error) {
	for _, f := range []struct {
		name string
		p    *string
	}{{"校外组织名称", &in.Name}, {"省份", &in.Province}, {"组织类型", &in.Kind}, {"地址", &in.Address}, {"联系人", &in.Contact}, {"联系电话", &in.Phone}} {
		v, err := CleanText(f.name, *f.p)
		if err != nil {
			return in, err
		}
		*f.p = v
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		return in, Errorf(EInvalid, "请填写校外组织的全称，例如“共青团北京大学信息科学技术学院委员会”。")
	case n < 2:
		return in, Errorf(EInvalid, "校外组织名称“%s”太短，请填写组织的全称。", in.Name)
	case n > MaxOutsideName:
		return in, Errorf(EInvalid, "校外组织名称太长（%d 个字，最多 %d 个字），请填写规范的全称。", n, MaxOutsideName)
	}
	if strings.ContainsAny(in.Name, "/\\\n\r\t") {
		return in, Errorf(EInvalid, "校外组织名称中不能有斜杠、换行等符号，请填写组织的全称。")
	}
	if in.Province == "" {
		switch {
		case contains(SeparateProvinces, scope):
			in.Province = scope
		case GuessProvince(in.Name) != "":
			in.Province = GuessProvince(in.Name)
		default:
			in.Province = fallback
		}
	}
	if !contains(Provinces, in.Province) {
		return in, Errorf(EInvalid, "省份“%s”不正确，请填写省级行政区的简称，例如 北京、浙江、内蒙古。", in.Province)
	}
	if in.Kind != "" && in.Kind != KindOutside && !contains(Kinds, in.Kind) {
		return in, Errorf(EInvalid, "组织类型“%s”不正确，请从 %s 中选择，或不填。", in.Kind, strings.Join(Kinds, "、"))
	}
	if in.Kind == KindOutside {
		in.Kind = ""
	}
	for _, f := range []struct{ name, v string }{{"地址", in.Address}, {"联系人", in.Contact}, {"联系电话", in.Phone}} {
		if utf8.RuneCountInString(f.v) > 200 {
			return in, Errorf(EInvalid, "校外组织的“%s”太长（最多 200 字），请精简。", f.name)
		}
	}
	if in.Phone != "" && !contactPhonePattern.MatchString(in.Phone) {
		return in, Errorf(EInvalid, "联系电话“%s”不正确，请填写手机号或带区号的电话号码。", in.Phone)
	}
	return in, nil
}

// validOutside is ValidateOutside, refusing a name that is an organization
// of this store: that one is picked from the tree.
func validOutside(tx Tx, in OutsideInput, scope, fallback string) (OutsideInput, error) {
	v, err := ValidateOutside(in, scope, fallback)
	if err != nil {
		return v, err
	}
	if local, err := tx.LocalOrgsNamed(v.Name); err != nil {
		return v, err
	} else if len(local) > 0 {
		return v, Errorf(EConflict, "“%s”是本系统中的组织（%s），请直接选择它，不要作为校外组织填写。", v.Name, local[0].FullName)
	}
	return v, nil
}

// outside finds the outside organization in names, or adds it to the
// directory (R-W1, audited). A name that is an organization of this store
// is refused: that one is picked from the tree.
func (s *Service) outside(tx Tx, ss *Session, in OutsideInput, scope, fallback string) (Org, error) {
	v, err := validOutside(tx, in, scope, fallback)
	if err != nil {
		return Org{}, err
	}
	o, err := tx.OutsideOrg(v.Name)
	if err == nil {
		// Details learned later fill what the directory lacks.
		changed := false
		for _, f := range []struct {
			dst *string
			v   string
		}{{&o.Address, v.Address}, {&o.Contact, v.Contact}, {&o.Phone, v.Phone}, {&o.Kind, v.Kind}} {
			if *f.dst == "" && f.v != "" {
				*f.dst, changed = f.v, true
			}
		}
		if changed {
			if err := tx.UpdateOrg(o); err != nil {
				return Org{}, err
			}
		}
		return o, nil
	}
	if !IsNotFound(err) {
		return Org{}, err
	}
	o = Org{Name: v.Name, Kind: v.Kind, Province: v.Province, Outside: true, Address: v.Address, Contact: v.Contact, Phone: v.Phone, CreatedAt: s.now()}
	if err := tx.InsertOrg(&o); err != nil {
		return Org{}, err
	}
	o.FullName = o.Name
	return o, s.audit(tx, ss, Change{Action: ActAddOutside, Object: o.Name, OrgID: o.ID, After: o.Province + " " + kindLabel(o)})
}

// outsideFor is outside; dry looks the organization up without adding it,
// giving a stand-in (no ID) for one still to be added.
func (s *Service) outsideFor(tx Tx, ss *Session, in OutsideInput, scope, fallback string, dry bool) (Org, error) {
	if !dry {
		return s.outside(tx, ss, in, scope, fallback)
	}
	v, err := validOutside(tx, in, scope, fallback)
	if err != nil {
		return Org{}, err
	}
	o, err := tx.OutsideOrg(v.Name)
	if IsNotFound(err) {
		return Org{Name: v.Name, FullName: v.Name, Kind: v.Kind, Province: v.Province, Outside: true}, nil
	}
	return o, err
}

func kindLabel(o Org) string {
	if o.Kind == "" {
		return KindOutside
	}
	return o.Kind
}

// OutsideSearch selects entries of the outside directory.
type OutsideSearch struct {
	Text  string
	Scope string // 北京, 广东, 福建, 否 or "" (R-O3); 全部: every province
	Limit int
}

// OutsideOrgs searches the directory of outside organizations (R-W1) with
// the province scope of R-O3.
func (s *Service) OutsideOrgs(ctx context.Context, ss *Session, q OutsideSearch) ([]Org, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	if !ss.IsAdmin() {
		return nil, Errorf(EForbidden, "只有组织管理员才能查看校外组织目录。")
	}
	f := OrgFilter{Text: strings.TrimSpace(q.Text), Outside: true, Limit: q.Limit}
	switch q.Scope {
	case "北京", "广东", "福建":
		f.Provinces = []string{q.Scope}
	case "", "否":
		f.Exclude = SeparateProvinces
	case "全部":
	default:
		return nil, Errorf(EInvalid, "范围应为 北京、广东、福建 或 否。")
	}
	var out []Org
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.FindOrgs(f)
		return err
	})
	return out, err
}

// UpdateOutside corrects an outside organization's entry in the directory
// (R-W1): its name, province, kind, address, contact and phone.
func (s *Service) UpdateOutside(ctx context.Context, ss *Session, id int64, in OutsideInput) (Org, error) {
	if err := ready(ss); err != nil {
		return Org{}, err
	}
	if ss.Role() != RoleCommittee {
		return Org{}, Errorf(EForbidden, "只有团委管理员才能修改校外组织目录。")
	}
	var out Org
	err := s.Store.Write(ctx, func(tx Tx) error {
		o, err := tx.Org(id)
		if err != nil {
			return err
		}
		if !o.Outside {
			return Errorf(EInvalid, "“%s”是本系统中的组织，不在校外组织目录中。", o.FullName)
		}
		if err := checkOrgVersion(tx, o, in.Version); err != nil {
			return err
		}
		v, err := ValidateOutside(in, "", o.Province)
		if err != nil {
			return err
		}
		if local, err := tx.LocalOrgsNamed(v.Name); err != nil {
			return err
		} else if len(local) > 0 {
			return Errorf(EConflict, "“%s”是本系统中的组织（%s），不能作为校外组织的名称。", v.Name, local[0].FullName)
		}
		if other, err := tx.OutsideOrg(v.Name); err == nil && other.ID != o.ID {
			return Errorf(EConflict, "校外组织目录中已有“%s”，不能重复。", other.Name)
		}
		before := o.Name + " " + o.Province + " " + kindLabel(o)
		o.Name, o.Province, o.Kind, o.Address, o.Contact, o.Phone = v.Name, v.Province, v.Kind, v.Address, v.Contact, v.Phone
		if err := tx.UpdateOrg(o); err != nil {
			return err
		}
		out = o
		out.FullName = o.Name
		return s.audit(tx, ss, Change{Action: ActEditOutside, Object: o.Name, OrgID: o.ID, Before: before, After: o.Name + " " + o.Province + " " + kindLabel(o)})
	})
	return out, err
}

// provinceFullName returns a province's full name as its committee is
// called: 北京市, 内蒙古自治区, 浙江省.
func provinceFullName(p string) string {
	switch p {
	case "北京", "天津", "上海", "重庆":
		return p + "市"
	case "内蒙古", "西藏":
		return p + "自治区"
	case "广西":
		return "广西壮族自治区"
	case "宁夏":
		return "宁夏回族自治区"
	case "新疆":
		return "新疆维吾尔自治区"
	case "香港", "澳门":
		return p + "特别行政区"
	}
	return p + "省"
}
