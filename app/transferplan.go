package app

import "time"

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

// startOne is start; dry only checks, writing nothing. It checks that the
// member may start a transfer to to, plans where it goes and its approval
// chain, and writes it.
func (s *Service) startOne(tx Tx, ss *Session, m Member, from Org, to *Org, in TransferInput, initiator string, dry bool) (Transfer, error) {
	endsKept, err := s.endKeeping(tx, m, dry)
	if err != nil {
		return Transfer{}, err
	}
	if err := canStart(m, from, to); err != nil {
		return Transfer{}, err
	}
	t := s.newTransfer(ss, m, from, in, initiator)
	if err := s.plan(tx, ss, &t, from, to, in.KeepMonths, dry); err != nil {
		return Transfer{}, err
	}
	if dry {
		t.endsKept = endsKept
		return t, nil
	}
	return s.writeStart(tx, ss, t, from, to)
}

// endKeeping ends the member's keeping at school (R-T2 未就业), which a
// new transfer ends, and reports whether there was one; any other open
// transfer refuses a new one. dry writes nothing.
func (s *Service) endKeeping(tx Tx, m Member, dry bool) (bool, error) {
	open, err := tx.OpenTransfer(m.IDNo)
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if open.State != StateKept {
		return false, Errorf(EConflict, "%s 已有正在办理的组织关系转接（第 %d 号，%s），请等其办结或退回后再办理。", m.Name, open.No, open.State)
	}
	open.State, open.FinishedAt = StateKeptEnded, s.now()
	if !dry {
		if err := tx.UpdateTransfer(open); err != nil {
			return false, err
		}
	}
	return true, nil
}

// canStart checks that the member, in from, may be transferred to to (nil
// while the target is still to be found): an active member (or one who
// left, back from outside), to a target other than where they are, not a
// marked member to 学社衔接 (R-D2).
func canStart(m Member, from Org, to *Org) error {
	if m.Status != StatusActive && !(m.Departed() && from.Outside) {
		return Errorf(EConflict, "%s 的团籍状态为“%s”，不能办理组织关系转接。", m.Name, m.Status)
	}
	if to == nil {
		return nil
	}
	if to.Contains(from) || to.ID == from.ID {
		return Errorf(EConflict, "%s 已在“%s”，转入组织不能是本人现在所在的组织。", m.Name, from.FullName)
	}
	if to.Category == CatTransit && m.Mark != "" {
		// R-D2: marked members are excluded from 学社衔接.
		return Errorf(EConflict, "%s 已被标记为“%s”，不纳入“学社衔接”，不能转入学社衔接临时团支部。", m.Name, m.Mark)
	}
	return nil
}

// newTransfer is the member's transfer as given, approving, before its
// target and steps are planned.
func (s *Service) newTransfer(ss *Session, m Member, from Org, in TransferInput, initiator string) Transfer {
	t := Transfer{IDNo: m.IDNo, Name: m.Name, FromOrg: from.ID, Reason: in.Reason, Scope: in.Scope, Unit: in.Unit, Address: in.Address,
		Remark: in.Remark, AbroadPlace: in.AbroadPlace, AbroadPeriod: in.AbroadPeriod, Contact: in.Contact, ContactPhone: in.ContactPhone,
		Initiator: initiator, StartedBy: ss.Account.IDNo, State: StateApproving, CreatedAt: s.now(), FromPath: from.Path}
	if from.IsBranch() && !from.Outside && m.Mark == "" {
		// R-W6: whose graduates this transfer counts among, even once the
		// branch is gone.
		t.GradMonth = from.GradMonth
	}
	return t
}

// plan fixes where t goes and its approval chain (R-T3), its first step
// opened at t.CreatedAt; or keeps it at school for keepMonths (R-T2
// 未就业), with no chain. A special or abroad target is found (and a
// special library made unless dry) here.
func (s *Service) plan(tx Tx, ss *Session, t *Transfer, from Org, to *Org, keepMonths int, dry bool) error {
	var target, approver Org
	switch {
	case t.Reason == ReasonUnemployed && keepMonths > 0:
		t.State = StateKept
		t.KeepUntil = AddMonths(t.CreatedAt.In(Shanghai), keepMonths).Format("2006-01-02")
		return nil
	case t.Reason == ReasonSpecial:
		prov, lib, err := s.specialLibrary(tx, ss, from.Province, dry)
		if err != nil {
			return err
		}
		approver, target = prov, lib
	case t.Reason == ReasonAbroadStudy:
		school, branch, err := s.abroadBranch(tx, from)
		if err != nil {
			return err
		}
		if branch.ID == from.ID {
			return Errorf(EConflict, "%s 已在“%s”，无需再办理出国（境）学习研究转接；如需修改出国信息，请在备注中说明后联系学校团委。", t.Name, from.FullName)
		}
		approver, target = school, branch
	default:
		target = *to
	}
	t.ToOrg = target.ID
	t.Steps = openFirst(planSteps(t.Reason, t.Initiator, from, target, approver), t.CreatedAt)
	return nil
}

// planSteps is the approval chain of a transfer (R-T3): its steps' kinds
// and organizations, in order, from the reason, who starts it (ByOutOrg,
// ByInOrg, ByMember) and the two organizations. A member's own
// application is approved by the out-org first. 转往特殊单位团组织 is
// approved by the province's 团省委 and 出国（境）学习研究 by the school
// committee, given as approver (other reasons ignore it); otherwise the
// in-org approves what it did not start itself, and a committee of this
// store then assigns the member to a branch (the outside side's own
// 分配团支部 is not ours, R-W2). The steps are not opened yet.
func planSteps(reason, initiator string, from, to, approver Org) []Step {
	var steps []Step
	add := func(kind string, org int64) { steps = append(steps, Step{Seq: len(steps) + 1, Kind: kind, OrgID: org}) }
	switch reason {
	case ReasonSpecial, ReasonAbroadStudy:
		if initiator == ByMember {
			add(StepOut, from.ID)
		}
		if reason == ReasonSpecial {
			add(StepProvince, approver.ID)
		} else {
			add(StepSchool, approver.ID)
		}
	default:
		switch initiator {
		case ByOutOrg:
			add(StepIn, to.ID)
		case ByInOrg:
			add(StepOut, from.ID)
		case ByMember:
			add(StepOut, from.ID)
			add(StepIn, to.ID)
		}
		if !to.IsBranch() && !to.Outside {
			add(StepAssign, to.ID)
		}
	}
	return steps
}

// openFirst opens the first of steps at now, due StepDays later (R-T4)
// unless it is a 分配团支部, which has no deadline.
func openFirst(steps []Step, now time.Time) []Step {
	if len(steps) > 0 {
		steps[0].OpenedAt = now
		if steps[0].Kind != StepAssign {
			steps[0].DueAt = now.AddDate(0, 0, StepDays)
		}
	}
	return steps
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
			return p, lib, s.audit(tx, ss, Change{Action: ActAddOrg, Object: lib.FullName, OrgID: lib.ID, After: "团支部 " + CatSpecial + "（转往特殊单位团组织时自动建立）"})
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
