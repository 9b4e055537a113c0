package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// transferObject names a transfer in the audit trail.
func transferObject(t Transfer) string {
	return "转接第 " + strconv.FormatInt(t.No, 10) + " 号 " + t.Name + "（" + MaskID(t.IDNo) + "）"
}

func (s *Service) auditTransfer(tx Tx, ss *Session, t Transfer, action, before, after string) error {
	return tx.AppendAudit(AuditEntry{At: s.now(), Actor: ss.actor(), Action: action,
		Object: transferObject(t), OrgID: t.FromOrg, Member: t.IDNo, Before: before, After: after})
}

// StartTransfer starts one transfer per member (办理转出, or the member's own
// application, R-T1, R-T2), all in one transaction: an administrator of the
// member's organization starts it as 转出组织; the member itself as 团员本人.
func (s *Service) StartTransfer(ctx context.Context, ss *Session, in TransferInput) ([]Transfer, error) {
	if err := ready(ss); err != nil {
		return nil, err
	}
	if len(in.IDNos) == 0 {
		return nil, Errorf(EInvalid, "请选择要办理转接的团员。")
	}
	if in.Outside != nil && in.ToOrg != 0 {
		return nil, Errorf(EInvalid, "转入组织只能填一个：本系统中的组织（--to）或校外组织（--outside），请去掉其中一个。")
	}
	if in.FromOutside != nil {
		return nil, Errorf(EInvalid, "“原所在校外组织”（--from-outside）只用于办理转入；办理转出请填写转入组织。")
	}
	// Everything is checked first in a read transaction, so that a refusal
	// never holds the write lock and a long list holds it only while it is
	// written (the checks are repeated there: nothing changed meanwhile).
	var plan []Transfer
	var head int64
	orgs := map[int64]Org{} // the members' organizations, as read for the plan
	if err := s.Store.Read(ctx, func(tx Tx) (err error) {
		if plan, err = s.startAll(tx, ss, in, true, nil, false, orgs); err != nil {
			return err
		}
		head, err = tx.AuditHead()
		return err
	}); err != nil {
		return nil, err
	}
	planned := make(map[string]Transfer, len(plan))
	for _, t := range plan {
		planned[t.IDNo] = t
	}
	var out []Transfer
	err := s.Store.Write(ctx, func(tx Tx) (err error) {
		// Nothing written since the plan was made (the audit trail's head
		// is where it was): the members are as planned and need no second
		// look; otherwise each is looked at again.
		now, err := tx.AuditHead()
		if err != nil {
			return err
		}
		trusted := now == head
		if !trusted {
			orgs = map[int64]Org{}
		}
		out, err = s.startAll(tx, ss, in, false, planned, trusted, orgs)
		return err
	})
	return out, err
}

// startAll starts the transfers of StartTransfer in tx; dry only checks
// them, writing nothing (an outside target or special library still to
// create is checked as it would be created) and returns them as planned.
// With the plans of a dry run, a member whose organization, status and
// mark are as planned and who has no transfer open is written from the
// plan without reading the record again; trusted: nothing was written
// since the plans were made, so none is looked at again. orgs keeps the
// organizations read, by id (those of a trusted plan's dry run are used as
// they are).
func (s *Service) startAll(tx Tx, ss *Session, in TransferInput, dry bool, planned map[string]Transfer, trusted bool, orgs map[int64]Org) ([]Transfer, error) {
	to, err := s.target(tx, in.ToOrg)
	if err != nil {
		return nil, err
	}
	if in.Outside != nil {
		// R-W1: the target is outside this store, kept in the directory.
		o, err := s.outsideFor(tx, ss, *in.Outside, strings.TrimSpace(in.Scope), ss.Top().Province, dry)
		if err != nil {
			return nil, err
		}
		to = &o
	}
	v, err := ValidateTransferInput(in, to)
	if err != nil {
		return nil, err
	}
	// Members written from their plans go in together, in the given order.
	out := make([]Transfer, 0, len(in.IDNos))
	var pending []pendingStart
	if len(planned) > 0 {
		pending = make([]pendingStart, 0, len(planned))
	}
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := s.writeStarts(tx, ss, pending, out[len(out)-len(pending):])
		pending = pending[:0]
		return err
	}
	seen := make(map[string]bool, len(in.IDNos))
	froms := map[int64]*Org{} // the planned members' organizations, shared by their pending starts
	now := s.now()
	var states map[string]MemberState
	if len(planned) > 0 && !trusted {
		ids := make([]string, 0, len(planned))
		for id := range planned {
			ids = append(ids, id)
		}
		if states, err = tx.MemberStates(ids); err != nil {
			return nil, err
		}
	}
	for _, raw := range in.IDNos {
		id := NormalizeID(raw)
		if seen[id] {
			continue
		}
		seen[id] = true
		if p, ok := planned[id]; ok && to != nil && p.Reason != ReasonSpecial && p.Reason != ReasonAbroadStudy && p.State == StateApproving {
			// A trusted plan is as the member is, unless its keeping ends
			// (written the long way).
			asPlanned := trusted && !p.endsKept
			if st, ok := states[id]; !trusted && ok {
				asPlanned = st.OrgID == p.FromOrg && st.Status == StatusActive && st.Mark == p.mark && st.Open == 0
			}
			if asPlanned {
				from, ok := froms[p.FromOrg]
				if !ok {
					o, ok := orgs[p.FromOrg]
					if !ok {
						var err error
						if o, err = tx.Org(p.FromOrg); err != nil {
							return nil, err
						}
						orgs[p.FromOrg] = o
					}
					from = &o
					froms[p.FromOrg] = from
				}
				out = append(out, replan(p, *to, now))
				pending = append(pending, pendingStart{from, to})
				continue
			}
		}
		if err := flush(); err != nil {
			return nil, err
		}
		m, err := tx.Member(id)
		if IsNotFound(err) {
			return nil, Errorf(ENotFound, "没有身份证号为 %s 的团员，请核对。", MaskID(id))
		}
		if err != nil {
			return nil, err
		}
		if m.Departed() {
			return nil, Errorf(EConflict, "%s 已于 %s 转出至“%s”（第 %d 号转接），不在本系统的团组织中，不能再办理转出。", m.Name,
				m.LeftAt.In(Shanghai).Format("2006-01-02"), m.LeftTo, m.LeftTransfer)
		}
		from, ok := orgs[m.OrgID]
		if !ok {
			if from, err = tx.Org(m.OrgID); err != nil {
				return nil, err
			}
			orgs[m.OrgID] = from
		}
		initiator := ByOutOrg
		switch {
		case ss.CanManage(from):
		case ss.Account.IDNo == id:
			initiator = ByMember
		default:
			return nil, Errorf(EForbidden, "%s 不在您管理的组织内，不能由您办理转出；如需把此人转入本组织，请使用“办理转入”。", MaskID(id))
		}
		t, err := s.startOne(tx, ss, m, from, to, v, initiator, dry)
		t.mark = m.Mark
		if err != nil {
			// One sentence that still ends as a sentence (CLI.md).
			if len(in.IDNos) > 1 && !strings.Contains(ErrorMessage(err), m.Name) {
				return nil, &Error{Code: ErrorCode(err), Message: m.Name + "：" + ErrorMessage(err) + "所有人都没有提交，请处理后重试。", Err: err}
			}
			if len(in.IDNos) > 1 {
				return nil, &Error{Code: ErrorCode(err), Message: ErrorMessage(err) + "所有人都没有提交，请处理后重试。", Err: err}
			}
			return nil, err
		}
		out = append(out, t)
	}
	return out, flush()
}

