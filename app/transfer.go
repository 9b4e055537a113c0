package app

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// contactPhonePattern accepts a mobile or a landline number with area or
// country code: digits, with +, -, spaces or parentheses between them.
var contactPhonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ()\-]{5,22}[0-9]$`)

// Transfer reasons (R-T2), as the window and the headless commands name them.
const (
	ReasonStudy          = "升学"
	ReasonJobWithOrg     = "已落实工作单位（有团组织）"
	ReasonJobNoOrg       = "已落实工作单位（无团组织）"
	ReasonAbroadOfficial = "出国（因公出国/境）"
	ReasonAbroadStudy    = "出国（境）学习研究"
	ReasonAbroadPrivate  = "出国（因私出国/境）"
	ReasonUnemployed     = "未就业"
	ReasonSpecial        = "转往特殊单位团组织"
)

// Reasons lists the transfer reasons in the order of the operation guide.
var Reasons = []string{ReasonStudy, ReasonJobWithOrg, ReasonJobNoOrg, ReasonAbroadOfficial, ReasonAbroadStudy, ReasonAbroadPrivate, ReasonUnemployed, ReasonSpecial}

// Who started a transfer (R-T1).
const (
	ByOutOrg = "转出组织"
	ByInOrg  = "转入组织"
	ByMember = "团员本人"
)

// Transfer states.
const (
	StateApproving = "审批中"
	StateAssigning = "待分配团支部"
	StateDone      = "已完成"
	StateRejected  = "已退回"
	StateKept      = "留校保留" // 未就业, kept at school up to 6 months
	StateKeptEnded = "保留已结束"
)

// Step kinds and outcomes (R-T3, R-T4).
const (
	StepOut      = "转出审批"
	StepIn       = "转入审批"
	StepProvince = "省级审批"
	StepSchool   = "学校团委审批"
	StepAssign   = "分配团支部"

	OutcomeApproved = "通过"
	OutcomeRejected = "退回"
	OutcomeDefault  = "系统默认通过"
	OutcomeAssigned = "已分配"
	// An outside step's answer, recorded by the local party (R-W2).
	OutcomeOutsideApproved = "对方已同意"
	OutcomeOutsideRejected = "对方退回"
)

// Deadlines (R-T4) and the 未就业 keeping limit (R-T2).
const (
	StepDays      = 15
	RemindDays    = 10
	MaxKeepMonths = 6
)

// Transfer is one organization-relation transfer with its approval chain.
type Transfer struct {
	No           int64 // the transfer number
	IDNo         string
	Name         string
	FromOrg      int64
	FromName     string // full path, filled by readers
	ToOrg        int64  // 0 before a special or abroad target is fixed, and for 留校保留
	ToName       string
	Reason       string
	Scope        string // 北京, 广东, 福建 or 否 (R-O3)
	Unit         string // school, employer or sending unit
	Address      string // its address, or the household/residence address
	Remark       string // the detailed address for the receiving side
	KeepUntil    string // 留校保留: YYYY-MM-DD
	AbroadPlace  string // 出国（境）学习研究: where
	AbroadPeriod string // for how long
	Contact      string // domestic contact
	ContactPhone string
	Initiator    string
	StartedBy    string
	StartedName  string // the name of the account that started it, filled by TransferByNo
	State        string
	RejectReason string
	CreatedAt    time.Time
	FinishedAt   time.Time
	Steps        []Step

	FromPath  string // the origin's org path when started (R-W6)
	GradMonth string // the origin branch's graduation month when started (R-W6)
	FromOut   bool   // the origin is an outside organization (R-W4), filled by readers
	ToOut     bool   // the target is an outside organization (R-W1), filled by readers
	Letters   []int  // numbers of the letters issued for it (R-W3, R-L1), filled by readers

	mark     string // the member's mark when planned (StartTransfer's dry run)
	endsKept bool   // planned to end the member's keeping at school
}

// Step is one approval or assignment step of a transfer.
type Step struct {
	ID         int64
	Transfer   int64
	Seq        int
	Kind       string
	OrgID      int64
	OrgName    string // filled by readers
	OpenedAt   time.Time
	DueAt      time.Time // zero for 分配团支部: never automatic
	RemindedAt time.Time
	ActedAt    time.Time
	Outcome    string
	Actor      string
	ActorName  string // the acting account's name, filled by TransferByNo
	Note       string
	Outside    bool   // the step belongs to an outside organization (R-W2), filled by readers
	LearnedOn  string // an outside step: the date its answer was learned, YYYY-MM-DD
}

// IsOpen reports whether the step waits for action.
func (s Step) IsOpen() bool { return !s.OpenedAt.IsZero() && s.ActedAt.IsZero() }

// Overdue reports whether an open approval step has waited RemindDays or
// more at now, or was flagged by a sweep: its administrators are reminded
// (R-T4; the window marks it ※). 分配团支部 has no deadline and is never overdue.
func (s Step) Overdue(now time.Time) bool {
	reminded := !s.RemindedAt.IsZero() && !s.RemindedAt.After(now)
	return s.IsOpen() && !s.DueAt.IsZero() && (reminded || now.Sub(s.OpenedAt) >= RemindDays*24*time.Hour)
}

// DaysWaited is how many whole days an open step has waited at now.
func (s Step) DaysWaited(now time.Time) int { return int(now.Sub(s.OpenedAt).Hours() / 24) }

// Due reports whether an open step has reached its 15 days, so that it
// stands approved by default (R-T4) even before a sweep records it.
func (s Step) Due(now time.Time) bool {
	return s.IsOpen() && !s.DueAt.IsZero() && !now.Before(s.DueAt)
}

// DaysLeft returns the whole days until the step is approved by default (R-T4).
func (s Step) DaysLeft(now time.Time) int {
	if s.DueAt.IsZero() {
		return -1
	}
	d := s.DueAt.Sub(now)
	if d <= 0 {
		return 0
	}
	return int((d + 24*time.Hour - 1) / (24 * time.Hour))
}

// Current returns the open step, if any.
func (t Transfer) Current() (Step, bool) {
	for _, s := range t.Steps {
		if s.IsOpen() {
			return s, true
		}
	}
	return Step{}, false
}

// IsOpen reports whether the transfer still runs (a member has at most one).
func (t Transfer) IsOpen() bool { return t.State == StateApproving || t.State == StateAssigning }

// TransferInput is what 办理转出, 办理转入 and the member's application ask for (R-T2).
type TransferInput struct {
	IDNos        []string
	Name         string // 办理转入: the member's name, checked against the record
	Reason       string
	ToOrg        int64
	Scope        string
	Unit         string
	Address      string
	Remark       string
	KeepMonths   int
	AbroadPlace  string
	AbroadPeriod string
	Contact      string
	ContactPhone string
	// Outside names the target when it is an outside organization (R-W1),
	// instead of ToOrg; nil when none was named.
	Outside *OutsideInput
	// FromOutside names the organization a person not in this store comes
	// from (办理转入, R-W4); nil when none was named.
	FromOutside *OutsideInput
}

func trimAll(in *TransferInput) error {
	for _, f := range []struct {
		name string
		p    *string
	}{{"姓名", &in.Name}, {"转接原因", &in.Reason}, {"转入组织所属范围", &in.Scope}, {"单位名称", &in.Unit}, {"地址", &in.Address}, {"备注", &in.Remark},
		{"地点", &in.AbroadPlace}, {"期限", &in.AbroadPeriod}, {"联系人", &in.Contact}, {"联系方式", &in.ContactPhone}} {
		clean := CleanText
		if f.p == &in.Remark {
			clean = CleanLines
		}
		v, err := clean(f.name, *f.p)
		if err != nil {
			return err
		}
		*f.p = v
	}
	return nil
}

// ValidateTransferInput checks the fields each reason requires (R-T2) and
// the province scope (R-O3) when the target is known. to is nil when no
// target was chosen.
func ValidateTransferInput(in TransferInput, to *Org) (TransferInput, error) {
	if err := trimAll(&in); err != nil { // issue 10 item 7: no invisible characters
		return in, err
	}
	if !contains(Reasons, in.Reason) {
		return in, Errorf(EInvalid, "转接原因“%s”不正确，请从 %s 中选择。", in.Reason, strings.Join(Reasons, "、"))
	}
	if err := fixScope(&in, to); err != nil {
		return in, err
	}
	for _, f := range []struct{ name, v string }{{"单位名称", in.Unit}, {"地址", in.Address}, {"备注", in.Remark}, {"地点", in.AbroadPlace}, {"期限", in.AbroadPeriod}, {"联系人", in.Contact}, {"联系方式", in.ContactPhone}} {
		if utf8.RuneCountInString(f.v) > 200 {
			return in, Errorf(EInvalid, "“%s”太长（最多 200 字），请精简。", f.name)
		}
	}
	if err := reasonFields(&in, to); err != nil {
		return in, err
	}
	if in.KeepMonths > 0 && in.Reason != ReasonUnemployed {
		return in, Errorf(EInvalid, "只有“未就业”才能选择留校保留。")
	}
	if to != nil {
		if err := checkTarget(in, *to); err != nil {
			return in, err
		}
	}
	return in, nil
}

// fixScope fills in whether the target is in 北京/广东/福建 (R-O3): from
// the target when not given or given as 是, else 否; and checks it.
func fixScope(in *TransferInput, to *Org) error {
	if in.Scope == "" || in.Scope == "是" {
		if to != nil && contains(SeparateProvinces, to.Province) {
			in.Scope = to.Province
		} else if in.Scope == "" {
			in.Scope = "否"
		}
	}
	if in.Scope != "否" && !contains(SeparateProvinces, in.Scope) {
		return Errorf(EInvalid, "“转入组织是否属于北京/广东/福建”应填北京、广东、福建之一，或填“否”。")
	}
	return nil
}

// reasonFields checks what each reason asks for (R-T2): the unit, its
// address and a target for the plain reasons; none for the special and
// abroad ones, which find theirs.
func reasonFields(in *TransferInput, to *Org) error {
	switch in.Reason {
	case ReasonStudy:
		return firstErr(need(in.Unit, "升学须填写转入学校名称。"), need(in.Address, "升学须填写转入学校所在地的详细地址。"),
			needOrg(to, "升学须选择转入组织（尽可能具体到学院团委或团支部）。"))
	case ReasonJobWithOrg, ReasonAbroadOfficial:
		return firstErr(need(in.Unit, "须填写工作单位（派出单位）名称。"), need(in.Address, "须填写工作单位所在地的详细地址。"),
			needOrg(to, "须选择工作单位（派出单位）的团组织作为转入组织。"))
	case ReasonJobNoOrg:
		return firstErr(need(in.Unit, "须填写工作单位名称。"), need(in.Address, "须填写工作单位所在地的详细地址。"),
			needOrg(to, "工作单位没有团组织时，须选择单位所在街道团组织或其“学社衔接临时团支部”作为转入组织。"))
	case ReasonAbroadPrivate:
		return firstErr(need(in.Address, "因私出国（境）须填写户籍地或居住地的详细地址。"),
			needOrg(to, "须选择户籍所在地或居住地的团组织作为转入组织。"))
	case ReasonUnemployed:
		return unemployedFields(*in, to)
	case ReasonAbroadStudy:
		return abroadStudyFields(in, to)
	case ReasonSpecial:
		if to != nil {
			return Errorf(EInvalid, "转往特殊单位团组织无需选择转入组织，提交后由省级团委审核，团员进入特殊单位专属库。")
		}
	}
	return nil
}

// unemployedFields: 未就业 either keeps the relation at school for 1 to 6
// months, with no target, or goes to the home or residence's 学社衔接
// branch or community organization (R-T2).
func unemployedFields(in TransferInput, to *Org) error {
	if in.KeepMonths < 0 || in.KeepMonths > MaxKeepMonths {
		return Errorf(EInvalid, "未就业毕业生在原学校保留团组织关系不能超过 %d 个月，请填写 1 到 6。", MaxKeepMonths)
	}
	if in.KeepMonths > 0 {
		if to != nil {
			return Errorf(EInvalid, "留校保留团组织关系时不选择转入组织；落实去向后再办理转出。")
		}
		return nil
	}
	return firstErr(need(in.Address, "未就业须填写户籍地或居住地的详细地址。"),
		needOrg(to, "未就业须选择户籍所在地或居住地的乡镇街道“学社衔接临时团支部”或村、社区团组织作为转入组织；也可选择留校保留（最多 6 个月）。"))
}

// abroadStudyFields: 出国（境）学习研究 keeps the member at school, with
// no target (R-T2). The written application gives where (the address when
// not given), the period, a domestic contact and the contact's phone. The
// headless contract has no flags for the last three, so a remark may carry
// them.
func abroadStudyFields(in *TransferInput, to *Org) error {
	if to != nil {
		return Errorf(EInvalid, "出国（境）学习研究的团员保留在原学校，由学院的“出国(境)学习研究团员团支部”集中管理，无需选择转入组织。")
	}
	if in.AbroadPlace == "" {
		in.AbroadPlace = in.Address
	}
	if err := need(in.AbroadPlace, "出国（境）学习研究须填写境外学习研究的地点。"); err != nil {
		return err
	}
	if in.Remark == "" {
		if err := firstErr(need(in.AbroadPeriod, "出国（境）学习研究须填写期限（例如 2025-09 至 2026-08），或写在备注中。"),
			need(in.Contact, "出国（境）学习研究须填写境内联系人，或写在备注中。"),
			need(in.ContactPhone, "出国（境）学习研究须填写境内联系人的联系方式，或写在备注中。")); err != nil {
			return err
		}
	}
	if in.ContactPhone != "" && !contactPhonePattern.MatchString(in.ContactPhone) {
		return Errorf(EInvalid, "联系方式“%s”不正确，请填写手机号或带区号的电话号码。", in.ContactPhone)
	}
	return nil
}

// need is an EInvalid msg when v is empty.
func need(v, msg string) error {
	if v == "" {
		return Errorf(EInvalid, "%s", msg)
	}
	return nil
}

func needOrg(to *Org, msg string) error {
	if to == nil {
		return Errorf(EInvalid, "%s", msg)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// checkTarget checks the chosen organization against the scope (R-O3) and the reason.
func checkTarget(in TransferInput, to Org) error {
	separate := contains(SeparateProvinces, to.Province)
	switch {
	case in.Scope == "否" && separate && to.Outside:
		return Errorf(EInvalid, "校外组织“%s”记在%s，请在“转入组织是否属于北京/广东/福建”中选择“%s”；如它不在%s，请填写它所在的省份（--province）。", to.Name, to.Province, to.Province, to.Province)
	case in.Scope == "否" && separate:
		return Errorf(EInvalid, "转入组织“%s”属于%s，请在“转入组织是否属于北京/广东/福建”中选择“%s”。", to.Name, to.Province, to.Province)
	case in.Scope != "否" && to.Province != in.Scope:
		return Errorf(EInvalid, "选择了转入组织属于%s，但“%s”在%s，请重新选择转入组织或更正范围。", in.Scope, to.Name, to.Province)
	}
	switch {
	case to.Outside:
		// An outside organization is named as written; its kind may be unknown (R-W1).
		if to.Kind == KindProvince || to.Kind == KindCity {
			return Errorf(EInvalid, "转入组织应为团委、团工委、团总支或团支部，不能是%s，请填写更具体的组织。", to.Kind)
		}
		return nil
	case to.Kind == KindCommittee, to.Kind == KindWorkCommittee, to.Kind == KindGeneralBranch, to.Kind == KindBranch:
	default:
		return Errorf(EInvalid, "转入组织应为团委、团工委、团总支或团支部，不能是%s，请选择更具体的组织。", to.Kind)
	}
	if to.Category == CatSpecial {
		return Errorf(EInvalid, "特殊单位专属库只能通过“转往特殊单位团组织”转入。")
	}
	if to.Category == CatAbroad {
		return Errorf(EInvalid, "出国(境)学习研究团员团支部只能通过“出国（境）学习研究”转入。")
	}
	return nil
}
