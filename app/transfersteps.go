package app

import (
	"context"
	"time"
)

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
