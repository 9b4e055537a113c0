package data

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"tuanwu/app"
)

const transferCols = `id, id_no, name, from_org, ifnull(to_org, 0), reason, scope, unit, address, remark, keep_until,
	abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at,
	from_name, to_name, from_path, grad_month`

func scanTransfer(sc interface{ Scan(...any) error }) (app.Transfer, error) {
	var t app.Transfer
	var created, finished string
	err := sc.Scan(&t.No, &t.IDNo, &t.Name, &t.FromOrg, &t.ToOrg, &t.Reason, &t.Scope, &t.Unit, &t.Address, &t.Remark, &t.KeepUntil,
		&t.AbroadPlace, &t.AbroadPeriod, &t.Contact, &t.ContactPhone, &t.Initiator, &t.StartedBy, &t.State, &t.RejectReason, &created, &finished,
		&t.FromName, &t.ToName, &t.FromPath, &t.GradMonth)
	t.CreatedAt, t.FinishedAt = parseTime(created), parseTime(finished)
	return t, err
}

const stepCols = "id, transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note, org_name, learned_on"

func scanStep(sc interface{ Scan(...any) error }) (app.Step, error) {
	var s app.Step
	var opened, due, reminded, acted string
	err := sc.Scan(&s.ID, &s.Transfer, &s.Seq, &s.Kind, &s.OrgID, &opened, &due, &reminded, &acted, &s.Outcome, &s.Actor, &s.Note, &s.OrgName, &s.LearnedOn)
	s.OpenedAt, s.DueAt, s.RemindedAt, s.ActedAt = parseTime(opened), parseTime(due), parseTime(reminded), parseTime(acted)
	return s, err
}

// snapshot returns an organization's full path to keep beside a transfer,
// "" for none.
func (t *txn) snapshot(id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	return t.orgFullName(id)
}

// InsertTransfers stores many new transfers with their steps, a few
// hundred rows per statement, and sets their numbers and step IDs. The
// rows of one statement get consecutive IDs: the writer holds the lock and
// SQLite gives each new row the largest ID plus one.
func (t *txn) InsertTransfers(list []*app.Transfer) error {
	const cols = `id_no, name, from_org, to_org, reason, scope, unit, address, remark, keep_until,
		abroad_place, abroad_period, contact, contact_phone, initiator, started_by, state, reject_reason, created_at, finished_at,
		from_name, to_name, from_path, grad_month`
	const per = 1000
	var (
		box, sbox [24]any     // each column's last value, boxed (boxed)
		times     [6]timeText // the times' texts, remembered
	)
	for start := 0; start < len(list); start += per {
		chunk := list[start:min(start+per, len(list))]
		args := make([]any, 0, len(chunk)*24)
		for _, tr := range chunk {
			fromName, err := t.snapshot(tr.FromOrg)
			if err != nil {
				return err
			}
			toName, err := t.snapshot(tr.ToOrg)
			if err != nil {
				return err
			}
			var to any
			if tr.ToOrg != 0 {
				to = boxed(&box[3], tr.ToOrg)
			}
			args = append(args, boxed(&box[0], tr.IDNo), boxed(&box[1], tr.Name), boxed(&box[2], tr.FromOrg), to,
				boxed(&box[4], tr.Reason), boxed(&box[5], tr.Scope), boxed(&box[6], tr.Unit), boxed(&box[7], tr.Address),
				boxed(&box[8], tr.Remark), boxed(&box[9], tr.KeepUntil), boxed(&box[10], tr.AbroadPlace), boxed(&box[11], tr.AbroadPeriod),
				boxed(&box[12], tr.Contact), boxed(&box[13], tr.ContactPhone), boxed(&box[14], tr.Initiator), boxed(&box[15], tr.StartedBy),
				boxed(&box[16], tr.State), boxed(&box[17], tr.RejectReason), boxed(&box[18], times[0].of(tr.CreatedAt)),
				boxed(&box[19], times[1].of(tr.FinishedAt)), boxed(&box[20], fromName), boxed(&box[21], toName),
				boxed(&box[22], tr.FromPath), boxed(&box[23], tr.GradMonth))
		}
		last, err := t.insertRows("transfers", cols, 24, len(chunk), args)
		if err != nil {
			return fmt.Errorf("insert transfers: %w", err)
		}
		var steps []*app.Step
		sargs := make([]any, 0, len(chunk)*12)
		for i, tr := range chunk {
			tr.No = last - int64(len(chunk)-1-i)
			for j := range tr.Steps {
				s := &tr.Steps[j]
				s.Transfer = tr.No
				orgName, err := t.snapshot(s.OrgID)
				if err != nil {
					return err
				}
				sargs = append(sargs, s.Transfer, boxed(&sbox[1], s.Seq), boxed(&sbox[2], s.Kind), boxed(&sbox[3], s.OrgID),
					boxed(&sbox[4], times[2].of(s.OpenedAt)), boxed(&sbox[5], times[3].of(s.DueAt)), boxed(&sbox[6], times[4].of(s.RemindedAt)),
					boxed(&sbox[7], times[5].of(s.ActedAt)), boxed(&sbox[8], s.Outcome), boxed(&sbox[9], s.Actor), boxed(&sbox[10], s.Note),
					boxed(&sbox[11], orgName))
				steps = append(steps, s)
			}
		}
		for s0 := 0; s0 < len(steps); s0 += per {
			n := min(per, len(steps)-s0)
			last, err := t.insertRows("transfer_steps", "transfer_id, seq, kind, org_id, opened_at, due_at, reminded_at, acted_at, outcome, actor, note, org_name",
				12, n, sargs[s0*12:(s0+n)*12])
			if err != nil {
				return fmt.Errorf("insert steps: %w", err)
			}
			for i := 0; i < n; i++ {
				steps[s0+i].ID = last - int64(n-1-i)
			}
		}
	}
	return nil
}

