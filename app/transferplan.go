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