// PullTransfer is 办理转入 (R-T1): the receiving organization names the
// member by 姓名 and 身份证号 and starts the transfer towards itself; the
// member's present organization approves.
func (s *Service) PullTransfer(ctx context.Context, ss *Session, in TransferInput) (Transfer, error) {
	if err := ready(ss); err != nil {
		return Transfer{}, err
	}
	if len(in.IDNos) != 1 {
		return Transfer{}, Errorf(EInvalid, "办理转入请填写一名团员的姓名和身份证号。")
	}
	if in.Outside != nil {
		return Transfer{}, Errorf(EInvalid, "办理转入时，转入组织是本系统中的组织（--to）；来自校外组织的，请用“原所在校外组织”（--from-outside）填写。")
	}
	var out Transfer
	err := s.Store.Write(ctx, func(tx Tx) error {
		toID := in.ToOrg
		if toID == 0 {
			top := ss.Top()
			if top.ID == 0 {
				return Errorf(EForbidden, "只有组织管理员才能办理转入。")
			}
			toID = top.ID
		}
		to, err := s.manageable(tx, ss, toID)
		if err != nil {
			return err
		}
		// 办理转入 (R-T1): the receiving side enters the member's 姓名 and
		// 身份证号; the unit and its place are its own, taken from it when
		// not given.
		if strings.TrimSpace(in.Unit) == "" {
			school, err := schoolOf(tx, to)
			if err != nil {
				return err
			}
			in.Unit = unitName(school.Name)
		}
		if strings.TrimSpace(in.Address) == "" {
			in.Address = "转入组织：" + to.FullName
		}
		v, err := ValidateTransferInput(in, &to)
		if err != nil {
			return err
		}
		id := NormalizeID(in.IDNos[0])
		if _, err := ParseID(id, s.now()); err != nil {
			return err
		}
		name := strings.TrimSpace(in.Name)
		if name == "" {
			return Errorf(EInvalid, "办理转入须填写团员的姓名和身份证号，系统按两者一起查找。")
		}
		m, err := tx.Member(id)
		switch {
		case IsNotFound(err):
			if in.FromOutside == nil {
				return Errorf(ENotFound, "系统中没有身份证号为 %s 的团员。从校外组织转入的团员（如高中毕业的新生），请填写其原所在组织（--from-outside）；尚未入团的，请用“团员团干部导入模板”或新增团员录入。", MaskID(id))
			}
			if _, err := ValidateName(name); err != nil {
				return err
			}
			// R-W4: a person not in this store, received from outside.
			m = Member{IDNo: id, Name: name, Status: StatusActive}
		case err != nil:
			return err
		case name != m.Name:
			return Errorf(EConflict, "身份证号 %s 登记的姓名与填写的“%s”不一致，请核对姓名和身份证号。", MaskID(id), name)
		case m.Departed():
			// R-W3: one who left and comes back is the same record. They
			// come from where they went unless told otherwise.
			if in.FromOutside == nil {
				in.FromOutside = &OutsideInput{Name: m.LeftTo}
				if o, err := tx.Org(m.OrgID); err == nil && o.Outside {
					in.FromOutside.Name = o.Name
				}
			}
		case in.FromOutside != nil:
			o, err := tx.Org(m.OrgID)
			if err != nil {
				return err
			}
			return Errorf(EConflict, "%s 已是本系统的团员（在“%s”），不是从校外组织转入；请去掉“原所在校外组织”（--from-outside）后办理转入。", m.Name, o.FullName)
		}
		var from Org
		if in.FromOutside != nil {
			if from, err = s.outside(tx, ss, *in.FromOutside, "", to.Province); err != nil {
				return err
			}
		} else if from, err = tx.Org(m.OrgID); err != nil {
			return err
		}
		if !from.Outside && to.Contains(from) {
			return Errorf(EConflict, "%s 已在“%s”，无需办理转入。", m.Name, from.FullName)
		}
		out, err = s.start(tx, ss, m, from, &to, v, ByInOrg)
		return err
	})
	return out, err
}