// fill adds the steps and organization names to transfers.
func (t *txn) fill(list []app.Transfer) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]any, len(list))
	for i, tr := range list {
		idx[tr.No] = i
		ids[i] = tr.No
	}
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		st, err := t.stmt("SELECT " + stepCols + " FROM transfer_steps WHERE transfer_id IN (" + placeholders(end-start) + ") ORDER BY transfer_id, seq")
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(t.ctx, ids[start:end]...)
		if err != nil {
			return fmt.Errorf("steps: %w", err)
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			s, err := scanStep(rows)
			if err != nil {
				return fmt.Errorf("steps: %w", err)
			}
			i := idx[s.Transfer]
			list[i].Steps = append(list[i].Steps, s)
			return nil
		}); err != nil {
			return err
		}
	}
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		st, err := t.stmt(`SELECT lt.transfer_id, l.no FROM letter_transfers lt JOIN letters l ON l.id = lt.letter_id
			WHERE lt.transfer_id IN (` + placeholders(end-start) + `) ORDER BY l.id`)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(t.ctx, ids[start:end]...)
		if err != nil {
			return fmt.Errorf("letters of transfers: %w", err)
		}
		if err := eachRow(rows, func(rows *sql.Rows) error {
			var tid int64
			var no int
			if err := rows.Scan(&tid, &no); err != nil {
				return err
			}
			list[idx[tid]].Letters = append(list[idx[tid]].Letters, no)
			return nil
		}); err != nil {
			return err
		}
	}
	for i := range list {
		tr := &list[i]
		var err error
		if tr.FromName, tr.FromOut, err = t.orgLabel(tr.FromOrg, tr.FromName); err != nil {
			return err
		}
		if tr.ToOrg != 0 {
			if tr.ToName, tr.ToOut, err = t.orgLabel(tr.ToOrg, tr.ToName); err != nil {
				return err
			}
		}
		for j := range tr.Steps {
			s := &tr.Steps[j]
			if s.OrgName, s.Outside, err = t.orgLabel(s.OrgID, s.OrgName); err != nil {
				return err
			}
		}
	}
	return nil
}

// orgLabel returns an organization's full name and whether it is outside
// (R-W1); for one deleted since (R-O4), the name kept when it was recorded.
func (t *txn) orgLabel(id int64, kept string) (string, bool, error) {
	outside, known := t.outsideOrgs[id]
	if !known {
		st, err := t.stmt("SELECT outside FROM orgs WHERE id = ?")
		if err != nil {
			return "", false, err
		}
		err = st.QueryRowContext(t.ctx, id).Scan(&outside)
		if errors.Is(err, sql.ErrNoRows) {
			return kept, false, nil
		}
		if err != nil {
			return "", false, fmt.Errorf("org %d: %w", id, err)
		}
		if t.outsideOrgs == nil {
			t.outsideOrgs = map[int64]bool{}
		}
		t.outsideOrgs[id] = outside
	}
	name, err := t.orgFullName(id)
	return name, outside, err
}

func (t *txn) queryTransfers(q string, args ...any) ([]app.Transfer, error) {
	st, err := t.stmt(q)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(t.ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("transfers: %w", err)
	}
	out, err := scanAll(rows, func(rows *sql.Rows) (app.Transfer, error) {
		tr, err := scanTransfer(rows)
		if err != nil {
			return tr, fmt.Errorf("transfers: %w", err)
		}
		return tr, nil
	})
	if err != nil {
		return nil, err
	}
	return out, t.fill(out)
}

