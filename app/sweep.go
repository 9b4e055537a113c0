package app

import (
	"context"
	"fmt"
	"time"
)

// stepwiseLimit is how many due steps the sweep closes one by one through
// advance; more than that, and the store's set-based DefaultDueSteps does
// the same work in a few statements.
const stepwiseLimit = 200

// defaultDue is what a default approval is (R-T4), written once: every open
// approval step due at or before now is closed through advance, as an
// administrator's approval closes it, with outcome 系统默认通过, actor 系统,
// on its own due date; the step after it opens that day and may fall due in
// turn. The store's DefaultDueSteps does the same set-wise for large
// batches; TestDefaultPathsAgree_R_T4 (app/sweep_test.go) holds the two to the same
// members, counts, transfers, steps and audit entries on the same store.
// It returns false, changing nothing, when more than limit steps are due.
func (s *Service) defaultDue(tx Tx, now time.Time, note string, limit int) (defaulted, finished int, ok bool, err error) {
	for {
		due, err := tx.DueSteps(now, limit+1)
		if err != nil {
			return 0, 0, false, fmt.Errorf("default approvals: %w", err)
		}
		if len(due) == 0 {
			return defaulted, finished, true, nil
		}
		if defaulted == 0 && len(due) > limit {
			return 0, 0, false, nil
		}
		for _, st := range due {
			t, err := tx.Transfer(st.Transfer)
			if err != nil {
				return 0, 0, false, fmt.Errorf("default approvals: transfer %d: %w", st.Transfer, err)
			}
			i := -1
			for j := range t.Steps {
				if t.Steps[j].ID == st.ID {
					i = j
				}
			}
			if i < 0 {
				return 0, 0, false, fmt.Errorf("default approvals: step %d not in transfer %d", st.ID, t.No)
			}
			if err := s.advance(tx, &t, i, OutcomeDefault, "系统", note, st.DueAt); err != nil {
				return 0, 0, false, fmt.Errorf("default approvals: transfer %d: %w", t.No, err)
			}
			defaulted++
			if t.State == StateDone {
				finished++
			}
		}
	}
}

// PendingTransfers lists the transfers waiting for the session, as
// ListTransfers(pending) does, after recording the default approvals that
// are due (R-T4): a step past its 15 days stands approved, so the list never
// offers a step nobody may act on any more. The window's 待我审批 and
// transfer list --pending both call it.
func (s *Service) PendingTransfers(ctx context.Context, ss *Session) ([]Transfer, error) {
	list, err := s.ListTransfers(ctx, ss, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, t := range list {
		if st, ok := t.Current(); ok && st.Due(now) {
			if _, err := s.Sweep(ctx); err != nil {
				return nil, err
			}
			return s.ListTransfers(ctx, ss, true)
		}
	}
	return list, nil
}

// defaultNote is the note of a default approval's step.
const defaultNote = "15 天内未办理，系统默认通过"

// defaultAll applies the default approvals due at now (R-T4): step by step
// through advance when few are due, set-wise in the store when many are
// (the window's hourly sweep usually finds a handful, the first sweep after
// the summer break thousands). stepwise, when set (tests), forces a path.
func (s *Service) defaultAll(tx Tx, now time.Time) (defaulted, finished int, err error) {
	limit := stepwiseLimit
	switch s.sweepPath {
	case sweepStepwise:
		limit = 1 << 30
	case sweepSetWise:
		return tx.DefaultDueSteps(now, defaultNote)
	}
	d, f, ok, err := s.defaultDue(tx, now, defaultNote, limit)
	if err != nil || ok {
		return d, f, err
	}
	return tx.DefaultDueSteps(now, defaultNote)
}

// Which path defaultAll takes; the zero value chooses by the number due.
const (
	sweepByCount = iota
	sweepStepwise
	sweepSetWise
)

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
			return tx.AppendAudit(AuditEntry{At: now, Actor: "系统", Action: ActSweep,
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