func (s *Service) target(tx Tx, id int64) (*Org, error) {
	if id == 0 {
		return nil, nil
	}
	o, err := tx.Org(id)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// start plans the approval chain (R-T3) and stores the transfer.
func (s *Service) start(tx Tx, ss *Session, m Member, from Org, to *Org, in TransferInput, initiator string) (Transfer, error) {
	return s.startOne(tx, ss, m, from, to, in, initiator, false)
}

// startOne is start; dry only checks, writing nothing.
func (s *Service) startOne(tx Tx, ss *Session, m Member, from Org, to *Org, in TransferInput, initiator string, dry bool) (Transfer, error) {
	endsKept := false
	if open, err := tx.OpenTransfer(m.IDNo); err == nil {
		if open.State != StateKept {
			return Transfer{}, Errorf(EConflict, "%s 已有正在办理的组织关系转接（第 %d 号，%s），请等其办结或退回后再办理。", m.Name, open.No, open.State)
		}
		// A new transfer ends the keeping at school.
		endsKept = true
		open.State, open.FinishedAt = StateKeptEnded, s.now()
		if !dry {
			if err := tx.UpdateTransfer(open); err != nil {
				return Transfer{}, err
			}
		}
	} else if !IsNotFound(err) {
		return Transfer{}, err
	}
	if m.Status != StatusActive && !(m.Departed() && from.Outside) {
		return Transfer{}, Errorf(EConflict, "%s 的团籍状态为“%s”，不能办理组织关系转接。", m.Name, m.Status)
	}
	if to != nil {
		if to.Contains(from) || to.ID == from.ID {
			return Transfer{}, Errorf(EConflict, "%s 已在“%s”，转入组织不能是本人现在所在的组织。", m.Name, from.FullName)
		}
		if to.Category == CatTransit && m.Mark != "" {
			// R-D2: marked members are excluded from 学社衔接.
			return Transfer{}, Errorf(EConflict, "%s 已被标记为“%s”，不纳入“学社衔接”，不能转入学社衔接临时团支部。", m.Name, m.Mark)
		}
	}
	now := s.now()
	t := Transfer{IDNo: m.IDNo, Name: m.Name, FromOrg: from.ID, Reason: in.Reason, Scope: in.Scope, Unit: in.Unit, Address: in.Address,
		Remark: in.Remark, AbroadPlace: in.AbroadPlace, AbroadPeriod: in.AbroadPeriod, Contact: in.Contact, ContactPhone: in.ContactPhone,
		Initiator: initiator, StartedBy: ss.Account.IDNo, State: StateApproving, CreatedAt: now, FromPath: from.Path}
	if from.IsBranch() && !from.Outside && m.Mark == "" {
		// R-W6: whose graduates this transfer counts among, even once the
		// branch is gone.
		t.GradMonth = from.GradMonth
	}
	var kinds []string
	var orgs []int64
	add := func(kind string, org int64) { kinds = append(kinds, kind); orgs = append(orgs, org) }
	switch {
	case in.Reason == ReasonUnemployed && in.KeepMonths > 0:
		t.State = StateKept
		t.KeepUntil = AddMonths(now.In(Shanghai), in.KeepMonths).Format("2006-01-02")
	case in.Reason == ReasonSpecial:
		prov, lib, err := s.specialLibrary(tx, ss, from.Province, dry)
		if err != nil {
			return Transfer{}, err
		}
		if initiator == ByMember {
			add(StepOut, from.ID)
		}
		add(StepProvince, prov.ID)
		t.ToOrg = lib.ID
	case in.Reason == ReasonAbroadStudy:
		school, branch, err := s.abroadBranch(tx, from)
		if err != nil {
			return Transfer{}, err
		}
		if initiator == ByMember {
			add(StepOut, from.ID)
		}
		if branch.ID == from.ID {
			return Transfer{}, Errorf(EConflict, "%s 已在“%s”，无需再办理出国（境）学习研究转接；如需修改出国信息，请在备注中说明后联系学校团委。", m.Name, from.FullName)
		}
		add(StepSchool, school.ID)
		t.ToOrg = branch.ID
	default:
		t.ToOrg = to.ID
		switch initiator {
		case ByOutOrg:
			add(StepIn, to.ID)
		case ByInOrg:
			add(StepOut, from.ID)
		case ByMember:
			add(StepOut, from.ID)
			add(StepIn, to.ID)
		}
		// The outside side's own 分配团支部 is not ours (R-W2); a committee
		// of this store assigns (R-T3).
		if !to.IsBranch() && !to.Outside {
			add(StepAssign, to.ID)
		}
	}
	for i, k := range kinds {
		st := Step{Seq: i + 1, Kind: k, OrgID: orgs[i]}
		if i == 0 {
			st.OpenedAt, st.DueAt = now, now.AddDate(0, 0, StepDays)
			if k == StepAssign {
				st.DueAt = time.Time{}
			}
		}
		t.Steps = append(t.Steps, st)
	}
	if dry {
		t.endsKept = endsKept
		return t, nil
	}
	return s.writeStart(tx, ss, t, from, to)
}

// replan is a transfer planned in a dry run, now: its target (which may
// have been added to the directory since) and its first step opened now.
func replan(t Transfer, to Org, now time.Time) Transfer {
	t.ToOrg, t.CreatedAt = to.ID, now
	steps := make([]Step, len(t.Steps))
	for i, st := range t.Steps {
		if st.OrgID == 0 {
			st.OrgID = to.ID
		}
		if i == 0 {
			st.OpenedAt = now
			if !st.DueAt.IsZero() {
				st.DueAt = now.AddDate(0, 0, StepDays)
			}
		}
		steps[i] = st
	}
	t.Steps = steps
	return t
}

// writeStart stores a planned transfer with its steps, names its
// organizations as readers do, and audits it.
func (s *Service) writeStart(tx Tx, ss *Session, t Transfer, from Org, to *Org) (Transfer, error) {
	out := []Transfer{t}
	if err := s.writeStarts(tx, ss, []pendingStart{{&from, to}}, out); err != nil {
		return Transfer{}, err
	}
	return out[0], nil
}

// pendingStart is where a planned transfer waiting to be written goes.
type pendingStart struct {
	from *Org
	to   *Org
}

// writeStarts is writeStart for many transfers at once (a bulk 办理转出):
// batch[k] says where list[k] goes; list is completed as written.
func (s *Service) writeStarts(tx Tx, ss *Session, batch []pendingStart, list []Transfer) error {
	ptrs := make([]*Transfer, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	if err := tx.InsertTransfers(ptrs); err != nil {
		return err
	}
	// The names of the transfers' and their steps' organizations, as readers give them.
	named := map[int64]*Org{}
	nameOf := func(id int64) (*Org, error) {
		if o, ok := named[id]; ok {
			return o, nil
		}
		o, err := tx.Org(id)
		if err != nil {
			return nil, err
		}
		named[id] = &o
		return &o, nil
	}
	entries := make([]AuditEntry, len(batch))
	now, actor := s.now(), ss.actor()
	for k := range batch {
		p := &batch[k]
		if _, ok := named[p.from.ID]; !ok {
			named[p.from.ID] = p.from
		}
		if p.to != nil && p.to.ID != 0 {
			named[p.to.ID] = p.to
		}
		t := &list[k]
		for _, id := range [2]int64{t.FromOrg, t.ToOrg} {
			if id == 0 {
				continue
			}
			o, err := nameOf(id)
			if err != nil {
				return err
			}
			if id == t.FromOrg {
				t.FromName, t.FromOut = o.FullName, o.Outside
			} else {
				t.ToName, t.ToOut = o.FullName, o.Outside
			}
		}
		for i := range t.Steps {
			o, err := nameOf(t.Steps[i].OrgID)
			if err != nil {
				return err
			}
			t.Steps[i].OrgName, t.Steps[i].Outside = o.FullName, o.Outside
		}
		after := t.Reason + "，" + t.Initiator + "发起"
		if t.ToName != "" {
			after += "，转入“" + t.ToName + "”"
		}
		if t.State == StateKept {
			after += "，留校保留至 " + t.KeepUntil
		}
		entries[k] = AuditEntry{At: now, Actor: actor, Action: "发起组织关系转接", Object: transferObject(*t), OrgID: t.FromOrg,
			Member: t.IDNo, Before: p.from.FullName, After: after}
	}
	return tx.AppendAudits(entries)
}

// specialLibrary finds the 团省委 of a province and its 特殊单位专属库
// (R-T2). A store that holds the 团省委 gets its library when first needed;
// a store that does not (a school's) makes both outside organizations, so
// that the 省级审批 is an outside step (R-W5, R-W2).
func (s *Service) specialLibrary(tx Tx, ss *Session, province string, dry bool) (Org, Org, error) {
	tops, err := tx.Children(0)
	if err != nil {
		return Org{}, Org{}, err
	}
	for _, p := range tops {
		if p.Kind == KindProvince && p.Province == province {
			libs, err := tx.FindOrgs(OrgFilter{UnderPath: p.Path})
			if err != nil {
				return Org{}, Org{}, err
			}
			for _, l := range libs {
				if l.IsBranch() && l.Category == CatSpecial {
					return p, l, nil
				}
			}
			lib := Org{ParentID: p.ID, Name: "特殊单位专属库", Kind: KindBranch, Category: CatSpecial, Province: province, CreatedAt: s.now()}
			if dry {
				return p, lib, nil
			}
			if _, err := tx.OrgByName(p.ID, lib.Name); err == nil {
				lib.Name = province + "特殊单位专属库"
			}
			if err := tx.InsertOrg(&lib); err != nil {
				return Org{}, Org{}, err
			}
			if lib, err = tx.Org(lib.ID); err != nil {
				return Org{}, Org{}, err
			}
			return p, lib, s.audit(tx, ss, "新增组织", lib.FullName, lib.ID, "", "", "团支部 "+CatSpecial+"（转往特殊单位团组织时自动建立）")
		}
	}
	prov, err := s.outsideFor(tx, ss, OutsideInput{Name: "共青团" + provinceFullName(province) + "委员会", Province: province, Kind: KindProvince}, "", province, dry)
	if err != nil {
		return Org{}, Org{}, err
	}
	lib, err := s.outsideFor(tx, ss, OutsideInput{Name: province + "特殊单位专属库", Province: province, Kind: KindBranch}, "", province, dry)
	return prov, lib, err
}

// abroadBranch finds the school committee and the nearest 出国(境)学习研究团员团支部 above from.
func (s *Service) abroadBranch(tx Tx, from Org) (Org, Org, error) {
	school, err := schoolOf(tx, from)
	if err != nil {
		return Org{}, Org{}, err
	}
	for p := from.ParentID; p != 0; {
		kids, err := tx.Children(p)
		if err != nil {
			return Org{}, Org{}, err
		}
		for _, k := range kids {
			if k.IsBranch() && k.Category == CatAbroad {
				return school, k, nil
			}
		}
		o, err := tx.Org(p)
		if err != nil {
			return Org{}, Org{}, err
		}
		p = o.ParentID
	}
	return Org{}, Org{}, Errorf(EConflict, "学院还没有“出国(境)学习研究团员团支部”，请先在学院团委下建立该类别的团支部，再办理出国（境）学习研究。")
}

// canAct reports whether the session may act on a step (R-T3): an
// administrator of the step's organization, or of its direct superior when
// it is a branch. For an organization nobody in this store administers (an
// outside organization), the store's owner records its decision.
func (s *Service) canAct(tx Tx, ss *Session, t Transfer, st Step) (bool, error) {
	o, err := tx.Org(st.OrgID)
	if err != nil {
		return false, err
	}
	if o.Outside {
		// R-W2: an outside step is recorded by an administrator of the
		// local party to the transfer.
		local, err := s.localParty(tx, t)
		if err != nil {
			return false, err
		}
		return ss.CanManage(local), nil
	}
	for _, a := range ss.Orgs {
		if a.ID == o.ID || (o.IsBranch() && a.ID == o.ParentID) {
			return true, nil
		}
	}
	// 转往特殊单位团组织 is approved by the provincial committee itself
	// (R-T2): nobody acts in its place; without an administrator there the
	// step waits for its default approval.
	if st.Kind == StepProvince {
		return false, nil
	}
	// Nobody who should act has an administrator: the step goes to the
	// nearest administrators above (as graduation marks go to the direct
	// superior where a school has only branches, R-A4), and for an
	// organization nobody in this store administers (an outside one) to
	// the store's owner, who records its decision.
	admins, err := tx.Admins(o.ID)
	if err != nil || len(admins) > 0 {
		return false, err
	}
	if o.IsBranch() && o.ParentID != 0 {
		if admins, err = tx.Admins(o.ParentID); err != nil || len(admins) > 0 {
			return false, err
		}
	}
	above, err := s.adminAbove(tx, o)
	if err != nil {
		return false, err
	}
	if !above {
		return ss.Owner, nil
	}
	// The nearest ancestor with administrators acts.
	for p := o.ParentID; p != 0; {
		admins, err := tx.Admins(p)
		if err != nil {
			return false, err
		}
		if len(admins) > 0 {
			for _, a := range ss.Orgs {
				if a.ID == p {
					return true, nil
				}
			}
			return false, nil
		}
		parent, err := tx.Org(p)
		if err != nil {
			return false, err
		}
		p = parent.ParentID
	}
	return false, nil
}

// stillOpen refuses when step want of t is no longer open: it says who
// acted on it and when.
func (s *Service) stillOpen(tx Tx, t Transfer, want int64) error {
	for _, st := range t.Steps {
		if st.ID != want || st.IsOpen() {
			continue
		}
		if st.ActedAt.IsZero() {
			return Errorf(EConflict, "第 %d 号转接的“%s”还没有开始，请刷新后再办理。", t.No, st.Kind)
		}
		who := st.Actor
		if who == "系统" || who == "" {
			who = "系统"
		} else if a, err := tx.Account(who); err == nil {
			who = a.Name
		} else {
			who = MaskID(who)
		}
		return Errorf(EConflict, "第 %d 号转接的%s已由%s于 %s 办理（%s），请刷新后再看。", t.No, st.Kind, who,
			st.ActedAt.In(Shanghai).Format("01-02 15:04"), st.Outcome)
	}
	return nil
}

// localParty returns the organization of this store that takes part in a
// transfer whose other side is outside: the origin of a transfer out, the
// target of a transfer in (R-W2).
func (s *Service) localParty(tx Tx, t Transfer) (Org, error) {
	from, err := tx.Org(t.FromOrg)
	if err != nil || !from.Outside {
		return from, err
	}
	if t.ToOrg == 0 {
		return Org{}, Errorf(ENotFound, "第 %d 号转接没有本系统中的组织。", t.No)
	}
	return tx.Org(t.ToOrg)
}

type stepKey struct{}

// ForStep returns ctx carrying the step of a transfer that the caller
// showed or read: an approval, rejection, assignment or outside answer
// given with it is refused, with nothing changed, when that step is no
// longer the transfer's open one because another desk or process acted
// first (two offices must never act on different steps by accident).
func ForStep(ctx context.Context, stepID int64) context.Context {
	return context.WithValue(ctx, stepKey{}, stepID)
}

func stepFrom(ctx context.Context) int64 {
	id, _ := ctx.Value(stepKey{}).(int64)
	return id
}

// openStep returns transfer no and the index of its open step, which the
// session must be allowed to act on; want (0: any) is the step the caller
// saw, refused when another has acted on it since.
func (s *Service) openStep(tx Tx, ss *Session, no, want int64) (Transfer, int, error) {
	if err := ready(ss); err != nil {
		return Transfer{}, 0, err
	}
	t, err := tx.Transfer(no)
	if err != nil {
		return Transfer{}, 0, err
	}
	if want != 0 {
		if err := s.stillOpen(tx, t, want); err != nil {
			return Transfer{}, 0, err
		}
	}
	for i, st := range t.Steps {
		if st.IsOpen() {
			ok, err := s.canAct(tx, ss, t, st)
			if err != nil {
				return Transfer{}, 0, err
			}
			if !ok {
				if st.Outside {
					local, _ := s.localParty(tx, t)
					return Transfer{}, 0, Errorf(EForbidden, "第 %d 号转接当前等待校外组织“%s”办理，对方的答复由“%s”的管理员记录，不是您的待办事项。", no, st.OrgName, local.FullName)
				}
				return Transfer{}, 0, Errorf(EForbidden, "第 %d 号转接当前的“%s”应由“%s”办理，不是您的待办事项。", no, st.Kind, st.OrgName)
			}
			// R-T4: once 15 days are over the step stands approved by
			// default; the sweep records it, nobody acts on it any more.
			if st.Due(s.now()) {
				return Transfer{}, 0, Errorf(EConflict, "第 %d 号转接的“%s”已于 %s 满 15 天，按规定由系统默认通过，不能再手工办理。到期处理（窗口启动时和每天自动进行，或命令 sweep）会记下这一结果。",
					no, st.Kind, st.DueAt.In(Shanghai).Format("2006-01-02 15:04"))
			}
			return t, i, nil
		}
	}
	return Transfer{}, 0, Errorf(EConflict, "第 %d 号转接的状态是“%s”，没有等待办理的步骤。", no, t.State)
}

// advance closes step i with an outcome and opens the next, or finishes the
// transfer by moving the member (a member always belongs to exactly one
// organization). The step goes into the audit trail as one entry (R-X6; a
// default approval as 系统默认通过 on its due date, R-T4): the state it
// leaves, or, when it finishes the transfer, the member's organization
// before → after.
func (s *Service) advance(tx Tx, t *Transfer, i int, outcome, actor, note string, at time.Time) error {
	st := &t.Steps[i]
	st.ActedAt, st.Outcome, st.Actor, st.Note = at, outcome, actor, note
	if err := tx.UpdateStep(*st); err != nil {
		return err
	}
	var before, after string
	if i+1 < len(t.Steps) {
		next := &t.Steps[i+1]
		next.OpenedAt = at
		if next.Kind == StepAssign {
			t.State = StateAssigning
		} else {
			next.DueAt = at.AddDate(0, 0, StepDays)
		}
		if err := tx.UpdateStep(*next); err != nil {
			return err
		}
		if err := tx.UpdateTransfer(*t); err != nil {
			return err
		}
		after = t.State
	} else {
		var err error
		if before, after, err = s.finish(tx, t, t.ToOrg, at); err != nil {
			return err
		}
	}
	return tx.AppendAudit(AuditEntry{At: at, Actor: actor, Action: st.Kind + outcome, Object: transferObject(*t),
		OrgID: t.FromOrg, Member: t.IDNo, Before: before, After: after})
}

// finish ends the transfer at org and returns the full names of the
// member's organization before and after. Into a branch of this store the
// member moves there: a person received from outside becomes a member
// (R-W4), one who had left is the same record again (R-W3). To an outside
// organization the member leaves: the record stays as 已转出 with where to,
// when and the branch left (R-W3).
func (s *Service) finish(tx Tx, t *Transfer, org int64, at time.Time) (string, string, error) {
	to, err := tx.Org(org)
	if err != nil {
		return "", "", err
	}
	m, err := tx.Member(t.IDNo)
	switch {
	case IsNotFound(err) && !to.Outside:
		m = Member{OrgID: org, Name: t.Name, IDNo: t.IDNo, Political: PoliticalStatuses[0], Status: StatusActive,
			Incomplete: true, CreatedAt: at, UpdatedAt: at}
		if err := tx.InsertMember(&m); err != nil {
			return "", "", err
		}
		t.ToOrg, t.State, t.FinishedAt = org, StateDone, at
		return t.FromName, to.FullName, tx.UpdateTransfer(*t)
	case err != nil:
		return "", "", err
	}
	before := m.OrgName
	switch {
	case to.Outside:
		from, err := tx.Org(m.OrgID)
		if err != nil {
			return "", "", err
		}
		m.Status, m.LeftAt, m.LeftTo, m.LeftFrom, m.LeftPath, m.LeftTransfer = StatusDeparted, at, to.Name, from.FullName, from.Path, t.No
	case m.Departed():
		m.Status, m.LeftAt, m.LeftTo, m.LeftFrom, m.LeftPath, m.LeftTransfer = StatusActive, time.Time{}, "", "", "", 0
	}
	m.OrgID, m.UpdatedAt = org, at
	if err := tx.UpdateMember(m); err != nil {
		return "", "", err
	}
	t.ToOrg, t.State, t.FinishedAt = org, StateDone, at
	after := to.FullName
	if to.Outside {
		after = StatusDeparted + "：" + to.Name
	}
	return before, after, tx.UpdateTransfer(*t)
}

// ApproveTransfer approves the transfer's open step for the session (R-T3).
func (s *Service) ApproveTransfer(ctx context.Context, ss *Session, no int64) (Transfer, error) {
	var t Transfer
	err := s.Store.Write(ctx, func(tx Tx) error {
		var i int
		var err error
		if t, i, err = s.openStep(tx, ss, no, stepFrom(ctx)); err != nil {
			return err
		}
		if t.Steps[i].Kind == StepAssign {
			return Errorf(EConflict, "第 %d 号转接已审批通过，现在需要“分配团支部”：请选择一个团支部分配。", no)
		}
		if t.Steps[i].Outside {
			return Errorf(EConflict, "第 %d 号转接当前的“%s”由校外组织“%s”办理，本系统不能代为审批。收到对方答复后，请记录“对方已同意”（命令 transfer confirm %d）或“对方退回”（transfer reject %d --reason 原因）。",
				no, t.Steps[i].Kind, t.Steps[i].OrgName, no, no)
		}
		return s.advance(tx, &t, i, OutcomeApproved, ss.Account.IDNo, "", s.now())
	})
	if err != nil {
		return Transfer{}, err
	}
	return s.TransferByNo(ctx, ss, no)
}

// RejectTransfer rejects the transfer at the session's step; the member stays
// where they were (R-T5).
func (s *Service) RejectTransfer(ctx context.Context, ss *Session, no int64, reason string) (Transfer, error) {
	reason, err := CleanLines("退回原因", reason)
	if err != nil {
		return Transfer{}, err
	}
	if reason == "" {
		return Transfer{}, Errorf(EInvalid, "退回须填写原因，以便对方知道如何处理。")
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		t, i, err := s.openStep(tx, ss, no, stepFrom(ctx))
		if err != nil {
			return err
		}
		if t.Steps[i].Outside {
			return s.recordOutside(tx, ss, &t, i, OutsideAnswer{Reason: reason})
		}
		st := &t.Steps[i]
		st.ActedAt, st.Outcome, st.Actor, st.Note = s.now(), OutcomeRejected, ss.Account.IDNo, reason
		if err := tx.UpdateStep(*st); err != nil {
			return err
		}
		t.State, t.RejectReason, t.FinishedAt = StateRejected, reason, s.now()
		if err := tx.UpdateTransfer(t); err != nil {
			return err
		}
		return s.auditTransfer(tx, ss, t, st.Kind+"退回", "", reason)
	})
	if err != nil {
		return Transfer{}, err
	}
	return s.TransferByNo(ctx, ss, no)
}

// OutsideAnswer is the outside side's answer to a step of a transfer, as
// an administrator of the local party learned it (R-W2).
type OutsideAnswer struct {
	Approved bool   // 对方已同意; false: 对方退回
	Reason   string // 对方退回: the reason the other side gave
	Note     string
	Date     string // YYYY-MM-DD, the day the answer was learned; "": today
}

// RecordOutsideAnswer records the outside side's answer to transfer no's
// current step, which must belong to an outside organization (R-W2):
// 对方已同意 goes on as an approval, 对方退回 ends the transfer with the
// member where they were (R-T5).
func (s *Service) RecordOutsideAnswer(ctx context.Context, ss *Session, no int64, a OutsideAnswer) (Transfer, error) {
	var err error
	if a.Reason, err = CleanLines("退回原因", a.Reason); err != nil {
		return Transfer{}, err
	}
	if a.Note, err = CleanLines("说明", a.Note); err != nil {
		return Transfer{}, err
	}
	a.Date = strings.TrimSpace(a.Date)
	if !a.Approved && a.Reason == "" {
		return Transfer{}, Errorf(EInvalid, "记录对方退回须填写对方给出的原因。")
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		t, i, err := s.openStep(tx, ss, no, stepFrom(ctx))
		if err != nil {
			return err
		}
		return s.recordOutside(tx, ss, &t, i, a)
	})
	if err != nil {
		return Transfer{}, err
	}
	return s.TransferByNo(ctx, ss, no)
}