func (t *txn) Transfer(no int64) (app.Transfer, error) {
	list, err := t.queryTransfers("SELECT "+transferCols+" FROM transfers WHERE id = ?", no)
	if err != nil {
		return app.Transfer{}, err
	}
	if len(list) == 0 {
		return app.Transfer{}, app.Errorf(app.ENotFound, "没有编号为 %d 的组织关系转接。", no)
	}
	return list[0], nil
}

func (t *txn) UpdateTransfer(tr app.Transfer) error {
	toName, err := t.snapshot(tr.ToOrg)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE transfers SET to_org = ?, state = ?, reject_reason = ?, finished_at = ?, keep_until = ?, to_name = ? WHERE id = ?`,
		nullID(tr.ToOrg), tr.State, tr.RejectReason, fmtTime(tr.FinishedAt), tr.KeepUntil, toName, tr.No)
	if err != nil {
		return fmt.Errorf("update transfer: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return app.Errorf(app.ENotFound, "没有编号为 %d 的组织关系转接。", tr.No)
	}
	return nil
}

func (t *txn) UpdateStep(s app.Step) error {
	st, err := t.stmt(`UPDATE transfer_steps SET opened_at = ?, due_at = ?, reminded_at = ?, acted_at = ?, outcome = ?, actor = ?, note = ?, learned_on = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(t.ctx, fmtTime(s.OpenedAt), fmtTime(s.DueAt), fmtTime(s.RemindedAt), fmtTime(s.ActedAt), s.Outcome, s.Actor, s.Note, s.LearnedOn, s.ID); err != nil {
		return fmt.Errorf("update step: %w", err)
	}
	return nil
}

func (t *txn) OpenTransfer(idNo string) (app.Transfer, error) {
	// A member has at most one; the newest is taken should there be more.
	// No ORDER BY: the member's index finds them, a sort would cost more
	// than the search in a bulk start.
	list, err := t.queryTransfers("SELECT "+transferCols+" FROM transfers WHERE id_no = ? AND +state IN ('"+app.StateApproving+"', '"+
		app.StateAssigning+"', '"+app.StateKept+"')", idNo)
	if err != nil {
		return app.Transfer{}, err
	}
	if len(list) == 0 {
		return app.Transfer{}, app.Errorf(app.ENotFound, "该团员没有正在办理的组织关系转接。")
	}
	newest := list[0]
	for _, tr := range list[1:] {
		if tr.No > newest.No {
			newest = tr
		}
	}
	return newest, nil
}

func (t *txn) Transfers(f app.TransferFilter) ([]app.Transfer, error) {
	q := "SELECT " + transferCols + " FROM transfers tr WHERE 1=1"
	var args []any
	if len(f.UnderPaths) > 0 {
		var ors []string
		for _, p := range f.UnderPaths {
			ors = append(ors, `(tr.from_path >= ? AND tr.from_path < ?) OR tr.to_org IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)`)
			args = append(args, p, p+"~", p, p+"~")
		}
		q += " AND (" + strings.Join(ors, " OR ") + ")"
	}
	if len(f.StepOrgs) > 0 {
		q += " AND tr.id IN (SELECT transfer_id FROM transfer_steps WHERE opened_at <> '' AND acted_at = '' AND org_id IN (" + placeholders(len(f.StepOrgs)) + "))"
		for _, id := range f.StepOrgs {
			args = append(args, id)
		}
	}
	if f.IDNo != "" {
		q += " AND tr.id_no = ?"
		args = append(args, f.IDNo)
	}
	if f.OpenOnly {
		q += " AND tr.state IN (?, ?, ?)"
		args = append(args, app.StateApproving, app.StateAssigning, app.StateKept)
	}
	q += " ORDER BY tr.id DESC"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	return t.queryTransfers(q, args...)
}

func (t *txn) steps(q string, args ...any) ([]app.Step, error) {
	rows, err := t.tx.QueryContext(t.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("steps: %w", err)
	}
	out, err := scanAll(rows, scanStepRow)
	if err != nil {
		return nil, fmt.Errorf("steps: %w", err)
	}
	return out, nil
}

func (t *txn) DueSteps(now time.Time, limit int) ([]app.Step, error) {
	return t.steps("SELECT "+stepCols+" FROM transfer_steps WHERE opened_at <> '' AND acted_at = '' AND due_at <> '' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
		fmtTime(now), limit)
}
