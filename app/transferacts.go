package app

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

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