func (s *Service) recordOutside(tx Tx, ss *Session, t *Transfer, i int, a OutsideAnswer) error {
	st := &t.Steps[i]
	if !st.Outside {
		return Errorf(EConflict, "第 %d 号转接当前的“%s”由本系统的“%s”办理，不是校外组织的步骤，不能记录对方答复；请由其管理员审批（transfer approve %d）或退回。", t.No, st.Kind, st.OrgName, t.No)
	}
	for _, f := range []struct{ name, v string }{{"原因", a.Reason}, {"说明", a.Note}} {
		if utf8.RuneCountInString(f.v) > 200 {
			return Errorf(EInvalid, "“%s”太长（最多 200 字），请精简。", f.name)
		}
	}
	now := s.now()
	today := now.In(Shanghai).Format("2006-01-02")
	learned := today
	if a.Date != "" {
		d, err := time.ParseInLocation("2006-01-02", a.Date, Shanghai)
		if err != nil {
			return Errorf(EInvalid, "得知对方答复的日期“%s”不正确，请按 YYYY-MM-DD 填写，例如 %s。", a.Date, today)
		}
		learned = d.Format("2006-01-02")
		began := t.CreatedAt.In(Shanghai).Format("2006-01-02")
		switch {
		case learned > today:
			return Errorf(EInvalid, "得知对方答复的日期 %s 还没有到（今天是 %s），请填写实际得知的日期。", learned, today)
		case learned < began:
			return Errorf(EInvalid, "得知对方答复的日期 %s 早于第 %d 号转接发起的日期 %s，请核对。", learned, t.No, began)
		}
	}
	st.LearnedOn = learned
	if a.Approved {
		return s.advance(tx, t, i, OutcomeOutsideApproved, ss.Account.IDNo, a.Note, now)
	}
	note := a.Reason
	if a.Note != "" {
		note += "；" + a.Note
	}
	st.ActedAt, st.Outcome, st.Actor, st.Note = now, OutcomeOutsideRejected, ss.Account.IDNo, note
	if err := tx.UpdateStep(*st); err != nil {
		return err
	}
	t.State, t.RejectReason, t.FinishedAt = StateRejected, a.Reason, now
	if err := tx.UpdateTransfer(*t); err != nil {
		return err
	}
	return s.auditTransfer(tx, ss, *t, st.Kind+OutcomeOutsideRejected, "", note+"（"+learned+" 得知）")
}

