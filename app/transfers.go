package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// transferObject names a transfer in the audit trail.
func transferObject(t Transfer) string {
	return fmt.Sprintf("转接第 %d 号 %s（%s）", t.No, t.Name, MaskID(t.IDNo))
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
	var out []Transfer
	err := s.Store.Write(ctx, func(tx Tx) error {
		to, err := s.target(tx, in.ToOrg)
		if err != nil {
			return err
		}
		v, err := ValidateTransferInput(in, to)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, raw := range in.IDNos {
			id := NormalizeID(raw)
			if seen[id] {
				continue
			}
			seen[id] = true
			m, err := tx.Member(id)
			if IsNotFound(err) {
				return Errorf(ENotFound, "没有身份证号为 %s 的团员，请核对。", MaskID(id))
			}
			if err != nil {
				return err
			}
			from, err := tx.Org(m.OrgID)
			if err != nil {
				return err
			}
			initiator := ByOutOrg
			switch {
			case ss.CanManage(from):
			case ss.Account.IDNo == id:
				initiator = ByMember
			default:
				return Errorf(EForbidden, "%s 不在您管理的组织内，不能由您办理转出；如需把此人转入本组织，请使用“办理转入”。", MaskID(id))
			}
			t, err := s.start(tx, ss, m, from, to, v, initiator)
			if err != nil {
				// One sentence that still ends as a sentence (CLI.md).
				if len(in.IDNos) > 1 && !strings.Contains(ErrorMessage(err), m.Name) {
					return &Error{Code: ErrorCode(err), Message: m.Name + "：" + ErrorMessage(err) + "所有人都没有提交，请处理后重试。", Err: err}
				}
				if len(in.IDNos) > 1 {
					return &Error{Code: ErrorCode(err), Message: ErrorMessage(err) + "所有人都没有提交，请处理后重试。", Err: err}
				}
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
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
	var out Transfer
	err := s.Store.Write(ctx, func(tx Tx) error {
		toID := in.ToOrg
		if toID == 0 {
			top := topOrg(ss)
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
		m, err := tx.Member(id)
		if IsNotFound(err) {
			return Errorf(ENotFound, "系统中没有身份证号为 %s 的团员。尚未录入系统的团员，请用“团员团干部导入模板”或新增团员录入。", MaskID(id))
		}
		if err != nil {
			return err
		}
		if name := strings.TrimSpace(in.Name); name == "" {
			return Errorf(EInvalid, "办理转入须填写团员的姓名和身份证号，系统按两者一起查找。")
		} else if name != m.Name {
			return Errorf(EConflict, "身份证号 %s 登记的姓名与填写的“%s”不一致，请核对姓名和身份证号。", MaskID(id), name)
		}
		from, err := tx.Org(m.OrgID)
		if err != nil {
			return err
		}
		if to.Contains(from) {
			return Errorf(EConflict, "%s 已在“%s”，无需办理转入。", m.Name, from.FullName)
		}
		out, err = s.start(tx, ss, m, from, &to, v, ByInOrg)
		return err
	})
	return out, err
}

// topOrg returns the session's highest administered organization.
func topOrg(ss *Session) Org {
	var top Org
	for _, a := range ss.Orgs {
		if top.ID == 0 || len(a.Path) < len(top.Path) {
			top = a
		}
	}
	return top
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
	if open, err := tx.OpenTransfer(m.IDNo); err == nil {
		if open.State != StateKept {
			return Transfer{}, Errorf(EConflict, "%s 已有正在办理的组织关系转接（第 %d 号，%s），请等其办结或退回后再办理。", m.Name, open.No, open.State)
		}
		// A new transfer ends the keeping at school.
		open.State, open.FinishedAt = StateKeptEnded, s.now()
		if err := tx.UpdateTransfer(open); err != nil {
			return Transfer{}, err
		}
	} else if !IsNotFound(err) {
		return Transfer{}, err
	}
	if m.Status != StatusActive {
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
		Initiator: initiator, StartedBy: ss.Account.IDNo, State: StateApproving, CreatedAt: now}
	var kinds []string
	var orgs []int64
	add := func(kind string, org int64) { kinds = append(kinds, kind); orgs = append(orgs, org) }
	switch {
	case in.Reason == ReasonUnemployed && in.KeepMonths > 0:
		t.State = StateKept
		t.KeepUntil = AddMonths(now.In(Shanghai), in.KeepMonths).Format("2006-01-02")
	case in.Reason == ReasonSpecial:
		prov, lib, err := s.specialLibrary(tx, from.Province)
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
		if !to.IsBranch() {
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
	if err := tx.InsertTransfer(&t); err != nil {
		return Transfer{}, err
	}
	// Read it back with the organizations' names of the transfer and its steps.
	t, err := tx.Transfer(t.No)
	if err != nil {
		return Transfer{}, err
	}
	after := t.Reason + "，" + t.Initiator + "发起"
	if t.ToName != "" {
		after += "，转入“" + t.ToName + "”"
	}
	if t.State == StateKept {
		after += "，留校保留至 " + t.KeepUntil
	}
	return t, s.auditTransfer(tx, ss, t, "发起组织关系转接", from.FullName, after)
}

// specialLibrary finds the 团省委 of a province and its 特殊单位专属库.
func (s *Service) specialLibrary(tx Tx, province string) (Org, Org, error) {
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
			return Org{}, Org{}, Errorf(EConflict, "“%s”下还没有类别为“特殊单位专属库”的团支部，请先添加，再办理转往特殊单位团组织。", p.Name)
		}
	}
	return Org{}, Org{}, Errorf(EConflict, "系统中还没有%s的团省委。转往特殊单位团组织由省级团委审核，请先添加该省团省委及其“特殊单位专属库”。", province)
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
func (s *Service) canAct(tx Tx, ss *Session, st Step) (bool, error) {
	o, err := tx.Org(st.OrgID)
	if err != nil {
		return false, err
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

func (s *Service) openStep(tx Tx, ss *Session, no int64) (Transfer, int, error) {
	if err := ready(ss); err != nil {
		return Transfer{}, 0, err
	}
	t, err := tx.Transfer(no)
	if err != nil {
		return Transfer{}, 0, err
	}
	for i, st := range t.Steps {
		if st.IsOpen() {
			ok, err := s.canAct(tx, ss, st)
			if err != nil {
				return Transfer{}, 0, err
			}
			if !ok {
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

// finish moves the member into branch and ends the transfer; it returns the
// full names of the member's organization before and after.
func (s *Service) finish(tx Tx, t *Transfer, branch int64, at time.Time) (string, string, error) {
	m, err := tx.Member(t.IDNo)
	if err != nil {
		return "", "", err
	}
	to, err := tx.Org(branch)
	if err != nil {
		return "", "", err
	}
	before := m.OrgName
	m.OrgID, m.UpdatedAt = branch, at
	if err := tx.UpdateMember(m); err != nil {
		return "", "", err
	}
	t.ToOrg, t.State, t.FinishedAt = branch, StateDone, at
	return before, to.FullName, tx.UpdateTransfer(*t)
}

// ApproveTransfer approves the transfer's open step for the session (R-T3).
func (s *Service) ApproveTransfer(ctx context.Context, ss *Session, no int64) (Transfer, error) {
	var t Transfer
	err := s.Store.Write(ctx, func(tx Tx) error {
		var i int
		var err error
		if t, i, err = s.openStep(tx, ss, no); err != nil {
			return err
		}
		if t.Steps[i].Kind == StepAssign {
			return Errorf(EConflict, "第 %d 号转接已审批通过，现在需要“分配团支部”：请选择一个团支部分配。", no)
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
		t, i, err := s.openStep(tx, ss, no)
		if err != nil {
			return err
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

// AssignTransfer puts the member of an approved transfer into one of the
// receiving committee's branches, which finishes it (R-T3). Never automatic.
func (s *Service) AssignTransfer(ctx context.Context, ss *Session, no, branchID int64) (Transfer, error) {
	err := s.Store.Write(ctx, func(tx Tx) error {
		t, i, err := s.openStep(tx, ss, no)
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
	err := s.Store.Read(ctx, func(tx Tx) error {
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
		for _, id := range []int64{t.FromOrg, t.ToOrg} {
			if id == 0 {
				continue
			}
			if o, err := tx.Org(id); err == nil && ss.CanManage(o) {
				return nil
			}
		}
		for _, st := range t.Steps {
			if ok, err := s.canAct(tx, ss, st); err == nil && ok {
				return nil
			}
		}
		return Errorf(EForbidden, "第 %d 号转接与您管理的组织无关，不能查看。", no)
	})
	return t, err
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
			if !seen {
				var err error
				if yes, err = s.canAct(tx, ss, st); err != nil {
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
		if res.Defaulted, res.Finished, err = tx.DefaultDueSteps(now, "15 天内未办理，系统默认通过"); err != nil {
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