// AssignTransfer puts the member of an approved transfer into one of the
// receiving committee's branches, which finishes it (R-T3). Never automatic.
func (s *Service) AssignTransfer(ctx context.Context, ss *Session, no, branchID int64) (Transfer, error) {
	err := s.Store.Write(ctx, func(tx Tx) error {
		t, i, err := s.openStep(tx, ss, no, stepFrom(ctx))
		if err != nil {
			return err
		}
		if t.Steps[i].Kind != StepAssign {
			return Errorf(EConflict, "第 %d 号转接还在“%s”，审批通过后才能分配团支部。", no, t.Steps[i].Kind)
		}
		to, err := tx.Org(t.ToOrg)
		if err != nil {
			return err
		}
		b, err := tx.Org(branchID)
		if err != nil {
			return err
		}
		if !b.IsBranch() || !to.Contains(b) {
			return Errorf(EConflict, "只能分配到“%s”下属的团支部，“%s”不是。", to.FullName, b.FullName)
		}
		switch b.Category {
		case CatSpecial:
			return Errorf(EConflict, "特殊单位专属库只能通过“转往特殊单位团组织”转入，请分配到其他团支部。")
		case CatAbroad:
			return Errorf(EConflict, "出国(境)学习研究团员团支部只能通过“出国（境）学习研究”转入，请分配到其他团支部。")
		}
		if b.Category == CatTransit {
			if m, err := tx.Member(t.IDNo); err == nil && m.Mark != "" {
				return Errorf(EConflict, "%s 已被标记为“%s”，不纳入“学社衔接”，不能分配到学社衔接临时团支部。", m.Name, m.Mark)
			}
		}
		st := &t.Steps[i]
		st.ActedAt, st.Outcome, st.Actor, st.Note = s.now(), OutcomeAssigned, ss.Account.IDNo, b.FullName
		if err := tx.UpdateStep(*st); err != nil {
			return err
		}
		before, after, err := s.finish(tx, &t, b.ID, s.now())
		if err != nil {
			return err
		}
		return s.auditTransfer(tx, ss, t, StepAssign, before, after)
	})
	if err != nil {
		return Transfer{}, err
	}
	return s.TransferByNo(ctx, ss, no)
}

// TransferByNo returns a transfer the session takes part in: its member's
// or target's organization is managed by the session, it has a step the
// session may act on, or it is the member's own.
func (s *Service) TransferByNo(ctx context.Context, ss *Session, no int64) (Transfer, error) {
	var t Transfer
	visible := func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		var err error
		if t, err = tx.Transfer(no); err != nil {
			return err
		}
		if t.IDNo == ss.Account.IDNo {
			return nil
		}
		if o, err := tx.Org(t.FromOrg); (err != nil || !o.Outside) && ss.ManagesPath(t.FromPath) {
			return nil // from one of the session's organizations, even one deleted since
		}
		for _, id := range []int64{t.FromOrg, t.ToOrg} {
			if id == 0 {
				continue
			}
			if o, err := tx.Org(id); err == nil && ss.CanManage(o) {
				return nil
			}
		}
		for _, st := range t.Steps {
			if ok, err := s.canAct(tx, ss, t, st); err == nil && ok {
				return nil
			}
		}
		return Errorf(EForbidden, "第 %d 号转接与您管理的组织无关，不能查看。", no)
	}
	err := s.Store.Read(ctx, func(tx Tx) error {
		if err := visible(tx); err != nil {
			return err
		}
		names := accountNames{}
		t.StartedName = names.of(tx, t.StartedBy)
		for i := range t.Steps {
			t.Steps[i].ActorName = names.of(tx, t.Steps[i].Actor)
		}
		return nil
	})
	return t, err
}

// accountNames looks up the names of the accounts that acted (经办人,
// 操作人), each once, so that pages name people instead of showing masked
// 身份证号. "" for 系统 and for an account that is gone.
type accountNames map[string]string

func (n accountNames) of(tx Tx, idNo string) string {
	if idNo == "" || idNo == "系统" {
		return ""
	}
	if name, ok := n[idNo]; ok {
		return name
	}
	name := ""
	if a, err := tx.Account(idNo); err == nil {
		name = a.Name
	}
	n[idNo] = name
	return name
}

// ListTransfers returns the transfers of the session's organizations (or the
// member's own), newest first; pending: only those waiting for the session.
func (s *Service) ListTransfers(ctx context.Context, ss *Session, pending bool) ([]Transfer, error) {
	var out []Transfer
	err := s.Store.Read(ctx, func(tx Tx) error {
		if err := ready(ss); err != nil {
			return err
		}
		if !ss.IsAdmin() {
			var err error
			out, err = tx.Transfers(TransferFilter{IDNo: ss.Account.IDNo, Limit: 200})
			return err
		}
		// Every open transfer is looked at for the pending list (none may
		// go missing, the oldest are the most urgent); the full list keeps
		// the newest 5,000.
		f := TransferFilter{Limit: 5000}
		if pending {
			f.OpenOnly, f.Limit = true, 0
		} else if !ss.Owner {
			for _, a := range ss.Orgs {
				f.UnderPaths = append(f.UnderPaths, a.Path)
			}
		}
		list, err := tx.Transfers(f)
		if err != nil {
			return err
		}
		if !pending {
			out = list
			return nil
		}
		// Whether the session acts depends on the step's organization and
		// kind only: asked once for each.
		type key struct {
			org  int64
			kind string
		}
		can := map[key]bool{}
		for _, t := range list {
			st, ok := t.Current()
			if !ok {
				continue
			}
			k := key{st.OrgID, st.Kind}
			yes, seen := can[k]
			if st.Outside {
				// Who records an outside step depends on the transfer (R-W2).
				var err error
				if yes, err = s.canAct(tx, ss, t, st); err != nil {
					return err
				}
			} else if !seen {
				var err error
				if yes, err = s.canAct(tx, ss, t, st); err != nil {
					return err
				}
				can[k] = yes
			}
			if yes {
				out = append(out, t)
			}
		}
		return nil
	})
	return out, err
}

// SweepResult tells what Sweep did.
type SweepResult struct {
	Defaulted int // steps approved by default after 15 days (R-T4)
	Finished  int // transfers finished by a default approval
	Reminded  int // steps flagged after 10 days
	Graduated int // branches that became 毕业生团组织 (R-G5)
}

// Sweep applies the deadlines as of now (R-T4): a step open for 15 days is
// approved by default, recorded as 系统默认通过 on its due date (and the
// next step, opened that day, may fall due in turn); a step open for 10 days
// is flagged to its administrators. Assignment is never automatic. It runs
// at start-up, daily while the window is open, and by the sweep command,
// and may be repeated safely. The work is set-based (one statement per kind
// of change, whatever the number of steps), with one audit entry per
// defaulted step and one summary.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	now := s.now()
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		if res.Defaulted, res.Finished, err = s.defaultAll(tx, now); err != nil {
			return err
		}
		if res.Reminded, err = tx.RemindSteps(now.AddDate(0, 0, -RemindDays), now); err != nil {
			return err
		}
		if res.Defaulted > 0 || res.Reminded > 0 {
			return tx.AppendAudit(AuditEntry{At: now, Actor: "系统", Action: "到期处理",
				After: fmt.Sprintf("默认通过 %d 个审批步骤（办结 %d 件），提醒 %d 个超过 10 天未审批的步骤", res.Defaulted, res.Finished, res.Reminded)})
		}
		return nil
	})
	return res, err
}

// SweepMoves reports whether Sweep, run now, would approve steps by
// default (R-T4) and so finish transfers and move members: a bulk change,
// before which the window takes a backup (issue 10, item 10). Reminders
// alone only flag steps and need none.
func (s *Service) SweepMoves(ctx context.Context) (bool, error) {
	now := s.now()
	var due []Step
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		due, err = tx.DueSteps(now, 1)
		return err
	})
	return len(due) > 0, err
}

// AddMonths returns t n calendar months later, on the same day of the month
// or, when that month is shorter, its last day (08-31 + 6 months is 02-28
// or 02-29, never in March).
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}
